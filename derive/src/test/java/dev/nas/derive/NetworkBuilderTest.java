package dev.nas.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.macro.MacroFit;
import org.junit.jupiter.api.Test;

class NetworkBuilderTest {
  @Test
  void dartsV2CifarMatchesTheReferenceParameterCount() {
    // DARTS' train.py logs "param size = 3.349342MB" for DARTS_V2 at C=36, 20 cells (auxiliary head excluded).
    Graph g = NetworkBuilder.build(NetworkSpec.of(Genotypes.named("DARTS_V2"), MacroConfig.cifarDefault()));
    CostReport cost = CostCounter.count(g, "DARTS_V2");
    assertEquals(3_349_342, cost.params());
    assertEquals(FeatureShape.of(10), g.node(g.output()).shape());
    assertTrue(g.hasAuxOutput());
    assertFalse(g.isInference(g.auxOutput()));
  }

  @Test
  void dartsV2ImagenetIsInTheMobileSetting() {
    // The DARTS paper reports 4.7M parameters (its code logs 4.718752MB) and 574M multiply-adds.
    // Counting only conv and FC multiply-adds gives less: 523M in quark0/darts#46; we count 530M
    // (the paper's counter was never published). The budget of the mobile setting, < 600M, holds.
    Graph g = NetworkBuilder.build(NetworkSpec.of(Genotypes.named("DARTS_V2"), MacroConfig.imagenetDefault()));
    CostReport cost = CostCounter.count(g, "DARTS_V2");
    assertEquals(4_718_752, cost.params());
    assertEquals(529_911_552L, cost.macs());
    assertTrue(cost.macs() < 600e6);
  }

  @Test
  void costExcludesAuxiliaryHeadAndDropPath() {
    MacroConfig m = MacroConfig.cifarDefault();
    CostReport with = CostCounter.count(NetworkBuilder.build(NetworkSpec.of(Genotypes.named("PDARTS"), m)), "a");
    CostReport without = CostCounter.count(
        NetworkBuilder.build(NetworkSpec.of(Genotypes.named("PDARTS"), m.withAuxiliary(false))), "b");
    assertEquals(without.params(), with.params());
    assertEquals(without.macs(), with.macs());
    assertTrue(with.layers().stream().noneMatch(l -> l.kind().equals("droppath") || l.name().startsWith("aux")));
    Graph g = NetworkBuilder.build(NetworkSpec.of(Genotypes.named("PDARTS"), m));
    assertTrue(g.nodes().stream().anyMatch(n -> n.layer() instanceof Layer.DropPath));
    long allParams = g.params().stream().filter(p -> p.spec().trainable()).mapToLong(p -> p.spec().numel()).sum();
    assertTrue(allParams > with.params(), "the auxiliary head has parameters of its own");
  }

  @Test
  void cifarMacroAtImagenetResolutionWarns() {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.CIFAR, 36, 20, 1000, FeatureShape.of(3, 224, 224), false);
    CostReport cost = CostCounter.count(NetworkBuilder.build(NetworkSpec.of(Genotypes.named("DARTS_V2"), m)), "x");
    assertTrue(cost.macs() > 20e9, "CIFAR macro at 224x224: " + cost.macs());
    assertEquals(1, MacroFit.warnings(m, cost).size());
    assertTrue(MacroFit.warnings(m, cost).get(0).contains("--macro imagenet"));
    MacroConfig ok = MacroConfig.cifarDefault();
    assertTrue(MacroFit.warnings(ok, CostCounter.count(
        NetworkBuilder.build(NetworkSpec.of(Genotypes.named("DARTS_V2"), ok)), "y")).isEmpty());
  }

  @Test
  void oddResolutionsBuild() {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.CIFAR, 8, 8, 10, FeatureShape.of(1, 28, 28), true);
    Graph g = NetworkBuilder.build(NetworkSpec.of(Genotypes.named("DARTS_V1"), m));
    assertEquals(FeatureShape.of(10), g.node(g.output()).shape());
    MacroConfig tiny = new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 5, FeatureShape.of(3, 9, 11), false);
    assertEquals(FeatureShape.of(5), NetworkBuilder.build(NetworkSpec.of(Genotypes.named("PC_DARTS"), tiny))
        .node(NetworkBuilder.build(NetworkSpec.of(Genotypes.named("PC_DARTS"), tiny)).output()).shape());
  }

  @Test
  void specRoundTripsThroughJson() throws Exception {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("PC_DARTS"), MacroConfig.imagenetDefault())
        .withInfo("dataset", "synthetic");
    JsonNode tree = Json.MAPPER.readTree(spec.toJson());
    NetworkSpec back = NetworkSpec.fromTree(tree);
    assertEquals(spec.genotype(), back.genotype());
    assertEquals(spec.macro(), back.macro());
    assertEquals(spec.classNames(), back.classNames());
    assertEquals("synthetic", back.info().get("dataset"));
  }
}
