package dev.nas.runtime.trt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.LatencyStats;
import dev.nas.runtime.bench.OrtModel;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.gpu.GpuInfo;
import dev.nas.runtime.trt.PlanInfo.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorRT on a real GPU: engines built from an exported network in FP32 and FP16, their outputs
 * against ONNX Runtime on the CPU, the benchmark, parser errors and plan checks. Skipped, with the
 * probe's reason, where there is no GPU with TensorRT.
 */
class TrtGpuTest {
  /** FP32 engines (TF32 off) against ONNX Runtime's CPU kernels: summation order differs, nothing else. */
  private static final double FP32_TOLERANCE = 1e-3;

  @TempDir
  static Path dir;
  static Path onnx;
  static GpuInfo gpu;

  @BeforeAll
  static void exportWhereThereIsAGpu() throws IOException {
    Gpu.Probe probe = Gpu.probeTensorRt();
    if (probe.ok()) {
      gpu = probe.gpu();
      System.out.println("GPU: " + gpu.describe() + ", TensorRT " + probe.tensorRtVersion());
      onnx = TrtFixtures.network(dir);
    }
  }

  /** Per test rather than per class, so that the report lists every skipped test with the reason. */
  @BeforeEach
  void gpuWithTensorRt() {
    Gpu.Probe probe = Gpu.probeTensorRt();
    assumeTrue(probe.ok(), "needs a GPU with TensorRT: " + probe.reason());
  }

  private static float[] onnxRuntime(float[] input, long[] shape) throws IOException {
    try (OrtModel cpu = OrtModel.open(onnx, 2)) {
      return cpu.run(input, shape).values();
    }
  }

