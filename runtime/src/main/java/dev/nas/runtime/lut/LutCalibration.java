package dev.nas.runtime.lut;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.run.Progress;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.CostTable;
import dev.nas.derive.cost.LatencyTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a latency table against whole networks: random genotypes of the space, each built into
 * its derived network (no auxiliary head) and timed whole on the table's runtime, against the
 * sum of their parts. The parts are timed alone, so each carries the runtime's per-call overhead
 * and misses fusion across part boundaries; the fitted scale and offset correct that on average.
 */
public final class LutCalibration {
  private LutCalibration() {}

  /** One network: its genotype's seed, the table's uncorrected prediction and the measured latency, ms per batch. */
  public record Network(long seed, Genotype genotype, double predictedMs, double measuredMs) {}

  /** The networks measured and the calibration fitted to them. */
  public record Result(List<Network> networks, LatencyTable.Calibration calibration) {
    /** Total predicted latency of the networks, by the uncorrected table. */
    public double predictedMs() {
      return networks.stream().mapToDouble(Network::predictedMs).sum();
    }
  }

  /**
   * Measures {@code n} networks of genotypes {@code RandomGenotypes.sample(space, seed + i)} and
   * fits {@link LatencyTable.Calibration#fit}.
   *
   * @param table complete for {@code positions}
   */
  public static Result run(CostPositions positions, Preprocessing pre, LatencyTable table, PartTimer timer, int n,
      long seed) throws IOException {
    if (n <= 0) {
      throw new IllegalArgumentException("calibration needs at least one network, got " + n);
    }
    CostTable predicted = table.uncalibrated(positions);
    List<Network> networks = new ArrayList<>();
    Progress progress = Progress.console("calibrate", n);
    for (int i = 0; i < n; i++) {
      Genotype g = RandomGenotypes.sample(positions.space(), seed + i);
      Graph graph = NetworkBuilder.build(g, positions.macro().withAuxiliary(false), pre);
      double measured = timer.time(graph, Initializer.of(graph, seed)).p50Ms();
      networks.add(new Network(seed + i, g, predicted.of(g), measured));
      progress.update(1, "network " + (i + 1));
    }
    Progress.clearLine(System.err);
    double[] p = networks.stream().mapToDouble(Network::predictedMs).toArray();
    double[] m = networks.stream().mapToDouble(Network::measuredMs).toArray();
    return new Result(networks, LatencyTable.Calibration.fit(p, m));
  }
}
