package dev.nas.core.genotype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.ops.SearchSpace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomGenotypesTest {
  @Test
  void samplesAreValidSeededAndNeverNone() {
    for (SearchSpace space : List.of(SearchSpace.DARTS, SearchSpace.O2D, SearchSpace.PVNAS)) {
      SplittableRandom rng = new SplittableRandom(7);
      for (int n = 0; n < 200; n++) {
        Genotype g = RandomGenotypes.sample(space, rng); // validates
        assertEquals(space.name(), g.space());
        for (Map.Entry<String, CellGenotype> c : g.cells().entrySet()) {
          assertEquals(List.of(2, 3, 4, 5), c.getValue().concat());
          c.getValue().flatEdges().forEach(e -> assertNotEquals("none", e.op()));
          // per-cell-type op sets: pvnas' spatial cells never get its temporal operations
          List<String> ops = space.ops(c.getKey());
          c.getValue().flatEdges().forEach(e -> assertTrue(ops.contains(e.op()), e.op() + " in " + c.getKey()));
        }
        assertEquals(g, GenotypeValidator.validate(g));
      }
      assertEquals(RandomGenotypes.sample(space, 3), RandomGenotypes.sample(space, 3));
      assertNotEquals(RandomGenotypes.sample(space, 3), RandomGenotypes.sample(space, 4));
    }
  }

  /**
   * Input pairs and operations are uniform: over 14,000 samples of the DARTS space, each of node
   * 3's C(5,2)=10 input pairs and each of the 7 keepable operations (on node 0's first edge) is
   * within 4 standard deviations of its expected count, and a chi-square statistic stays below
   * the 0.999 quantile (27.9 for 9 and 22.5 for 6 degrees of freedom).
   */
  @Test
  void inputPairsAndOperationsAreUniform() {
    SearchSpace space = SearchSpace.DARTS;
    int n = 14_000;
    Map<String, Integer> pairs = new HashMap<>();
    Map<String, Integer> ops = new HashMap<>();
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < n; i++) {
      CellGenotype normal = RandomGenotypes.sample(space, rng).cell(Genotype.NORMAL);
      List<GenotypeEdge> node3 = normal.nodes().get(3);
      assertTrue(node3.get(0).input() < node3.get(1).input());
      pairs.merge(node3.get(0).input() + "," + node3.get(1).input(), 1, Integer::sum);
      ops.merge(normal.nodes().get(0).get(0).op(), 1, Integer::sum);
    }
    assertEquals(10, pairs.size());
    assertEquals(7, ops.size());
    assertFalse(ops.containsKey("none"));
    assertUniform(pairs, n, 27.9);
    assertUniform(ops, n, 22.5);
  }

  private static void assertUniform(Map<String, Integer> counts, int n, double chiSquareLimit) {
    double expected = (double) n / counts.size();
    double sd = Math.sqrt(expected * (1 - 1.0 / counts.size()));
    double chi = 0;
    for (var e : counts.entrySet()) {
      assertTrue(Math.abs(e.getValue() - expected) < 4 * sd, e.getKey() + ": " + e.getValue() + " vs " + expected);
      chi += Math.pow(e.getValue() - expected, 2) / expected;
    }
    assertTrue(chi < chiSquareLimit, "chi-square " + chi + " >= " + chiSquareLimit + " for " + counts);
  }
}
