package dev.nas.derive.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostPositionsTest {
  private static final MacroConfig CIFAR = new MacroConfig(MacroConfig.Kind.CIFAR, 8, 6, 10, FeatureShape.of(3, 16, 16),
      true);
  private static final MacroConfig IMAGENET = new MacroConfig(MacroConfig.Kind.IMAGENET, 8, 5, 7,
      FeatureShape.of(3, 64, 64), false);
  private static final MacroConfig SDAS = MacroConfig.video(MacroConfig.Kind.VIDEO_SDAS, 4, 1, 4, 5,
      FeatureShape.of(3, 8, 32, 32), false);
  private static final MacroConfig PVNAS = MacroConfig.video(MacroConfig.Kind.VIDEO_PVNAS, 4, 2, 4, 5,
      FeatureShape.of(3, 8, 32, 32), false);

  /** The table's sum for a genotype is the counter's count of the genotype's whole network, exactly. */
  @Test
  void tablesAddUpToTheCountOfTheDerivedNetwork() {
    check(SearchSpace.DARTS, CIFAR);
    check(SearchSpace.DARTS, IMAGENET);
    check(SearchSpace.O3D, SDAS);
    check(SearchSpace.PVNAS, PVNAS);
    check(SearchSpace.NB201, new MacroConfig(MacroConfig.Kind.NB201, 4, 6, 10, FeatureShape.of(3, 16, 16), false));
  }

  private static void check(SearchSpace space, MacroConfig m) {
    Preprocessing pre = Preprocessing.identity(m.input().channels());
    CostPositions positions = CostPositions.of(space, m, pre);
    CostTable macs = CountedCost.MACS.table(positions);
    CostTable params = CountedCost.PARAMS.table(positions);
    for (long seed = 1; seed <= 4; seed++) {
      Genotype g = RandomGenotypes.sample(space, seed);
      CostReport r = CostCounter.count(NetworkBuilder.build(g, m, pre), "net");
      assertEquals(r.macs(), macs.of(g), 0.0, space.name() + " in " + m.kind().id() + ", seed " + seed);
      assertEquals(r.params(), params.of(g), 0.0, space.name() + " in " + m.kind().id() + ", seed " + seed);
      double sum = positions.partsOf(g).stream().filter(p -> !p.empty()).mapToDouble(CountedCost.MACS::of).sum();
      assertEquals(r.macs(), sum, 0.0, "the parts of the genotype are its network");
    }
    assertTrue(macs.cheapest() <= macs.of(RandomGenotypes.sample(space, 9)));
  }

  /** A NAS-Bench-201 cell may leave nodes dead; the table counts what the network computes. */
  @Test
  void deadNasBench201NodesCostNothing() {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.NB201, 4, 3, 10, FeatureShape.of(3, 8, 8), false);
    Preprocessing pre = Preprocessing.identity(3);
    CostTable params = CountedCost.PARAMS.table(CostPositions.of(SearchSpace.NB201, m, pre));
    for (String arch : List.of("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|none~2|",
        "|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|")) {
      Genotype g = dev.nas.core.genotype.Genotypes.parse(arch);
      assertEquals(CostCounter.count(NetworkBuilder.build(g, m, pre), "net").params(), params.of(g), 0.0, arch);
    }
  }

  @Test
  void identicalShapesShareAKeyAndEmptyOperationsCostNothing() {
    CostPositions p = CostPositions.of(SearchSpace.DARTS, CIFAR, Preprocessing.identity(3));
    List<CostPart> parts = p.distinctParts();
    Set<String> keys = new HashSet<>();
    parts.forEach(x -> assertTrue(keys.add(x.key()), "duplicate key " + x.key()));
    // 6 cells of 14 edges × 8 ops, but the normal cells of one stage share their shapes
    assertTrue(parts.size() < 6 * 14 * 8, parts.size() + " parts");
    assertTrue(parts.stream().anyMatch(x -> x.key().equals("op:skip_connect|in:8x16x16|stride:1x1") && x.empty()));
    assertTrue(parts.stream().anyMatch(x -> x.key().equals("op:none|in:8x16x16|stride:1x1") && x.empty()));
    assertTrue(parts.stream().anyMatch(x -> x.key().startsWith("op:skip_connect|in:16x16x16|stride:2x2")
        && !x.empty()), "a strided skip is a FactorizedReduce");
    assertTrue(parts.stream().anyMatch(x -> x.key().startsWith("stem:cifar|in:3x16x16")));
    assertTrue(parts.stream().anyMatch(x -> x.key().equals("classifier|in:128x4x4|classes:10")));
  }

  @Test
  void macrosWithoutCellsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CostPositions.of(SearchSpace.DARTS, MacroConfig.resnetDefault(), Preprocessing.identity(3)));
    assertTrue(e.getMessage().contains("no cells"), e.getMessage());
  }
}
