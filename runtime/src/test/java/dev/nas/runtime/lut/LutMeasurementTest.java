package dev.nas.runtime.lut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPart;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.gpu.Gpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LutMeasurementTest {
  private static final Preprocessing PRE = Preprocessing.identity(3);
  private static final CostPositions TINY = CostPositions.of(SearchSpace.DARTS, new MacroConfig(MacroConfig.Kind.CIFAR,
      4, 3, 3, FeatureShape.of(3, 8, 8), false), PRE);
  private static final LatencyTable.Settings SETTINGS = new LatencyTable.Settings(1, 3);

  @TempDir
  Path dir;

  /**
   * Records what it is asked to time and, at each call, how many entries the file already holds;
   * its latencies are real timings of nothing, which is all the bookkeeping under test needs.
   */
  private static final class CountingTimer implements PartTimer {
    final Path file;
    final List<Integer> graphsTimed = new ArrayList<>();
    final List<Integer> entriesOnDisk = new ArrayList<>();

    CountingTimer(Path file) {
      this.file = file;
    }

    @Override
    public LatencyTable.Provenance provenance() {
      return new LatencyTable.Provenance("ort", "test", "CPU", "fp32", 1, 1);
    }

    @Override
    public LatencyStats time(Graph graph, Map<String, Tensor> weights) throws IOException {
      graphsTimed.add(graph.nodes().size());
      entriesOnDisk.add(Files.exists(file) ? LatencyTable.read(file).entries().size() : 0);
      return Bencher.iterations(0, 3).measure(() -> { }).stats();
    }
  }

  @Test
  void measuresEachMissingPartOnceWritingAfterEveryEntry() throws IOException {
    Path out = dir.resolve("lut.json");
    CountingTimer timer = new CountingTimer(out);
    LutMeasurement.Outcome first = LutMeasurement.measure(TINY, timer, SETTINGS, 0, out);
    long computing = TINY.distinctParts().stream().filter(p -> !p.empty()).count();
    assertEquals(computing, first.measured());
    assertEquals(0, first.reused());
    assertEquals(TINY.distinctParts().size() - computing, first.empty());
    // the call overhead first, then every part that computes something
    assertEquals(computing + 1, timer.graphsTimed.size());
    assertTrue(LatencyTable.read(out).entries().containsKey(LatencyTable.CALL_OVERHEAD));
    for (int i = 0; i < timer.entriesOnDisk.size(); i++) {
      assertEquals(i, timer.entriesOnDisk.get(i), "entries on disk before part " + i);
    }

    LatencyTable t = LatencyTable.read(out);
    List<String> keep = new ArrayList<>(t.entries().keySet());
    keep.remove(7);
    keep.remove(1);
    t.retaining(keep).write(out);
    CountingTimer again = new CountingTimer(out);
    LutMeasurement.Outcome second = LutMeasurement.measure(TINY, again, SETTINGS, 0, out);
    assertEquals(2, second.measured());
    assertEquals(computing - 2, second.reused());
    assertEquals(2, again.graphsTimed.size());
    assertEquals(t.entries().keySet(), LatencyTable.read(out).entries().keySet());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LutMeasurement.measure(TINY,
        new CountingTimer(out), new LatencyTable.Settings(1, 4), 0, out));
    assertTrue(e.getMessage().contains("iterations 3, not 4"), e.getMessage());
  }

  @Test
  void ortTimesAPartAndAWholeNetworkWithTheSameSettings() throws IOException {
    Path out = dir.resolve("ort.json");
    try (OrtPartTimer timer = OrtPartTimer.open(ExecutionProvider.CPU, 1, 2, Bencher.iterations(1, 4), 0)) {
      assertEquals("ort", timer.provenance().runtime());
      assertEquals(2, timer.provenance().batch());
      CostPart stem = TINY.distinctParts().get(0);
      assertTrue(stem.key().startsWith("stem:cifar|in:3x8x8"), stem.key());
      LatencyTable table = LutMeasurement.measure(TINY, timer, new LatencyTable.Settings(1, 4), 0, out).table();
      assertTrue(table.entries().values().stream().allMatch(en -> en.iterations() == 4 && en.p50Ms() > 0));
      LutCalibration.Result r = LutCalibration.run(TINY, PRE, table, timer, 2, 3, LutCalibration.Draw.SPREAD);
      assertEquals(List.of(3L, 4L), r.networks().stream().map(LutCalibration.Network::seed).toList());
      for (LutCalibration.Network n : r.networks()) {
        assertEquals(table.table(TINY).of(n.genotype()), n.predictedMs(), 1e-12);
        assertTrue(n.measuredMs() > 0);
      }
      assertEquals(2, r.calibration().networks());
    }
  }

  @Test
  void gpuTimersMeasureParts() throws IOException {
    Gpu.Probe probe = Gpu.probeTensorRt();
    assumeTrue(probe.ok(), "needs a GPU with TensorRT: " + probe.reason());
    OrtEnvironment.getEnvironment();
    assumeTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "needs ONNX Runtime's CUDA "
        + "provider: rebuild with 'mvn -Pcuda package'");
    List<PartTimer> timers = List.of(OrtPartTimer.open(ExecutionProvider.CUDA, 1, 1, Bencher.iterations(2, 5), 0),
        TrtPartTimer.open(1, Bencher.iterations(2, 5), 0));
    for (PartTimer timer : timers) {
      try (timer) {
        Path out = dir.resolve(timer.provenance().runtime() + ".json");
        LutMeasurement.Outcome o = LutMeasurement.measure(TINY, timer, new LatencyTable.Settings(2, 5), 0, out);
        assertTrue(o.table().entries().values().stream().allMatch(en -> en.p50Ms() > 0), timer.provenance()
            .toString());
      }
    }
  }

  @Test
  void calibrationNetworksSpanFromUniformRandomToTheCheapEnd() {
    // a table whose entries are the parts' MACs: the cheapest op of an edge is then known
    dev.nas.derive.cost.CostTable raw = dev.nas.derive.cost.CountedCost.MACS.table(TINY);
    dev.nas.core.genotype.Genotype none = LutCalibration.spread(TINY, raw, 4, 0);
    assertEquals(dev.nas.core.genotype.RandomGenotypes.sample(TINY.space(), 4), none);
    dev.nas.core.genotype.Genotype all = LutCalibration.spread(TINY, raw, 4, 1);
    assertTrue(raw.of(all) < raw.of(none));
    for (String type : java.util.List.of("normal", "reduce")) {
      var nodes = all.cell(type).nodes();
      for (int node = 0; node < nodes.size(); node++) {
        for (var e : nodes.get(node)) {
          int edge = TINY.space().edgeIndex(node, e.input());
          double chosen = raw.entry(type, edge, TINY.space().opIndex(type, e.op()));
          for (int o : TINY.space().keepableOps(type)) {
            assertTrue(chosen <= raw.entry(type, edge, o), type + " edge " + edge + ": " + e.op());
          }
        }
      }
    }
    assertEquals(none.cell("normal").flatEdges().stream().map(e -> e.input()).toList(),
        all.cell("normal").flatEdges().stream().map(e -> e.input()).toList(), "the inputs stay");
  }
}
