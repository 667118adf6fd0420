package dev.nas.core.genotype;

import dev.nas.core.ops.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Samples genotypes uniformly from a search space: for every cell type and every intermediate
 * node, {@link SearchSpace#inputsOf} distinct inputs drawn uniformly among the earlier states
 * (every subset equally likely; all of them in NAS-Bench-201 cells) and, per kept edge, one
 * operation drawn uniformly among the space's keepable operations ({@code none} only where a
 * derived cell can keep it). The output states are the space's ({@link SearchSpace#outputStates}).
 * The random-search baseline of the NAS literature.
 */
public final class RandomGenotypes {
  private RandomGenotypes() {}

  /** The genotype for {@code seed}: the same seed gives the same genotype. */
  public static Genotype sample(SearchSpace space, long seed) {
    return sample(space, new SplittableRandom(seed));
  }

  /** The next genotype drawn from {@code rng}; the result is validated. */
  public static Genotype sample(SearchSpace space, SplittableRandom rng) {
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    for (SearchSpace.CellType type : space.cellTypes()) {
      int[] keepable = space.keepableOps(type.name());
      if (keepable.length == 0) {
        throw new IllegalArgumentException("space " + space.name() + " has no operation that can be kept in "
            + type.name() + " cells");
      }
      List<List<GenotypeEdge>> nodes = new ArrayList<>();
      for (int i = 0; i < space.intermediateNodes(); i++) {
        int states = space.inputStates() + i;
        if (states < space.inputsOf(i)) {
          throw new IllegalArgumentException("space " + space.name() + ": node " + i + " has " + states
              + " earlier states, fewer than the " + space.inputsOf(i) + " inputs it keeps");
        }
        List<GenotypeEdge> edges = new ArrayList<>();
        for (int input : distinct(rng, states, space.inputsOf(i))) {
          edges.add(new GenotypeEdge(type.ops().get(keepable[rng.nextInt(keepable.length)]), input));
        }
        nodes.add(edges);
      }
      cells.put(type.name(), new CellGenotype(nodes, space.outputStates()));
    }
    return GenotypeValidator.validate(new Genotype(space.name(), cells));
  }

  /** {@code k} distinct values of 0..n-1 in ascending order, every k-subset equally likely (partial Fisher–Yates). */
  private static int[] distinct(SplittableRandom rng, int n, int k) {
    int[] pool = IntStream.range(0, n).toArray();
    for (int j = 0; j < k; j++) {
      int r = j + rng.nextInt(n - j);
      int t = pool[j];
      pool[j] = pool[r];
      pool[r] = t;
    }
    int[] out = java.util.Arrays.copyOf(pool, k);
    java.util.Arrays.sort(out);
    return out;
  }
}
