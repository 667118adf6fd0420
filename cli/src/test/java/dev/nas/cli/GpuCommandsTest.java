package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.trt.PlanInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nas export --format tensorrt} and the GPU runtimes of {@code nas bench}: usage errors
 * (status 2) need no GPU; without one, every GPU path stops with the probe's reason (status 1)
 * before measuring or writing anything.
 */
class GpuCommandsTest {
  @TempDir
  static Path dir;
  static Path net;
  static Path plan;

  @BeforeAll
  static void deriveAndFakeAPlan() throws Exception {
    net = dir.resolve("net");
    CliRunner r = CliRunner.run("derive", "--genotype", "DARTS_V1", "--channels", "4", "--layers", "3", "--input",
        "3x8x8", "--classes", "3", "--out", net.toString());
    assertEquals(0, r.status(), r.toString());
    // A plan file with a consistent sidecar: everything but the engine itself can be checked.
    byte[] bytes = {1, 2, 3};
    plan = Files.write(dir.resolve("model.plan"), bytes);
    new PlanInfo(PlanInfo.FORMAT, PlanInfo.VERSION, "10.6.0", "NVIDIA A100", "8.0", PlanInfo.FP32,
        new PlanInfo.Profile(1, 8, 32), List.of(), List.of(), 1L << 30, 1.0, "m.onnx", "0".repeat(64),
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), "2025-01-01T00:00:00Z")
        .write(plan);
  }

  private static CliRunner fails(int status, String expected, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(status, r.status(), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    return r;
  }

  @Test
  void exportUsageErrorsNeedNoGpu() {
    String n = net.toString();
    String out = dir.resolve("u.plan").toString();
    fails(2, "1 <= min <= opt <= max", "export", "--net", n, "--format", "tensorrt", "--min-batch", "8",
        "--opt-batch", "4", "--out", out);
    fails(2, "--max-batch must be positive", "export", "--net", n, "--format", "tensorrt", "--max-batch", "0", "--out",
        out);
    fails(2, "--workspace-mb", "export", "--net", n, "--format", "tensorrt", "--workspace-mb", "0", "--out", out);
    fails(2, "expects an integer", "export", "--net", n, "--format", "tensorrt", "--opt-batch", "many", "--out", out);
    fails(2, "exactly one of --net", "export", "--format", "tensorrt", "--out", out);
    fails(2, "--timing-cache", "export", "--net", n, "--format", "tensorrt", "--timing-cache", dir.toString(),
        "--out", out);
    fails(2, "--fp16 only applies to --format tensorrt", "export", "--net", n, "--fp16", "--out", "m.onnx");
    fails(2, "not an ONNX file", "export", "--model", "m.onnx", "--out", "n.onnx");
    fails(1, "does not exist", "export", "--model", dir.resolve("none.onnx").toString(), "--format", "tensorrt",
        "--out", out);
    assertFalse(Files.exists(dir.resolve("u.plan")));
  }

  @Test
  void benchUsageErrorsNeedNoGpu() {
    fails(2, "needs --plan FILE", "bench", "--net", net.toString(), "--runtime", "tensorrt");
    fails(2, "--plan is only used by --runtime tensorrt", "bench", "--net", net.toString(), "--plan",
        plan.toString(), "--runtime", "ort");
    fails(2, "unknown --runtime 'cuda'", "bench", "--net", net.toString(), "--runtime", "cuda");
    fails(2, "needs --net NET or --model", "bench", "--plan", plan.toString(), "--runtime", "tensorrt,ort-cuda");
    fails(2, "runs --plan only", "bench", "--net", net.toString(), "--plan", plan.toString(), "--runtime",
        "tensorrt");
    fails(1, "no such file", "bench", "--plan", dir.resolve("none.plan").toString());
    fails(1, "batch 64 is outside", "bench", "--plan", plan.toString(), "--batch", "1,64");
  }

  @Test
  void withoutAGpuTensorRtPathsStopWithTheProbeReasonAndWriteNothing() {
    assumeFalse(Gpu.probeTensorRt().ok(), "a GPU with TensorRT is available here");
    String reason = Gpu.probeTensorRt().reason();
    Path out = dir.resolve("gpu/m.plan");
    Path cache = dir.resolve("gpu/timing.cache");
    fails(1, reason, "export", "--net", net.toString(), "--format", "tensorrt", "--fp16", "--timing-cache",
        cache.toString(), "--out", out.toString());
    assertFalse(Files.exists(out) || Files.exists(PlanInfo.sidecar(out)) || Files.exists(cache));
    if (!Gpu.cudaNativesInBuild()) {
      assertTrue(reason.contains("mvn -Pcuda package"), reason);
    }
    CliRunner bench = fails(1, reason, "bench", "--plan", plan.toString(), "--batch", "1,8");
    assertEquals("", bench.out(), "nothing was measured");
  }

  @Test
  void withoutTheGpuOnnxRuntimeItsProvidersAreExplainedBeforeMeasuring() {
    ai.onnxruntime.OrtEnvironment.getEnvironment(); // loads ONNX Runtime, which lists its providers
    assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
        "this build's ONNX Runtime has the CUDA provider (-Pcuda)");
    CliRunner r = fails(1, "CUDA execution provider is not in this build", "bench", "--net", net.toString(),
        "--runtime", "ort,ort-cuda", "--batch", "1", "--iterations", "1");
    assertEquals("", r.out(), "the CPU runtime was not measured first");
    assertTrue(r.err().contains("mvn -Pcuda package"), r.toString());
    fails(1, "TensorRT execution provider is not in this build", "bench", "--net", net.toString(), "--runtime",
        "ort-trt", "--batch", "1", "--iterations", "1");
  }
}
