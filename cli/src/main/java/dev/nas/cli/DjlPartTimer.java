package dev.nas.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.djl.DjlBenchmark;
import dev.nas.runtime.lut.PartTimer;
import java.util.List;
import java.util.Map;

/**
 * Times graphs in DJL eager mode on the CPU with {@link DjlBenchmark}; here rather than in the
 * runtime module, which does not depend on DJL.
 */
final class DjlPartTimer implements PartTimer {
  private final DjlBenchmark benchmark;
  private final LatencyTable.Provenance provenance;
  private final int batch;

  DjlPartTimer(int batch, Bencher bencher, long seed) {
    this.benchmark = new DjlBenchmark(bencher, Device.cpu(), seed);
    Engine engine = Engine.getInstance();
    this.provenance = new LatencyTable.Provenance(DjlBenchmark.RUNTIME, engine.getEngineName() + " "
        + engine.getVersion(), "CPU", "fp32", DjlBenchmark.threads(), batch);
    this.batch = batch;
  }

  @Override
  public LatencyTable.Provenance provenance() {
    return provenance;
  }

  @Override
  public LatencyStats time(Graph graph, Map<String, Tensor> weights) {
    return benchmark.run(graph, weights, List.of(batch)).get(0).latency();
  }
}
