package dev.nas.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Node;
import dev.nas.core.macro.MacroConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nb201 macro and NAS-Bench-201 cells in derived networks. */
class Nb201MacroTest {
  private static final String BEST =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
  private static final String ALL_CONV = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|"
      + "nor_conv_3x3~1|nor_conv_3x3~2|";

  /**
   * Learned parameters of NAS-Bench-201's CIFAR-10 network (C = 16, N = 5, 10 classes) with
   * {@code convs} ReLU–3×3 conv–BN edges per cell, from the benchmark's definition: stem
   * 3·9·16 + BN 32; per stage of width w five cells of {@code convs}·(9w² + 2w); residual blocks
   * 16→32 and 32→64 of 9·in·out + 2·out + 9·out² + 2·out + in·out; BN–ReLU 128; classifier 650.
   */
  private static long nb201Params(int convs) {
    long cells = 0;
    for (int w : new int[] {16, 32, 64}) {
      cells += 5L * convs * (9L * w * w + 2L * w);
    }
    long blocks = 0;
    for (int in : new int[] {16, 32}) {
      int out = 2 * in;
      blocks += 9L * in * out + 2L * out + 9L * out * out + 2L * out + (long) in * out;
    }
    return 3 * 9 * 16 + 32 + cells + blocks + 128 + 64 * 10 + 10;
  }

  @Test
  void parameterCountsFollowNasBench201sDefinition() {
    MacroConfig m = MacroConfig.nb201Default();
    assertEquals(nb201Params(6), count(ALL_CONV, m).params()); // the largest network of the space
    assertEquals(1_531_546, nb201Params(6));
    assertEquals(1_288_506, nb201Params(5));
    assertEquals(559_386, nb201Params(2));
    assertEquals(nb201Params(5), count(BEST, m).params());
    assertEquals(nb201Params(2), count(Genotypes.named("nb201_resnet").describe(), m).params());
    // 1×1 convolutions and parameter-free edges only: the stem, blocks, head and 9w² less per conv
    CostReport cheap = count("|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|avg_pool_3x3~2|", m);
    assertEquals(nb201Params(0) + 5L * (16 * 16 + 32 + 32 * 32 + 64 + 64 * 64 + 128), cheap.params());
    // an edge whose node no path leads from to the output is not in the network (NAS-Bench-201's
    // module count would include it): here node 3 = x, so the 1×1 convolution is dead
    assertEquals(nb201Params(0),
        count("|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|none~2|", m).params());
  }

  @Test
  void layoutHasThreeStagesJoinedByResidualBlocks() {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.NB201, 4, 6, 10, FeatureShape.of(3, 16, 16), false);
    NetworkBuilder.WithCellOutputs built = NetworkBuilder.buildWithCellOutputs(NetworkSpec.of(Genotypes.parse(BEST), m));
    List<FeatureShape> shapes = built.cellOutputs().stream().map(id -> built.graph().node(id).shape()).toList();
    assertEquals(List.of(FeatureShape.of(4, 16, 16), FeatureShape.of(4, 16, 16), FeatureShape.of(8, 8, 8),
        FeatureShape.of(8, 8, 8), FeatureShape.of(8, 8, 8), FeatureShape.of(16, 4, 4), FeatureShape.of(16, 4, 4),
        FeatureShape.of(16, 4, 4)), shapes);
    assertTrue(built.graph().nodes().stream().map(Node::name).anyMatch(n -> n.equals("cells.2.conv_a.conv")));
    assertTrue(built.graph().nodes().stream().map(Node::name).anyMatch(n -> n.equals("lastact.bn")));
  }

  @Test
  void aNodeWhoseEveryEdgeIsNoneIsZeroAndTheNetworkStillBuilds() {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.NB201, 4, 3, 10, FeatureShape.of(3, 8, 8), false);
    Genotype g = Genotypes.parse("|none~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|none~1|avg_pool_3x3~2|");
    Graph net = NetworkBuilder.build(NetworkSpec.of(g, m));
    assertEquals("zero", net.nodes().stream().filter(n -> n.name().equals("cells.0.nodes.0")).findFirst()
        .orElseThrow().layer().kind());
    assertEquals(6, net.nodes().stream().filter(n -> n.name().endsWith(".nor_conv_3x3.conv")).count(),
        "two 3×3 convolution edges in each of the three cells");
  }

  @Test
  void theMacroRefusesAnAuxiliaryHeadAndLayersThatAreNotThreeStages() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new MacroConfig(MacroConfig.Kind.NB201, 16, 14, 10, FeatureShape.of(3, 32, 32), false)).getMessage()
        .contains("multiple of 3"));
    assertThrows(IllegalArgumentException.class,
        () -> new MacroConfig(MacroConfig.Kind.NB201, 16, 15, 10, FeatureShape.of(3, 32, 32), true));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> NetworkBuilder.build(Genotypes.named("DARTS_V2"), MacroConfig.nb201Default(), Preprocessing.identity(3)))
        .getMessage().contains("use --macro cifar"));
  }

  private static CostReport count(String arch, MacroConfig m) {
    return CostCounter.count(NetworkBuilder.build(NetworkSpec.of(Genotypes.parse(arch), m)), "nb201");
  }
}
