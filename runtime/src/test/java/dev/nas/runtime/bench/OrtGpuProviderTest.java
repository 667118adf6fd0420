package dev.nas.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.gpu.GpuUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ONNX Runtime's CUDA and TensorRT execution providers: explained where missing, compared where present. */
class OrtGpuProviderTest {
  @TempDir
  Path dir;

  private Path relu() throws IOException {
    return Files.write(dir.resolve("relu.onnx"), OnnxFixtures.relu());
  }

  private static boolean inBuild(ExecutionProvider p) {
    OrtEnvironment.getEnvironment();
    return OrtEnvironment.getAvailableProviders()
        .contains(p == ExecutionProvider.CUDA ? OrtProvider.CUDA : OrtProvider.TENSOR_RT);
  }

  @ParameterizedTest
  @EnumSource(names = {"CUDA", "TENSORRT"})
  void aProviderMissingFromTheBuildIsOneClearError(ExecutionProvider provider) throws IOException {
    assumeFalse(inBuild(provider), "this build's ONNX Runtime has the " + provider.label() + " provider (-Pcuda)");
    Path model = relu();
    GpuUnavailableException e =
        assertThrows(GpuUnavailableException.class, () -> OrtModel.open(model, 1, provider));
    assertTrue(e.getMessage().startsWith("ONNX Runtime's " + provider.label() + " execution provider is not in this "
        + "build") && e.getMessage().contains("mvn -Pcuda package") && e.getMessage().contains("CUDA 12"),
        e.getMessage());
    assertEquals(provider == ExecutionProvider.TENSORRT, e.getMessage().contains("TensorRT 10"), e.getMessage());
    // The benchmark fails the same way, before measuring anything.
    OrtBenchmark bench = new OrtBenchmark(1, Bencher.iterations(0, 1), 1, provider);
    assertEquals(e.getMessage(),
        assertThrows(GpuUnavailableException.class, () -> bench.run(model, List.of(1))).getMessage());
  }

  @Test
  void aProviderThatFailsToStartNamesOnnxRuntimesErrorAndTheProbe() {
    GpuUnavailableException e = ExecutionProvider.CUDA.unavailable(
        "Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open shared "
            + "object file", true);
    assertTrue(e.getMessage().startsWith("ONNX Runtime could not start its CUDA execution provider (Failed to load"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("; it needs an NVIDIA GPU and driver, the CUDA 12 and cuDNN 9 libraries on "
        + "the library path"), e.getMessage());
    if (!Gpu.probe().ok()) {
      assertTrue(e.getMessage().contains(Gpu.probe().reason()), e.getMessage());
    }
  }

  @Test
  void runtimeNamesMapToProviders() {
    assertEquals(ExecutionProvider.CPU, ExecutionProvider.ofRuntime("ort").orElseThrow());
    assertEquals(ExecutionProvider.CUDA, ExecutionProvider.ofRuntime("ort-cuda").orElseThrow());
    assertEquals(ExecutionProvider.TENSORRT, ExecutionProvider.ofRuntime("ort-trt").orElseThrow());
    assertTrue(ExecutionProvider.ofRuntime("tensorrt").isEmpty());
    assertFalse(ExecutionProvider.CPU.isGpu());
  }

  @ParameterizedTest
  @EnumSource(names = {"CUDA", "TENSORRT"})
  void gpuProvidersComputeWhatTheCpuComputes(ExecutionProvider provider) throws IOException {
    assumeTrue(inBuild(provider), "needs ONNX Runtime's " + provider.label() + " provider: rebuild with "
        + "'mvn -Pcuda package'");
    assumeTrue(Gpu.probe().ok(), "needs a GPU: " + Gpu.probe().reason());
    Path model = relu();
    float[] input = new float[8 * 4];
    Random random = new Random(1);
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    long[] shape = {8, 4};
    try (OrtModel cpu = OrtModel.open(model, 1); OrtModel gpu = OrtModel.open(model, 1, provider)) {
      assertEquals(provider, gpu.provider());
      assertArrayEquals(cpu.run(input, shape).values(), gpu.run(input, shape).values());
    }
    List<BenchResult> results = new OrtBenchmark(1, Bencher.iterations(3, 10), 1, provider).run(model, List.of(1, 8));
    for (BenchResult r : results) {
      assertEquals(provider.runtime(), r.runtime());
      assertEquals(provider.label(), r.extra().get("executionProvider"));
      assertEquals(10, r.latency().count());
      assertTrue(r.latency().minMs() > 0 && r.throughput() > 0);
    }
  }
}
