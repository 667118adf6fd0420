package dev.nas.runtime.trt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nas.core.bench.Bencher;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.gpu.GpuUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a GPU every TensorRT path fails at once with the probe's reason, after the checks that
 * need no GPU, and writes nothing. (With one, {@link TrtGpuTest} covers the same paths.)
 */
class TrtWithoutGpuTest {
  @TempDir
  Path dir;

  @BeforeEach
  void noGpu() {
    assumeFalse(Gpu.probeTensorRt().ok(), "a GPU with TensorRT is available here; TrtGpuTest covers it");
  }

  @Test
  void buildFailsFastWithTheProbeReasonAndWritesNothing() throws IOException {
    Path plan = dir.resolve("out/model.plan");
    Path cache = dir.resolve("timing.cache");
    TrtBuildOptions options = new TrtBuildOptions(64, true, 1, 2, 4, cache);
    assertThrows(NoSuchFileException.class, () -> TrtBuilder.build(dir.resolve("none.onnx"), plan, options));

    Path onnx = TrtFixtures.network(dir);
    GpuUnavailableException e =
        assertThrows(GpuUnavailableException.class, () -> TrtBuilder.build(onnx, plan, options));
    assertEquals(Gpu.probeTensorRt().reason(), e.getMessage());
    assertFalse(Files.exists(plan) || Files.exists(PlanInfo.sidecar(plan)) || Files.exists(cache));
  }

  @Test
  void engineChecksItsSidecarBeforeNeedingTheGpu() throws IOException {
    assertThrows(NoSuchFileException.class, () -> TrtEngine.open(dir.resolve("none.plan")));
    Path plan = Files.write(dir.resolve("model.plan"), new byte[] {7, 7, 7});
    NoSuchFileException noSidecar = assertThrows(NoSuchFileException.class, () -> TrtEngine.open(plan));
    assertTrue(noSidecar.getMessage().contains("sidecar"), noSidecar.getMessage());

    PlanInfoTest.sidecarFor(new byte[] {7, 7, 8}).write(plan);
    IOException replaced = assertThrows(IOException.class, () -> TrtEngine.open(plan));
    assertTrue(replaced.getMessage().contains("does not match its sidecar"), replaced.getMessage());

    PlanInfoTest.sidecarFor(new byte[] {7, 7, 7}).write(plan);
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> TrtEngine.open(plan));
    assertEquals(Gpu.probeTensorRt().reason(), e.getMessage());
  }

  @Test
  void benchmarkRejectsBatchSizesOutsideTheProfileFirst() throws IOException {
    Path plan = Files.write(dir.resolve("model.plan"), new byte[] {7});
    PlanInfoTest.sidecarFor(new byte[] {7}).write(plan);
    TrtBenchmark bench = new TrtBenchmark(Bencher.iterations(1, 2), 1);
    IllegalArgumentException outside =
        assertThrows(IllegalArgumentException.class, () -> bench.run(plan, List.of(1, 64)));
    assertTrue(outside.getMessage().contains("batch 64 is outside"), outside.getMessage());
    assertThrows(IllegalArgumentException.class, () -> bench.run(plan, List.of()));
    assertThrows(GpuUnavailableException.class, () -> bench.run(plan, List.of(1, 32)));
  }
}
