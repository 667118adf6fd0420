package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Json;
import dev.nas.core.io.Tensor;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Tensors;
import dev.nas.search.algo.Das;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.sdas.GenotypeRule;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DAS as the SDAS paper defines it: its genotype rule, its initial α and β, its defaults. */
class DasRuleTest {
  private static final SearchSpace S = SearchSpace.DARTS;

  private static Supernet net() {
    SupernetConfig c = new SupernetConfig(S, 4, 3, 3, FeatureShape.of(3, 8, 8), Preprocessing.identity(3));
    return new Supernet(c, new BetaMixing(S, new Discretization(S)), Device.cpu(), DataType.FLOAT32, 3);
  }

  @Test
  void nodesKeepTheirTopTwoInputsByBetaEachWithItsArgMaxAlpha() {
    try (Supernet net = net()) {
      int ops = S.ops().size();
      int conv = S.opIndex("sep_conv_3x3");
      int skip = S.opIndex("skip_connect");
      float[] alpha = new float[S.edgesPerCell() * ops];
      float[] beta = new float[S.edgesPerCell()];
      // node 1 (inputs 0, 1, 2): β ranks 0 and 2 first, but edge 1's α is very peaked on a convolution,
      // so DARTS' rule on σ(β)·softmax(α) keeps edge 1 instead of edge 2
      int e0 = S.edgeIndex(1, 0);
      int e1 = S.edgeIndex(1, 1);
      int e2 = S.edgeIndex(1, 2);
      beta[e0] = 2f;
      beta[e1] = 0.5f;
      beta[e2] = 1f;
      alpha[e0 * ops + skip] = 3f;
      alpha[e1 * ops + conv] = 6f;
      alpha[e2 * ops + conv] = 0.2f;
      for (String t : List.of("normal", "reduce")) {
        net.params().load(Map.of(TensorNames.alpha(t), new Tensor(List.of(S.edgesPerCell(), ops), alpha),
            TensorNames.beta(t), new Tensor(List.of(S.edgesPerCell()), beta)), false);
      }
      SearchConfig das = SearchRunTest.tinyConfig("das", 1);
      assertEquals(GenotypeRule.DAS, das.sdas().genotypeRule(), "the paper's rule is the default");
      CellGenotype paper = new Das().derive(net, 0, das).cell("normal");
      assertEquals(List.of(new GenotypeEdge("skip_connect", 0), new GenotypeEdge("sep_conv_3x3", 2)),
          paper.nodes().get(1).stream().sorted(java.util.Comparator.comparingInt(GenotypeEdge::input)).toList());
      CellGenotype darts = new Das().derive(net, 0, das.withSdas(das.sdas().withGenotypeRule(GenotypeRule.DARTS))).cell("normal");
      assertTrue(darts.nodes().get(1).stream().anyMatch(e -> e.input() == 1), darts.toString());
    }
  }

  @Test
  void alphaAndBetaStartAtZeroAsSdasAlgorithmOneSaysWhileDartsKeepsItsRandomStart() {
    try (Supernet das = net();
        Supernet darts = new Supernet(new SupernetConfig(S, 4, 3, 3, FeatureShape.of(3, 8, 8),
            Preprocessing.identity(3)), new SoftmaxMixing(S), Device.cpu(), DataType.FLOAT32, 3)) {
      for (String n : das.params().learnedNames(das.isArch())) {
        for (float v : Tensors.toHost(das.params().get(n)).data()) {
          assertEquals(0f, v, n);
        }
      }
      float[] a = Tensors.toHost(darts.params().get(TensorNames.alpha("normal"))).data();
      assertTrue(java.util.stream.IntStream.range(0, a.length).anyMatch(i -> a[i] != 0), "DARTS: 1e-3·randn");
    }
    assertEquals(0, dev.nas.search.algo.SearchAlgorithms.named("sdas-a").defaults().weights().lrMin(),
        "annealed down to zero");
    assertEquals(0, new Das().defaults().weights().lrMin());
  }

  @Test
  void theRuleIsDasOnlyAndOldDasConfigurationsKeepDartsRule() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SearchRunTest.tinyConfig("darts", 1).withSdas(dev.nas.search.sdas.SdasSettings.PAPER));
    assertTrue(e.getMessage().contains("SDAS settings (--genotype-rule, --decision-queue) are for --algo das and "
        + "sdas-*, not darts"), e.getMessage());
    SearchConfig sdas = SearchRunTest.tinyConfig("sdas-a", 1);
    IllegalArgumentException rule = assertThrows(IllegalArgumentException.class,
        () -> sdas.withSdas(sdas.sdas().withGenotypeRule(GenotypeRule.DARTS)));
    assertTrue(rule.getMessage().contains("sdas-a takes its genotype from its decisions"), rule.getMessage());
    ObjectNode old = Json.MAPPER.valueToTree(SearchRunTest.tinyConfig("das", 1));
    old.remove("sdas");
    assertEquals(GenotypeRule.DARTS, SearchConfig.fromJson(old).sdas().genotypeRule(), "the rule of its time");
    ObjectNode oldSdas = Json.MAPPER.valueToTree(SearchRunTest.tinyConfig("sdas-b", 1));
    oldSdas.remove("sdas");
    assertEquals(dev.nas.search.sdas.DecisionQueue.PER_TYPE, SearchConfig.fromJson(oldSdas).sdas().queue(),
        "SDAS searches stored before the shared queue resume with the per-type one they ran");
  }
}