  @Test
  void fp32AndFp16EnginesMatchOnnxRuntime() throws IOException {
    Path cache = dir.resolve("timing.cache");
    Path fp32 = dir.resolve("fp32/model.plan");
    PlanInfo info = TrtBuilder.build(onnx, fp32, new TrtBuildOptions(256, false, 1, 4, 8, cache));
    System.out.printf("FP32 engine build: %.2f s%n", info.buildSeconds());
    assertEquals(info, PlanInfo.read(fp32));
    assertEquals(PlanInfo.FP32, info.precision());
    assertEquals(new PlanInfo.Profile(1, 4, 8), info.profile());
    assertEquals(List.of(new TensorSpec("input", List.of(-1L, 3L, 16L, 16L))), info.inputs());
    assertEquals(List.of(new TensorSpec("logits", List.of(-1L, 10L))), info.outputs());
    assertEquals(Sha256.of(onnx), info.sourceOnnxSha256());
    assertEquals(gpu.computeCapability(), info.computeCapability());
    assertTrue(info.buildSeconds() > 0);
    assertTrue(Files.size(cache) > 0, "the timing cache is saved after the build");

    long[] shape = TrtFixtures.batchShape(4);
    float[] input = TrtFixtures.input(shape, 3);
    float[] expected = onnxRuntime(input, shape);
    float[] logits32;
    try (TrtEngine engine = TrtEngine.open(fp32)) {
      assertEquals("input", engine.inputName());
      assertEquals(List.of("logits"), engine.outputNames());
      assertEquals(1, engine.minBatch());
      assertEquals(8, engine.maxBatch());
      Map<String, TrtEngine.Output> out = engine.run(input, shape);
      assertArrayEquals(new long[] {4, TrtFixtures.CLASSES}, out.get("logits").shape());
      logits32 = out.get("logits").values();
      // Another batch size on the same engine, then the first again: shapes switch per run.
      long[] one = TrtFixtures.batchShape(1);
      float[] single = TrtFixtures.input(one, 4);
      double diffOne = TrtFixtures.maxAbsDifference(onnxRuntime(single, one), engine.run(single, one).get("logits")
          .values());
      assertTrue(diffOne < FP32_TOLERANCE, "batch 1: " + diffOne);
      assertArrayEquals(logits32, engine.run(input, shape).get("logits").values());
    }
    double diff32 = TrtFixtures.maxAbsDifference(expected, logits32);
    System.out.printf("TensorRT FP32 vs ONNX Runtime CPU: max abs difference %.3g (logits up to %.3g)%n", diff32,
        TrtFixtures.maxAbs(expected));
    assertTrue(diff32 < FP32_TOLERANCE, "FP32 max abs difference " + diff32);

    Path fp16 = dir.resolve("fp16/model.plan");
    TrtBuildOptions half = new TrtBuildOptions(256, true, 1, 4, 8, cache);
    if (!gpu.hasFastFp16()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrtBuilder.build(onnx, fp16,
          half));
      assertTrue(e.getMessage().contains("no fast FP16"), e.getMessage());
      return;
    }
    PlanInfo info16 = TrtBuilder.build(onnx, fp16, half);
    System.out.printf("FP16 engine build (timing cache loaded): %.2f s%n", info16.buildSeconds());
    assertEquals(PlanInfo.FP16, info16.precision());
    float[] logits16;
    try (TrtEngine engine = TrtEngine.open(fp16)) {
      logits16 = engine.run(input, shape).get("logits").values();
    }
    double diff16 = TrtFixtures.maxAbsDifference(logits32, logits16);
    System.out.printf("TensorRT FP16 vs FP32: max abs difference %.3g%n", diff16);
    // FP16 keeps about 3 decimal digits; through a few cells the logits stay within a few percent.
    assertTrue(diff16 < 0.05 * Math.max(1, TrtFixtures.maxAbs(logits32)), "FP16 max abs difference " + diff16);
  }

  @Test
  void benchmarkReportsEndToEndAndGpuComputeTime() throws IOException {
    Path plan = dir.resolve("bench/model.plan");
    TrtBuilder.build(onnx, plan, new TrtBuildOptions(256, false, 1, 8, 8, null));
    List<BenchResult> results = new TrtBenchmark(Bencher.iterations(5, 30), 1).run(plan, List.of(1, 8));
    assertEquals(List.of(1, 8), results.stream().map(BenchResult::batchSize).toList());
    for (BenchResult r : results) {
      System.out.println(r);
      assertEquals(TrtBenchmark.RUNTIME, r.runtime());
      assertEquals(30, r.latency().count());
      assertEquals(TrtBenchmark.STAGES, List.copyOf(r.stages().keySet()));
      LatencyStats compute = r.stages().get("gpuCompute");
      assertEquals(30, compute.count());
      assertTrue(compute.minMs() > 0, "GPU compute takes time");
      // Every part of an iteration lies within its wall time.
      double parts = r.stages().values().stream().mapToDouble(LatencyStats::meanMs).sum();
      assertTrue(parts <= r.latency().meanMs() * 1.01, parts + " ms of parts vs " + r.latency().meanMs());
      assertEquals("fp32", r.extra().get("precision"));
    }
    assertThrows(IllegalArgumentException.class, () -> new TrtBenchmark(Bencher.iterations(0, 1), 1).run(plan,
        List.of(16)));
  }

  @Test
  void parserErrorsAreListedAndNothingIsWritten() throws IOException {
    Path model = TrtFixtures.unsupportedOperator(dir);
    Path plan = dir.resolve("unsupported/model.plan");
    TrtParseException e = assertThrows(TrtParseException.class,
        () -> TrtBuilder.build(model, plan, TrtBuildOptions.defaults()));
    System.out.println(e.getMessage());
    assertFalse(e.errors().isEmpty());
    assertTrue(e.getMessage().startsWith("TensorRT cannot parse ONNX model " + model), e.getMessage());
    assertTrue(e.errors().stream().allMatch(x -> x.code().startsWith("k")), e.errors().toString());
    assertTrue(e.getMessage().contains("NoSuchOp") || e.getMessage().contains("dev.nas.test"), e.getMessage());
    assertFalse(Files.exists(plan) || Files.exists(PlanInfo.sidecar(plan)));
  }

  @Test
  void enginesCheckShapesTheirGpuAndTheirLifetime() throws IOException {
    Path plan = dir.resolve("checks/model.plan");
    PlanInfo info = TrtBuilder.build(onnx, plan, new TrtBuildOptions(64, false, 2, 2, 4, null));
    TrtEngine engine = TrtEngine.open(plan);
    long[] shape = TrtFixtures.batchShape(2);
    float[] input = TrtFixtures.input(shape, 5);
    assertThrows(IllegalArgumentException.class, () -> engine.run(input, TrtFixtures.batchShape(1)),
        "batch 1 is below the profile");
    assertThrows(IllegalArgumentException.class, () -> engine.run(new float[input.length + 1], shape));
    assertThrows(IllegalArgumentException.class, () -> engine.run(input, new long[] {2, 3, 256}));
    assertEquals(1, engine.run(input, shape).size());
    engine.close();
    assertDoesNotThrow(engine::close);
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> engine.run(input, shape));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());

    // The same plan, said to be for another GPU, is refused before TensorRT sees it.
    new PlanInfo(info.format(), info.version(), info.tensorRtVersion(), "Some Other GPU", "1.0", info.precision(),
        info.profile(), info.inputs(), info.outputs(), info.workspaceBytes(), info.buildSeconds(), info.sourceOnnx(),
        info.sourceOnnxSha256(), info.planSha256(), info.createdAt()).write(plan);
    IllegalStateException other = assertThrows(IllegalStateException.class, () -> TrtEngine.open(plan));
    assertTrue(other.getMessage().contains("Some Other GPU"), other.getMessage());
  }
}
