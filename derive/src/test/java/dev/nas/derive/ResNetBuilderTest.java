package dev.nas.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.macro.MacroConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResNetBuilderTest {
  /**
   * ResNet-20 (projection shortcuts) on CIFAR-10, counted by hand: stem 432 + 32 BN; stage 1 six
   * 16→16 3×3 convs (13,824) at 32×32; stage 2 convs 4,608 + 5×9,216 + 512 shortcut (51,200) at
   * 16×16; stage 3 18,432 + 5×36,864 + 2,048 (204,800) at 8×8; 20 BNs (1,568 params); FC 650.
   */
  @Test
  void resnet20CountsMatchTheHandCount() {
    Graph g = NetworkBuilder.build(NetworkSpec.of(null, MacroConfig.resnetDefault()));
    CostReport cost = CostCounter.count(g, "resnet20");
    assertEquals(272_474, cost.params());
    assertEquals(432L * 1024 + 13_824L * 1024 + 51_200L * 256 + 204_800L * 64 + 640, cost.macs());
    assertFalse(g.hasAuxOutput());
    assertEquals(3, ResNetBuilder.blocksForDepth(20));
    assertThrows(IllegalArgumentException.class, () -> ResNetBuilder.blocksForDepth(21));
  }

  @Test
  void macsGrowWithWidth() {
    long prev = 0;
    for (int c = 1; c <= 8; c++) {
      MacroConfig m = new MacroConfig(MacroConfig.Kind.RESNET, c, 1, 3, FeatureShape.of(1, 12, 12), false);
      long macs = CostCounter.count(NetworkBuilder.build(NetworkSpec.of(null, m)), "r").macs();
      assertTrue(macs > prev, "C=" + c);
      prev = macs;
    }
  }

  @Test
  void specTakesNoGenotypeAndRoundTripsThroughAFolder(@TempDir Path dir) throws Exception {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.RESNET, 4, 1, 3, FeatureShape.of(1, 8, 8), false);
    assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of(Genotypes.named("DARTS_V2"), m));
    assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of(null, MacroConfig.cifarDefault()));
    assertThrows(IllegalArgumentException.class, () -> m.withAuxiliary(true));
    NetworkSpec spec = NetworkSpec.of(null, m);
    assertFalse(spec.toTree().has("genotype"));
    NetworkFolder.write(dir, spec, Initializer.of(NetworkBuilder.build(spec), 1));
    NetworkFolder back = NetworkFolder.read(dir);
    assertNull(back.spec().genotype());
    assertEquals(MacroConfig.Kind.RESNET, back.spec().macro().kind());
    assertEquals(spec.toJson(), back.spec().toJson());
    assertEquals(CostCounter.count(NetworkBuilder.build(spec), "a").params(),
        CostCounter.count(back.graph(), "b").params());
  }
}
