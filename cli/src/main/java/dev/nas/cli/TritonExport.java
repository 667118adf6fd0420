package dev.nas.cli;

import dev.nas.runtime.onnx.OnnxModelInfo;
import dev.nas.runtime.triton.ModelConfigs;
import dev.nas.runtime.triton.TritonRepository;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.runtime.trt.PlanInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.Options;

/**
 * {@code nas export --format triton}: adds a model to a Triton model repository (the ONNX file,
 * or a TensorRT plan built from it, plus {@code config.pbtxt}), the layout Triton, KServe and
 * {@code nas serve} load.
 */
final class TritonExport {
  private TritonExport() {}

  static void addOptions(Options o) {
    o.addOption(Command.opt("repo", "DIR", "triton: model repository folder (created if missing)"));
    o.addOption(Command.opt("name", "NAME", "triton: model name (default: the network folder's or file's name)"));
    o.addOption(Command.opt("version", "V", "triton: version number (default: one above the highest present)"));
    o.addOption(Command.opt("plan", "FILE", "triton: serve this TensorRT plan (built from the model with "
        + "--format tensorrt; its FILE.json sidecar goes along) instead of the ONNX file"));
    o.addOption(Command.opt("max-queue-delay-us", "US", "triton: dynamic batching's max queue delay in "
        + "microseconds (default 100; -1 turns dynamic batching off)"));
    o.addOption(Command.opt("queue-size", "N", "triton: bound of the model's request queue (default 0: unbounded)"));
  }

  static int run(Args a, PrintStream out) throws IOException {
    if (!a.has("repo")) {
      throw new UsageException("--format triton needs --repo DIR");
    }
    Path repo = a.path("repo");
    try (ModelSource src = ModelSource.of(a)) {
      Path onnx = src.onnx();
      String name = a.str("name", defaultName(src));
      Map<String, Path> files = new LinkedHashMap<>();
      String platform = ModelConfigs.ONNX_PLATFORM;
      if (a.has("plan")) {
        Path plan = a.path("plan");
        // The sidecar travels with the plan: it is how a loader checks the plan's TensorRT version and GPU.
        PlanInfo.read(plan).checkPlan(plan);
        files.put("model.plan", plan);
        files.put("model.plan.json", PlanInfo.sidecar(plan));
        platform = ModelConfigs.TENSORRT_PLATFORM;
      } else {
        files.put("model.onnx", onnx);
      }
      int maxBatch = a.integer("max-batch", 32);
      long delay = a.longValue("max-queue-delay-us", 100);
      int queue = a.integer("queue-size", 0);
      if (maxBatch <= 0 || queue < 0 || delay < -1) {
        throw new UsageException("--max-batch must be positive, --queue-size at least 0, --max-queue-delay-us "
            + "at least -1");
      }
      ModelConfig config;
      TritonRepository.Added added;
      try {
        config = ModelConfigs.forModel(name, platform, OnnxModelInfo.read(onnx), maxBatch, delay, queue);
        added = TritonRepository.add(repo, name, a.longValue("version", 0), files, config);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      out.printf("added %s version %s to %s (%s, max_batch_size %d%s)%n", name, added.versionDir().getFileName(),
          repo, platform, config.getMaxBatchSize(), config.hasDynamicBatching()
              ? ", dynamic batching, max queue delay " + config.getDynamicBatching().getMaxQueueDelayMicroseconds()
                  + " µs" : "");
      out.printf("serve it: nas serve --repo %s   (or tritonserver --model-repository=%s)%n", repo,
          repo.toAbsolutePath());
    }
    return 0;
  }

  private static String defaultName(ModelSource src) {
    String n = Path.of(src.name()).getFileName().toString();
    n = n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    return n.replaceAll("[^A-Za-z0-9_.-]", "_").replaceFirst("^[.-]+", "");
  }
}
