package dev.nas.runtime.lut;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.GenotypeValidator;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.ops.SearchSpace;
import dev.nas.core.run.Progress;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.CostTable;
import dev.nas.derive.cost.LatencyTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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

  /** Which genotypes a run measures. */
  public enum Draw {
    /**
     * Calibration: genotype i of n is uniform random with a share i/(n−1) of its edges moved to
     * the cheapest operation of that edge, so the networks span the space's cost range from its
     * random middle to its cheap end, where searched and budget-fitted networks (rich in
     * identities) lie; a fit to uniform random networks alone extrapolates there, badly.
     */
    SPREAD,
    /** Uniform random genotypes ({@link RandomGenotypes}): the held-out check of the evidence. */
    UNIFORM
  }

  /**
   * Measures {@code n} networks of genotypes drawn by {@code draw} from seeds {@code seed + i} and
   * fits {@link LatencyTable.Calibration#fit}.
   *
   * @param table complete for {@code positions}
   */
  public static Result run(CostPositions positions, Preprocessing pre, LatencyTable table, PartTimer timer, int n,
      long seed, Draw draw) throws IOException {
    if (n <= 0) {
      throw new IllegalArgumentException("calibration needs at least one network, got " + n);
    }
    CostTable predicted = table.uncalibrated(positions);
    List<Network> networks = new ArrayList<>();
    Progress progress = Progress.console(draw == Draw.SPREAD ? "calibrate" : "check", n);
    for (int i = 0; i < n; i++) {
      Genotype g = draw == Draw.SPREAD ? spread(positions, predicted, seed + i, n == 1 ? 0 : (double) i / (n - 1))
          : RandomGenotypes.sample(positions.space(), seed + i);
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

  /**
   * The uniform random genotype of {@code seed} with each edge, with probability {@code share},
   * moved to the operation that is cheapest at that edge by {@code raw} (an identity where there is
   * one, else the cheapest pooling or reduction): at share 1 the genotype is as cheap as its inputs
   * allow, near the space's cheapest network.
   */
  static Genotype spread(CostPositions positions, CostTable raw, long seed, double share) {
    SearchSpace space = positions.space();
    Genotype g = RandomGenotypes.sample(space, seed);
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      CellGenotype c = g.cell(t.name());
      List<List<GenotypeEdge>> nodes = new ArrayList<>();
      for (int node = 0; node < c.nodes().size(); node++) {
        List<GenotypeEdge> edges = new ArrayList<>();
        for (GenotypeEdge e : c.nodes().get(node)) {
          boolean move = rng.nextDouble() < share;
          edges.add(move ? new GenotypeEdge(cheapest(space, raw, t.name(), space.edgeIndex(node, e.input())),
              e.input()) : e);
        }
        nodes.add(edges);
      }
      cells.put(t.name(), new CellGenotype(nodes, c.concat()));
    }
    return GenotypeValidator.validate(new Genotype(g.space(), cells));
  }

  private static String cheapest(SearchSpace space, CostTable raw, String type, int edge) {
    int best = -1;
    for (int o : space.keepableOps(type)) {
      if (best < 0 || raw.entry(type, edge, o) < raw.entry(type, edge, best)) {
        best = o;
      }
    }
    return space.ops(type).get(best);
  }
}
