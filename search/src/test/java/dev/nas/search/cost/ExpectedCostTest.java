package dev.nas.search.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nas.core.cost.CostCounter;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.TensorNames;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.CostTable;
import dev.nas.derive.cost.CountedCost;
import dev.nas.djl.optim.Grads;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.Mixing;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedCostTest {
  private static final FeatureShape IMAGE = FeatureShape.of(3, 8, 8);
  private static final FeatureShape CLIP = FeatureShape.of(3, 4, 16, 16);
  private static final MacroConfig CIFAR = new MacroConfig(MacroConfig.Kind.CIFAR, 6, 5, 4, FeatureShape.of(3, 16, 16),
      false);
  private static final MacroConfig PVNAS = MacroConfig.video(MacroConfig.Kind.VIDEO_PVNAS, 4, 2, 4, 4,
      FeatureShape.of(3, 8, 16, 16), false);
  private static final float STRONG = 30f;

  private static Supernet supernet(SearchSpace space, Mixing mixing) {
    FeatureShape in = space.video() ? CLIP : IMAGE;
    SupernetConfig c = SupernetConfig.of(space, 4, 3, 1, 4, 4, in, Preprocessing.identity(3));
    return new Supernet(c, mixing, Device.cpu(), DataType.FLOAT32, 3);
  }

  /** α (and β) that make {@code g} the derived genotype with one-hot weights. */
  private static void oneHot(Supernet net, Genotype g, boolean beta) {
    SearchSpace space = net.config().space();
    for (SearchSpace.CellType t : space.cellTypes()) {
      List<String> ops = t.ops();
      float[] a = new float[space.edgesPerCell() * ops.size()];
      float[] b = new float[space.edgesPerCell()];
      java.util.Arrays.fill(b, -STRONG);
      int none = ops.indexOf(SearchSpace.NONE);
      for (int e = 0; e < space.edgesPerCell() && none >= 0; e++) {
        a[e * ops.size() + none] = STRONG;
      }
      CellGenotype cell = g.cell(t.name());
      for (int node = 0; node < cell.nodes().size(); node++) {
        for (GenotypeEdge edge : cell.nodes().get(node)) {
          int e = space.edgeIndex(node, edge.input());
          if (none >= 0) {
            a[e * ops.size() + none] = 0;
          }
          a[e * ops.size() + ops.indexOf(edge.op())] = STRONG;
          b[e] = STRONG;
        }
      }
      set(net, TensorNames.alpha(t.name()), a);
      if (beta) {
        set(net, TensorNames.beta(t.name()), b);
      }
    }
  }

  private static void set(Supernet net, String name, float[] v) {
    NDArray p = net.params().get(name);
    try (NDManager m = p.getManager().newSubManager()) {
      p.set(m.create(v, p.getShape()).toByteBuffer());
    }
  }

  private static void check(SearchSpace space, java.util.function.Supplier<Mixing> mixing, EdgeSelection selection, boolean beta, MacroConfig m) {
    CostPositions positions = CostPositions.of(space, m, Preprocessing.identity(3));
    for (CountedCost metric : CountedCost.values()) {
      CostTable table = metric.table(positions);
      for (long seed = 1; seed <= 3; seed++) {
        Genotype g = RandomGenotypes.sample(space, seed);
        try (Supernet net = supernet(space, mixing.get())) {
          oneHot(net, g, beta);
          double expected = new ExpectedCost(table, selection).value(net);
          var report = CostCounter.count(NetworkBuilder.build(g, m, Preprocessing.identity(3)), "net");
          double counted = metric == CountedCost.MACS ? report.macs() : report.params();
          assertEquals(counted, expected, 1e-4 * counted, space.name() + " " + metric + " seed " + seed);
          if (!beta) {
            assertEquals(sorted(g), sorted(GenotypeDeriver.derive(space, net.mixingWeights())),
                "α derives the genotype");
          }
        }
      }
    }
  }

  /** Each node's edges by input: the rule lists tied inputs in its own order. */
  private static java.util.Map<String, List<List<String>>> sorted(Genotype g) {
    java.util.Map<String, List<List<String>>> out = new java.util.TreeMap<>();
    g.cells().forEach((t, c) -> out.put(t, c.nodes().stream().map(n -> n.stream().map(e -> e.input() + ":" + e.op())
        .sorted().toList()).toList()));
    return out;
  }

  @Test
  void oneHotArchitectureGivesTheCountOfTheDerivedNetwork() {
    check(SearchSpace.DARTS, () -> new SoftmaxMixing(SearchSpace.DARTS), EdgeSelection.STRONGEST_OP, false, CIFAR);
    // PC-DARTS' edge normalisation scales the strengths, not the choice
    check(SearchSpace.DARTS, () -> new SoftmaxMixing(SearchSpace.DARTS, true), EdgeSelection.STRONGEST_OP, false,
        CIFAR);
    check(SearchSpace.O2D, () -> new BetaMixing(SearchSpace.O2D, new Discretization(SearchSpace.O2D)),
        EdgeSelection.EDGE_STRENGTH, true, CIFAR);
    check(SearchSpace.PVNAS, () -> new SoftmaxMixing(SearchSpace.PVNAS), EdgeSelection.STRONGEST_OP, false, PVNAS);
  }

  private static final MacroConfig NB201 = new MacroConfig(MacroConfig.Kind.NB201, 4, 3, 4, FeatureShape.of(3, 16, 16),
      false);

  @Test
  void nb201CellsCountOnlyTheirLiveNodes() {
    check(SearchSpace.NB201, () -> new SoftmaxMixing(SearchSpace.NB201), EdgeSelection.STRONGEST_OP, false, NB201);
    CostTable table = CountedCost.MACS.table(CostPositions.of(SearchSpace.NB201, NB201, Preprocessing.identity(3)));
    // nodes 1 and 2 feed the output only through none: dead, not built, and not counted
    for (String cell : List.of("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|none~2|",
        "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|nor_conv_1x1~0|none~1|skip_connect~2|")) {
      Genotype g = dev.nas.core.genotype.Nb201Strings.parse(cell);
      try (Supernet net = supernet(SearchSpace.NB201, new SoftmaxMixing(SearchSpace.NB201))) {
        oneHot(net, g, false);
        double counted = CostCounter.count(NetworkBuilder.build(g, NB201, Preprocessing.identity(3)), "net").macs();
        assertEquals(counted, new ExpectedCost(table, EdgeSelection.STRONGEST_OP).value(net), 1e-4 * counted, cell);
      }
    }
  }

  @Test
  void nb201ExpectationIsExactOverAllCells() {
    // 5^6 cells: E under arbitrary α equals the probability-weighted cost of every cell, dead nodes excluded
    CostTable table = CountedCost.MACS.table(CostPositions.of(SearchSpace.NB201, NB201, Preprocessing.identity(3)));
    List<String> ops = SearchSpace.NB201.ops("cell");
    int edges = SearchSpace.NB201.edgesPerCell();
    try (Supernet net = supernet(SearchSpace.NB201, new SoftmaxMixing(SearchSpace.NB201))) {
      set(net, TensorNames.alpha("cell"), randomish(edges * ops.size(), 5));
      float[] w = net.mixingWeights().get("cell");
      double sum = 0;
      int[] choice = new int[edges];
      for (int n = 0; n < (int) Math.pow(ops.size(), edges); n++) {
        double prob = 1;
        for (int e = 0, rest = n; e < edges; e++, rest /= ops.size()) {
          choice[e] = rest % ops.size();
          prob *= w[e * ops.size() + choice[e]];
        }
        String cell = String.format("|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|", ops.get(choice[0]), ops.get(choice[1]),
            ops.get(choice[2]), ops.get(choice[3]), ops.get(choice[4]), ops.get(choice[5]));
        sum += prob * table.of(dev.nas.core.genotype.Nb201Strings.parse(cell));
      }
      assertEquals(sum, new ExpectedCost(table, EdgeSelection.STRONGEST_OP).value(net), 1e-4 * sum);
    }
  }

  @Test
  void uniformArchitectureGivesTheMeanOverGenotypes() {
    // α = 0 (DAS' start): every keepable op and every input pair equally likely, so E is the mean cost
    CostTable table = CountedCost.MACS.table(CostPositions.of(SearchSpace.O2D, CIFAR, Preprocessing.identity(3)));
    try (Supernet net = supernet(SearchSpace.O2D, new BetaMixing(SearchSpace.O2D, new Discretization(SearchSpace.O2D)))) {
      double e = new ExpectedCost(table, EdgeSelection.EDGE_STRENGTH).value(net);
      double mean = 0;
      int n = 4000;
      for (int s = 0; s < n; s++) {
        mean += table.of(RandomGenotypes.sample(SearchSpace.O2D, s)) / n;
      }
      assertEquals(mean, e, 0.02 * mean, "E over random genotypes");
    }
  }

  @Test
  void gradientReachesAlphaAndBeta() {
    CostTable table = CountedCost.MACS.table(CostPositions.of(SearchSpace.O2D, CIFAR, Preprocessing.identity(3)));
    try (Supernet net = supernet(SearchSpace.O2D, new BetaMixing(SearchSpace.O2D, new Discretization(SearchSpace.O2D)))) {
      set(net, TensorNames.beta("normal"), randomish(SearchSpace.O2D.edgesPerCell(), 1));
      set(net, TensorNames.alpha("normal"), randomish(SearchSpace.O2D.edgesPerCell() * 7, 2));
      List<NDArray> arch = net.params().learnedNames(net.isArch()).stream().map(net.params()::get).toList();
      Grads.zero(arch);
      try (NDManager scope = net.params().manager().newSubManager()) {
        NDArray like = scope.zeros(new Shape(1));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(new ExpectedCost(table, EdgeSelection.EDGE_STRENGTH).of(net, like).div(1e6));
        }
      }
      for (String name : List.of(TensorNames.alpha("normal"), TensorNames.beta("normal"), TensorNames.alpha("reduce"))) {
        NDArray g = Grads.of(net.params().get(name));
        assertNotNull(g, name);
        assertTrue(g.abs().sum().getFloat() > 0, name + " gets a gradient");
      }
    }
  }

  private static float[] randomish(int n, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
