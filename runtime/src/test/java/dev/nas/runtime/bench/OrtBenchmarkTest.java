package dev.nas.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.bench.BenchReport;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.runtime.bench.OnnxFixtures.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtBenchmarkTest {
  @TempDir
  Path dir;

  @Test
  void measuresEachBatchSize() throws IOException {
    Path model = Files.write(dir.resolve("relu.onnx"), OnnxFixtures.relu());
    List<BenchResult> results = new OrtBenchmark(1, Bencher.iterations(3, 25), 7).run(model, List.of(1, 8, 32));

    assertEquals(List.of(1, 8, 32), results.stream().map(BenchResult::batchSize).toList());
    for (BenchResult r : results) {
      assertEquals(OrtBenchmark.RUNTIME, r.runtime());
      assertEquals(1, r.threads());
      assertEquals(3, r.warmupIterations());
      assertEquals(25, r.iterations());
      assertEquals(25, r.latency().count());
      assertTrue(r.latency().minMs() > 0 && r.latency().minMs() <= r.latency().p50Ms());
      assertTrue(r.throughput() > 0);
      assertEquals("CPU", r.extra().get("executionProvider"));
      assertEquals("[" + r.batchSize() + ", 4]", r.extra().get("input"));
    }
    String table = BenchReport.of(results).toText();
    assertTrue(table.contains("ort "), table);
  }

  @Test
  void durationModeRunsUntilTheBudgetIsSpent() throws IOException {
    Path model = Files.write(dir.resolve("relu.onnx"), OnnxFixtures.relu());
    BenchResult r = new OrtBenchmark(1, Bencher.duration(2, Duration.ofMillis(30)), 7).run(model, List.of(8)).get(0);
    assertTrue(r.wallTimeMs() >= 30, r.wallTimeMs() + " ms");
    assertTrue(r.iterations() >= 1);
  }

  @Test
  void fixedBatchModelRejectsOtherBatchSizesBeforeRunning() throws IOException {
    Path model = Files.write(dir.resolve("fixed.onnx"),
        OnnxFixtures.singleOp("Relu", List.of(new Value("x", OnnxFixtures.FLOAT, 1, 4)),
            new Value("y", OnnxFixtures.FLOAT, 1, 4)));
    OrtBenchmark bench = new OrtBenchmark(1, Bencher.iterations(0, 2), 7);
    assertEquals(1, bench.run(model, List.of(1)).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bench.run(model, List.of(1, 8)));
    assertTrue(e.getMessage().contains("dynamic batch"), e.getMessage());
  }

  @Test
  void missingModelFailsWithThePath() {
    Path missing = dir.resolve("missing.onnx");
    OrtBenchmark bench = new OrtBenchmark(1, Bencher.iterations(0, 1), 7);
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> bench.run(missing, List.of(1)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }
}
