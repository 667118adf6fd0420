package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.Batch;
import dev.nas.djl.Tensors;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SupernetTest {
  static SupernetConfig tiny(int c, int layers, FeatureShape input, int classes) {
    return new SupernetConfig(SearchSpace.DARTS, c, layers, classes, input, Preprocessing.identity(input.channels()));
  }

  static Batch batch(NDManager m, int n, FeatureShape shape, int classes, long seed, DataType dtype) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] x = new float[(int) (n * shape.numel())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    int[] labels = new int[n];
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(classes);
      l[i] = labels[i];
    }
    NDArray xs = m.create(x, new Shape(shape.withBatch(n))).toType(dtype, false);
    return new Batch(xs, m.create(l), labels);
  }

  @Test
  void dartsSearchNetworkHasTheReferenceParameterCount() {
    // DARTS' train_search.py logs "param size = 1.930618MB" for C=16, 8 cells, CIFAR-10.
    try (Supernet net = new Supernet(tiny(16, 8, FeatureShape.of(3, 32, 32), 10), new SoftmaxMixing(SearchSpace.DARTS),
        Device.cpu(), DataType.FLOAT32, 0)) {
      assertEquals(1_930_618, net.weightCount());
    }
  }

  @Test
  void derivedNetworksNameTheirTensorsLikeTheSupernet() {
    try (Supernet net = new Supernet(tiny(4, 5, FeatureShape.of(3, 16, 16), 10), new SoftmaxMixing(SearchSpace.DARTS),
        Device.cpu(), DataType.FLOAT32, 0)) {
      Map<String, dev.nas.core.io.Tensor> supernet = net.params().toTensors();
      for (String name : Genotypes.names()) {
        if (!Genotypes.named(name).space().equals("darts")) {
          continue; // the NAS-Bench-201 ones: Nb201SearchTest
        }
        Graph derived = NetworkBuilder.build(Genotypes.named(name),
            new MacroConfig(MacroConfig.Kind.CIFAR, 4, 5, 10, FeatureShape.of(3, 16, 16), false),
            Preprocessing.identity(3));
        for (NamedParam p : derived.params()) {
          boolean cellAffine = p.name().startsWith("cells.") && p.node().layer() instanceof dev.nas.core.graph.Layer.BatchNorm
              && (p.spec().name().equals("weight") || p.spec().name().equals("bias"));
          if (cellAffine) {
            continue; // search cells use BN without affine parameters (DARTS)
          }
          dev.nas.core.io.Tensor t = supernet.get(p.name());
          assertTrue(t != null, name + ": supernet lacks " + p.name());
          assertEquals(p.spec().shape(), t.shape(), p.name());
        }
      }
    }
  }

  @Test
  void firstOrderStepsMoveAlphaAndDoNotLeak() {
    FeatureShape in = FeatureShape.of(3, 8, 8);
    try (Supernet net = new Supernet(tiny(4, 3, in, 5), new SoftmaxMixing(SearchSpace.DARTS), Device.cpu(),
        DataType.FLOAT32, 3); NDManager m = NDManager.newBaseManager()) {
      BilevelOptimizer opt = new BilevelOptimizer(net, BilevelSettings.darts(false));
      float[] before = Tensors.toHost(net.params().get("alpha.normal")).data().clone();
      int arrays = -1;
      for (int i = 0; i < 3; i++) {
        try (NDManager step = m.newSubManager()) {
          opt.step(batch(step, 8, in, 5, i, DataType.FLOAT32), batch(step, 8, in, 5, 100 + i, DataType.FLOAT32), 0.05);
        }
        int now = net.params().manager().getManagedArrays().size();
        if (i > 0) {
          assertEquals(arrays, now, "long-lived arrays must not grow per step");
        }
        arrays = now;
      }
      assertNotEquals(java.util.Arrays.toString(before),
          java.util.Arrays.toString(Tensors.toHost(net.params().get("alpha.normal")).data()));
      Genotype g = GenotypeDeriver.derive(SearchSpace.DARTS, net.mixingWeights());
      assertEquals(Set.of("normal", "reduce"), g.cells().keySet());
      dev.nas.core.genotype.GenotypeValidator.validate(g);
    }
  }

  @Test
  void derivationKeepsTheTwoStrongestEdgesByTheirBestNonNoneOp() {
    SearchSpace s = SearchSpace.DARTS;
    int ops = s.ops().size();
    float[] w = new float[s.edgesPerCell() * ops];
    java.util.Arrays.fill(w, 0.1f);
    // node 0: edge from state 1 has a huge 'none' (ignored) and weak ops; state 0 strong sep_conv_5x5
    w[s.edgeIndex(0, 1) * ops + s.opIndex("none")] = 0.9f;
    w[s.edgeIndex(0, 0) * ops + s.opIndex("sep_conv_5x5")] = 0.5f;
    w[s.edgeIndex(0, 1) * ops + s.opIndex("max_pool_3x3")] = 0.2f;
    // node 3 (states 0..4): strongest edges from 4 (skip) and 2 (dil_conv_3x3)
    w[s.edgeIndex(3, 4) * ops + s.opIndex("skip_connect")] = 0.8f;
    w[s.edgeIndex(3, 2) * ops + s.opIndex("dil_conv_3x3")] = 0.7f;
    Genotype g = GenotypeDeriver.derive(s, Map.of("normal", w, "reduce", w));
    var node0 = g.cell("normal").nodes().get(0);
    assertEquals("sep_conv_5x5", node0.get(0).op());
    assertEquals(0, node0.get(0).input());
    assertEquals("max_pool_3x3", node0.get(1).op());
    var node3 = g.cell("normal").nodes().get(3);
    assertEquals(Set.of(4, 2), node3.stream().map(e -> e.input()).collect(Collectors.toSet()));
    assertEquals("skip_connect", node3.get(0).op());
  }
}
