package dev.nas.cli;

import dev.nas.core.cost.CostReport;
import dev.nas.derive.NetworkFolder;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.onnx.OnnxCostCounter;
import dev.nas.runtime.trt.PlanInfo;
import dev.nas.runtime.trt.TrtBuildOptions;
import dev.nas.runtime.trt.TrtBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.Options;

/**
 * {@code nas export}: a network folder → ONNX; an ONNX model or network folder → TensorRT engine
 * or Triton model repository entry.
 */
final class ExportCommand extends Command {
  static final List<String> FORMATS = List.of("onnx", "tensorrt", "triton");
  /** Options that only mean something for {@code --format tensorrt}. */
  private static final List<String> TENSORRT_OPTIONS =
      List.of("workspace-mb", "fp16", "min-batch", "opt-batch", "timing-cache");
  /** Options that only mean something for {@code --format triton}. */
  private static final List<String> TRITON_OPTIONS = List.of("repo", "name", "version", "plan", "max-queue-delay-us",
      "queue-size");

  String name() {
    return "export";
  }

  String summary() {
    return "export a network to ONNX (opset 17, dynamic batch, normalisation inside), build a TensorRT engine, or "
        + "add a model to a Triton model repository";
  }

  String examples() {
    return "nas export --net nets/fm-trained --format onnx --out fm.onnx\n"
        + "nas export --model fm.onnx --format tensorrt --out fm.plan --max-batch 64 --timing-cache trt.cache\n"
        + "nas export --net nets/fm-trained --format tensorrt --fp16 --out fm-fp16.plan\n"
        + "nas export --model fm.onnx --format triton --repo models --name fm --max-batch 32";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("net", "NET", "network folder (required for onnx)"));
    o.addOption(opt("model", "FILE", "ONNX model (tensorrt, triton; instead of --net)"));
    o.addOption(opt("format", "F", "onnx (default), tensorrt (an engine plus its JSON sidecar FILE.json) or triton "
        + "(a model repository entry)"));
    o.addOption(opt("out", "FILE", "output file (required for onnx and tensorrt)"));
    o.addOption(opt("workspace-mb", "MB", "tensorrt: workspace memory-pool limit (default "
        + TrtBuildOptions.DEFAULT_WORKSPACE_MB + ")"));
    o.addOption(flag("fp16", "tensorrt: allow FP16 kernels (default: strict FP32)"));
    o.addOption(opt("min-batch", "N", "tensorrt: smallest batch size (default " + TrtBuildOptions.DEFAULT_MIN_BATCH
        + ")"));
    o.addOption(opt("opt-batch", "N", "tensorrt: batch size to tune for (default " + TrtBuildOptions.DEFAULT_OPT_BATCH
        + ", within min..max)"));
    o.addOption(opt("max-batch", "N", "tensorrt: largest batch size (default " + TrtBuildOptions.DEFAULT_MAX_BATCH
        + "); triton: max_batch_size (default 32)"));
    o.addOption(opt("timing-cache", "FILE", "tensorrt: kernel timing cache, loaded if present and saved after the "
        + "build"));
    TritonExport.addOptions(o);
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    String format = a.str("format", "onnx").toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new UsageException("--format " + format + " is not supported by this build (supported: " + FORMATS + ")");
    }
    if (!format.equals("tensorrt")) {
      only(a, TENSORRT_OPTIONS, "tensorrt");
    }
    if (!format.equals("triton")) {
      only(a, TRITON_OPTIONS, "triton");
    }
    return switch (format) {
      case "tensorrt" -> tensorRt(a, out);
      case "triton" -> TritonExport.run(a, out);
      default -> onnx(a, out);
    };
  }

  private static void only(Args a, List<String> options, String format) {
    for (String o : options) {
      if (a.has(o)) {
        throw new UsageException("--" + o + " only applies to --format " + format);
      }
    }
  }

  private int onnx(Args a, PrintStream out) throws Exception {
    only(a, List.of("max-batch"), "tensorrt or triton");
    if (a.has("model")) {
      throw new UsageException("--format onnx exports a network folder (--net), not an ONNX file");
    }
    NetworkFolder net = NetworkFolder.read(a.path("net"));
    Path file = a.path("out");
    warnIfUntrained(net);
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    OnnxFiles.write(file, OnnxExporter.export(net.spec(), net.graph(), net.weights()));
    CostReport cost = OnnxCostCounter.count(file);
    out.printf("wrote %s (%,d bytes): input %s, opset %d, params %s, MACs %s%n", file, Files.size(file),
        "Nx" + net.spec().macro().input(), OnnxExporter.OPSET, CostReport.human(cost.params()),
        CostReport.human(cost.macs()));
    return 0;
  }

  private int tensorRt(Args a, PrintStream out) throws Exception {
    TrtBuildOptions options = buildOptions(a);
    Path plan = a.path("out");
    try (ModelSource src = ModelSource.of(a)) {
      // Before exporting anything: without a GPU and TensorRT there is nothing to build on.
      Gpu.requireTensorRt();
      if (src.isNetwork()) {
        warnIfUntrained(src.network());
      }
      String source = src.isNetwork() ? src.name() + " (network folder, exported to ONNX for the build)" : src.name();
      PlanInfo info = TrtBuilder.build(src.onnx(), plan, options, source);
      out.printf(Locale.ROOT, "wrote %s (%,d bytes) and %s: TensorRT %s, %s, %s (compute capability %s), batch "
              + "%d/%d/%d (min/opt/max), engine built in %.1f s%n", plan, Files.size(plan), PlanInfo.sidecar(plan),
          info.tensorRtVersion(), info.precision(), info.gpu(), info.computeCapability(), info.profile().minBatch(),
          info.profile().optBatch(), info.profile().maxBatch(), info.buildSeconds());
      if (options.timingCache() != null) {
        out.printf("timing cache: %s%n", options.timingCache());
      }
    }
    return 0;
  }

  /** The build options, validated before anything else happens. */
  static TrtBuildOptions buildOptions(Args a) {
    int min = a.integer("min-batch", TrtBuildOptions.DEFAULT_MIN_BATCH);
    int max = a.integer("max-batch", Math.max(min, TrtBuildOptions.DEFAULT_MAX_BATCH));
    int opt = a.integer("opt-batch", TrtBuildOptions.defaultOpt(min, max));
    long workspace = a.longValue("workspace-mb", TrtBuildOptions.DEFAULT_WORKSPACE_MB);
    Path cache = a.has("timing-cache") ? Path.of(a.str("timing-cache", null)) : null;
    if (cache != null && Files.isDirectory(cache)) {
      throw new UsageException("--timing-cache " + cache + " is a folder; give a file");
    }
    try {
      return new TrtBuildOptions(workspace, a.has("fp16"), min, opt, max, cache);
    } catch (IllegalArgumentException e) {
      String option = e.getMessage().contains("workspace") ? "--workspace-mb" : "--min-batch/--opt-batch/--max-batch";
      throw new UsageException(option + ": " + e.getMessage());
    }
  }

  private static void warnIfUntrained(NetworkFolder net) {
    if (!Boolean.TRUE.equals(net.spec().info().get("trained"))) {
      System.err.println("warning: " + net.dir() + " has not been trained (nas train); exporting its initial weights");
    }
  }
}
