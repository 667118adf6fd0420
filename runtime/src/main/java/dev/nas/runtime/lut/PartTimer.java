package dev.nas.runtime.lut;

import dev.nas.core.bench.LatencyStats;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.derive.cost.LatencyTable;
import java.io.IOException;
import java.util.Map;

/**
 * Times one graph on one runtime, in isolation: warm-up, then timed forward passes over a batch of
 * random input. {@code nas lut} measures each part of a derived network and, to calibrate, whole
 * networks with the same timer, so both come from one runtime, thread count and batch.
 */
public interface PartTimer extends AutoCloseable {
  /** The runtime, its version and settings, as a latency table records them. */
  LatencyTable.Provenance provenance();

  /** The latency of one forward pass of {@code graph} with {@code weights}, ms per batch. */
  LatencyStats time(Graph graph, Map<String, Tensor> weights) throws IOException;

  /** Releases what the timer holds (temporary files, native engines). */
  @Override
  default void close() throws IOException {}
}
