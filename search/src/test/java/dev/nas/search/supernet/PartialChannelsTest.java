package dev.nas.search.supernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Tensor;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Batch;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Tensors;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.MemoryEstimate;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.sdas.Discretization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PC-DARTS' partial channel connections and edge normalisation in the supernet. */
class PartialChannelsTest {
  private static final FeatureShape IN = FeatureShape.of(3, 8, 8);

  private static Supernet net(int k, Mixing mixing) {
    SupernetConfig c = new SupernetConfig(SearchSpace.DARTS, 4, 3, 3, IN, Preprocessing.identity(3))
        .withPartialChannels(k);
    return new Supernet(c, mixing, Device.cpu(), DataType.FLOAT32, 3);
  }

  private static Batch batch(NDManager m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[(int) (8 * IN.numel())];
    long[] y = new long[8];
    int[] labels = new int[8];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    for (int i = 0; i < 8; i++) {
      labels[i] = r.nextInt(3);
      y[i] = labels[i];
    }
    return new Batch(m.create(x, new Shape(IN.withBatch(8))), m.create(y), labels);
  }

  @Test
  void edgesComputeAPartOfTheirChannelsAndNodesLearnEdgeWeights() {
    SearchSpace s = SearchSpace.DARTS;
    try (Supernet full = net(1, new SoftmaxMixing(s));
        Supernet half = net(2, new SoftmaxMixing(s, true));
        NDManager m = NDManager.newBaseManager()) {
      String conv = TensorNames.edgeOp(0, 0, "sep_conv_3x3") + ".0.dw.weight";
      assertEquals(4, full.params().get(conv).getShape().get(0));
      assertEquals(2, half.params().get(conv).getShape().get(0), "the op sees C/K channels");
      assertTrue(half.weightCount() < full.weightCount());
      assertTrue(half.isArch().test(TensorNames.edgeNorm("normal")) && half.isArch().test(TensorNames.edgeNorm("reduce")));
      assertFalse(full.params().contains(TensorNames.edgeNorm("normal")), "K=1 is DARTS: no edge weights");
      assertEquals(14, half.params().get(TensorNames.edgeNorm("normal")).size());
      NDArray x = batch(m, 1).x();
      assertEquals(new Shape(8, 3), half.forward(x, ExecContext.inference()).getShape());
      long a1 = MemoryEstimate.forSearch(full.fragments(), full.plumbingValuesPerSample(), full.weightCount(), 32, 4,
          false).activationBytes();
      long a2 = MemoryEstimate.forSearch(half.fragments(), half.plumbingValuesPerSample(), half.weightCount(), 32, 4,
          false).activationBytes();
      assertTrue(half.plumbingValuesPerSample() > 0 && full.plumbingValuesPerSample() == 0);
      assertTrue(a2 < 0.75 * a1, a2 + " vs " + a1);
    }
  }

  @Test
  void gradientsReachAlphaAndTheEdgeWeights() {
    for (Mixing mixing : List.of(new SoftmaxMixing(SearchSpace.DARTS, true),
        new BetaMixing(SearchSpace.DARTS, new Discretization(SearchSpace.DARTS), true))) {
      try (Supernet net = net(2, mixing); NDManager m = NDManager.newBaseManager()) {
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        for (String n : net.params().learnedNames(net.isArch())) {
          before.put(n, Tensors.toHost(net.params().get(n)).data());
        }
        assertTrue(before.containsKey(TensorNames.edgeNorm("reduce")), before.keySet().toString());
        new BilevelOptimizer(net, BilevelSettings.darts(false)).step(batch(m, 1), batch(m, 2), 0.025);
        for (var e : before.entrySet()) {
          assertFalse(Arrays.equals(e.getValue(), Tensors.toHost(net.params().get(e.getKey())).data()),
              e.getKey() + " did not move (" + mixing.getClass().getSimpleName() + ")");
        }
      }
    }
  }

  @Test
  void edgeWeightsAreASoftmaxOverEachNodesInputsAndDecideTheGenotype() {
    SearchSpace s = SearchSpace.DARTS;
    try (Supernet net = net(2, new SoftmaxMixing(s, true))) {
      // α uniform: every edge's strongest operation weighs the same, so the edge weights decide
      float[] gamma = new float[s.edgesPerCell()];
      gamma[s.edgeIndex(1, 0)] = 2f;
      gamma[s.edgeIndex(1, 2)] = 1f;
      gamma[s.edgeIndex(3, 4)] = 3f;
      gamma[s.edgeIndex(3, 1)] = 2f;
      for (String t : List.of("normal", "reduce")) {
        net.params().load(Map.of(TensorNames.alpha(t), new Tensor(List.of(14, 8), new float[14 * 8]),
            TensorNames.edgeNorm(t), new Tensor(List.of(14), gamma)), false);
      }
      float[] w = net.mixingWeights().get("normal");
      double node1 = 0;
      for (int from = 0; from < 3; from++) {
        node1 += w[s.edgeIndex(1, from) * 8];
      }
      assertEquals(1.0 / 8, node1, 1e-6, "a node's edge weights sum to 1 (times the op weight 1/8)");
      CellGenotype cell = GenotypeDeriver.derive(s, net.mixingWeights()).cell("normal");
      assertEquals(List.of(0, 2), cell.nodes().get(1).stream().map(GenotypeEdge::input).toList());
      assertEquals(List.of(4, 1), cell.nodes().get(3).stream().map(GenotypeEdge::input).toList());
    }
  }

  @Test
  void channelShuffleInterleavesTheKGroups() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray y = m.arange(0f, 8f).reshape(1, 8, 1, 1);
      assertArrayEquals(new float[] {0, 4, 1, 5, 2, 6, 3, 7}, Supernet.shuffle(y, 2).toFloatArray());
      assertArrayEquals(new float[] {0, 2, 4, 6, 1, 3, 5, 7}, Supernet.shuffle(y, 4).toFloatArray());
    }
  }

  @Test
  void aKThatDoesNotDivideTheChannelsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SupernetConfig(SearchSpace.DARTS, 4, 3, 3, IN, Preprocessing.identity(3)).withPartialChannels(3));
    assertTrue(e.getMessage().contains("--partial-channels"), e.getMessage());
  }
}
