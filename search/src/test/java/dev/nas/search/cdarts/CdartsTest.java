package dev.nas.search.cdarts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.djl.optim.Adam;
import dev.nas.djl.optim.Grads;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CdartsTest {
  private static final FeatureShape INPUT = FeatureShape.of(3, 8, 8);
  private static final int CLASSES = 3;

  private static Supernet supernet() {
    SupernetConfig c = new SupernetConfig(SearchSpace.DARTS, 4, 3, CLASSES, INPUT, Preprocessing.identity(3));
    return new Supernet(c, new SoftmaxMixing(SearchSpace.DARTS), Device.cpu(), DataType.FLOAT32, 7);
  }

  private static EvalNet enet(Genotype g, int layers) {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.CIFAR, 4, layers, CLASSES, INPUT, false);
    return EvalNet.create(NetworkSpec.of(g, m), Device.cpu(), 11, 0.9, 3e-4);
  }

  private static NDArray input(NDManager m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[(int) (4 * INPUT.numel())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    return m.create(x, new Shape(INPUT.withBatch(4)));
  }

  private static float[] host(Parameters p, String name) {
    return Tensors.toHost(p.get(name)).data().clone();
  }

  @Test
  void distillationAloneMovesAlpha() {
    try (Supernet sup = supernet(); NDManager m = NDManager.newBaseManager()) {
      SearchNet snet = new SearchNet(sup, 7);
      Genotype g = GenotypeDeriver.derive(SearchSpace.DARTS, sup.mixingWeights());
      try (EvalNet enet = enet(g, 5)) {
        assertEquals(2, snet.heads().size(), "3 cells, 2 reductions: heads after cells 0 and 1");
        assertEquals(snet.heads().size(), enet.heads().size());
        Parameters p = sup.params();
        List<String> arch = p.learnedNames(sup.isArch());
        float[] before = host(p, arch.get(0));
        p.track(sup.isWeight(), false);
        NDArray x = input(m, 3);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          List<NDArray> s = snet.forward(x, ExecContext.search());
          List<NDArray> e = enet.forward(x, ExecContext.search());
          assertEquals(3, s.size());
          NDArray d = CdartsLosses.multiLevelDistillation(s, e, 2);
          assertTrue(Tensors.scalar(d) > 0, "different networks give a positive KL");
          gc.backward(d);
        }
        p.track(sup.isWeight(), true);
        double gradNorm = Grads.norm(arch.stream().map(p::get).toList());
        assertTrue(gradNorm > 0, "the distillation gradient reaches α");
        for (String w : enet.weights()) {
          NDArray gw = Grads.of(enet.params().get(w));
          assertTrue(gw == null || Tensors.scalar(gw.abs().sum()) == 0, "the teacher gets no gradient: " + w);
        }
        new Adam(0.5, 0.999, 1e-8, 0).step(p, arch, 3e-4);
        assertFalse(java.util.Arrays.equals(before, host(p, arch.get(0))), "α moved");
      }
    }
  }

  @Test
  void distillationIsZeroForIdenticalLogitsAndScaledByTSquared() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2, 3, 0, -1, 4}, new Shape(2, 3));
      NDArray b = m.create(new float[] {3, 2, 1, 1, 1, 1}, new Shape(2, 3));
      assertEquals(0, Tensors.scalar(CdartsLosses.distillation(a, a, 2)), 1e-6);
      // KL by hand for T = 1
      double kl = 0;
      float[] av = a.toFloatArray();
      float[] bv = b.toFloatArray();
      for (int r = 0; r < 2; r++) {
        double za = 0;
        double zb = 0;
        for (int c = 0; c < 3; c++) {
          za += Math.exp(bv[r * 3 + c]);
          zb += Math.exp(av[r * 3 + c]);
        }
        for (int c = 0; c < 3; c++) {
          double pt = Math.exp(bv[r * 3 + c]) / za;
          double qs = Math.exp(av[r * 3 + c]) / zb;
          kl += pt * Math.log(pt / qs);
        }
      }
      assertEquals(kl / 2, Tensors.scalar(CdartsLosses.distillation(a, b, 1)), 1e-5);
      double t3 = Tensors.scalar(CdartsLosses.distillation(a.mul(3), b.mul(3), 3));
      assertEquals(9 * kl / 2, t3, 1e-4, "T² scaling: logits ×T at temperature T give T²·KL");
    }
  }

  @Test
  void theSkipPenaltyOfEq11IsTheL1NormOfRawAlphaSkip() {
    try (Supernet sup = supernet(); NDManager m = NDManager.newBaseManager()) {
      Parameters p = sup.params();
      int skip = SearchSpace.DARTS.opIndex("skip_connect");
      int ops = SearchSpace.DARTS.ops().size();
      double expected = 0;
      for (String type : List.of("normal", "reduce")) {
        float[] a = Tensors.toHost(p.get(dev.nas.derive.TensorNames.alpha(type))).data();
        for (int e = 0; e < SearchSpace.DARTS.edgesPerCell(); e++) {
          expected += Math.abs(a[e * ops + skip]);
        }
      }
      List<String> arch = p.learnedNames(sup.isArch());
      Grads.zero(arch.stream().map(p::get).toList());
      try (NDManager scope = m.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray penalty = CdartsLosses.skipPenalty(p, SearchSpace.DARTS, scope.zeros(new Shape(1)),
            CdartsSettings.SkipPenalty.ALPHA);
        assertEquals(expected, Tensors.scalar(penalty), 1e-6);
        gc.backward(penalty);
      }
      for (String type : List.of("normal", "reduce")) {
        NDArray alpha = p.get(dev.nas.derive.TensorNames.alpha(type));
        float[] a = Tensors.toHost(alpha).data();
        float[] g = alpha.getGradient().toFloatArray();
        for (int i = 0; i < a.length; i++) {
          float want = i % ops == skip ? Math.signum(a[i]) : 0f;
          assertEquals(want, g[i], 0f, type + " α[" + i / ops + "," + i % ops + "]: the gradient of Σ|α_skip|");
        }
      }
    }
  }

  @Test
  void theSoftmaxSkipPenaltyAloneLowersEverySkipWeight() {
    try (Supernet sup = supernet(); NDManager m = NDManager.newBaseManager()) {
      Parameters p = sup.params();
      List<String> arch = p.learnedNames(sup.isArch());
      Map<String, float[]> before = sup.mixingWeights();
      Adam adam = new Adam(0.5, 0.999, 1e-8, 0);
      for (int i = 0; i < 5; i++) {
        Grads.zero(arch.stream().map(p::get).toList());
        try (NDManager scope = m.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray like = scope.zeros(new Shape(1));
          gc.backward(CdartsLosses.skipPenalty(p, SearchSpace.DARTS, like, CdartsSettings.SkipPenalty.SOFTMAX).mul(5));
        }
        adam.step(p, arch, 3e-4);
      }
      Map<String, float[]> after = sup.mixingWeights();
      int skip = SearchSpace.DARTS.opIndex("skip_connect");
      int ops = SearchSpace.DARTS.ops().size();
      for (String type : before.keySet()) {
        for (int e = 0; e < SearchSpace.DARTS.edgesPerCell(); e++) {
          assertTrue(after.get(type)[e * ops + skip] < before.get(type)[e * ops + skip],
              type + " edge " + e + ": skip weight " + before.get(type)[e * ops + skip] + " -> "
                  + after.get(type)[e * ops + skip]);
        }
      }
      SearchSpace noSkip = SearchSpace.uniform("noskip", List.of("max_pool_3x3", "sep_conv_3x3"),
          List.of("normal", "reduce"), 2);
      assertEquals(null, CdartsLosses.skipPenalty(p, noSkip, m.zeros(new Shape(1)), CdartsSettings.SkipPenalty.ALPHA));
    }
  }

  @Test
  void skipWeightDecaysLinearlyToZeroOverTwoThirdsOfTheEpochs() {
    SkipDecay d = new SkipDecay(5, 30);
    assertEquals(5, d.at(0), 1e-12);
    assertEquals(2.5, d.at(10), 1e-12);
    assertEquals(0.25, d.at(19), 1e-12);
    assertEquals(0, d.at(20), 1e-12);
    assertEquals(0, d.at(29), 1e-12);
    assertEquals(4, new SkipDecay(4, 1).at(0), 1e-12);
  }

  /** DARTS_V1-like cells in which only node 3's first edge differs between {@code a} and {@code b}. */
  private static Genotype genotype(String node3Op) {
    List<List<GenotypeEdge>> nodes = new ArrayList<>();
    nodes.add(List.of(new GenotypeEdge("sep_conv_3x3", 0), new GenotypeEdge("sep_conv_3x3", 1)));
    nodes.add(List.of(new GenotypeEdge("skip_connect", 0), new GenotypeEdge("sep_conv_3x3", 1)));
    nodes.add(List.of(new GenotypeEdge("dil_conv_3x3", 0), new GenotypeEdge("skip_connect", 2)));
    nodes.add(List.of(new GenotypeEdge(node3Op, 0), new GenotypeEdge("max_pool_3x3", 3)));
    CellGenotype cell = new CellGenotype(nodes, List.of(2, 3, 4, 5));
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    cells.put("normal", cell);
    cells.put("reduce", cell);
    return new Genotype("darts", cells);
  }

  @Test
  void rebuiltEnetKeepsUnchangedEdgesBitIdentical() {
    try (NDManager m = NDManager.newBaseManager(); EvalNet first = enet(genotype("sep_conv_5x5"), 5)) {
      // train a little so that weights, BN statistics and momentum differ from their initial values
      NDArray x = input(m, 5);
      NDArray y = m.create(new long[] {0, 1, 2, 1});
      for (int i = 0; i < 2; i++) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(CdartsLosses.multiLevelCrossEntropy(first.forward(x, ExecContext.search()), y));
        }
        first.optimizer().step(first.params(), first.weights(), 0.1);
      }
      Map<String, Tensor> old = first.params().toTensors();
      try (EvalNet second = first.rebuild(genotype("dil_conv_5x5"))) {
        Map<String, Tensor> now = second.params().toTensors();
        int same = 0;
        int fresh = 0;
        for (Map.Entry<String, Tensor> e : now.entrySet()) {
          Tensor before = old.get(e.getKey());
          if (before != null) {
            assertArrayEquals(before.data(), e.getValue().data(), e.getKey() + " is not bit-identical");
            NDArray momentum = first.optimizer().buffer(e.getKey());
            if (momentum != null) {
              NDArray kept = second.optimizer().buffer(e.getKey());
              assertTrue(kept != null, e.getKey() + " lost its momentum");
              assertArrayEquals(momentum.toFloatArray(), kept.toFloatArray(), e.getKey() + " momentum changed");
            }
            same++;
          } else {
            assertTrue(e.getKey().contains(".edges.9.dil_conv_5x5"), "only the changed edge is new: " + e.getKey());
            fresh++;
          }
        }
        assertEquals(same, second.inherited());
        assertTrue(fresh > 0 && same > 100, same + " inherited, " + fresh + " fresh");
        assertTrue(old.keySet().stream().anyMatch(k -> k.contains(".edges.9.sep_conv_5x5")), "old op existed");
        assertFalse(now.keySet().stream().anyMatch(k -> k.contains(".edges.9.sep_conv_5x5")), "old op dropped");
        // a stage head and the stem are inherited too
        assertTrue(now.keySet().stream().anyMatch(k -> k.startsWith("head.0.") && old.containsKey(k)));
      }
    }
  }
}
