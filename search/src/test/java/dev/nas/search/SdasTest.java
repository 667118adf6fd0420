package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.GenotypeValidator;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Json;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Batch;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Parameters;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.sdas.ArchWeights;
import dev.nas.search.sdas.Decision;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.GenotypeMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SDAS and its DAS baseline on tiny supernets: what is computed, what is searched, what is resumed. */
class SdasTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final SearchSpace O2D = SearchSpace.O2D;
  private static final FeatureShape IN = FeatureShape.of(3, 8, 8);
  /** 3 cells: one normal cell, then two reduction cells (reductions at 1/3 and 2/3 of the depth). */
  private static final int LAYERS = 3;

  static SearchConfig config(String algo, String space, int epochs) {
    return TinySearch.config(algo, space, 96, epochs, LAYERS);
  }

  private static SearchResult run(SearchConfig c, Path dir, boolean resume, int max) throws IOException {
    return new SearchRun(c, dir, Device.cpu(), QUIET).execute(new SearchAlgorithm.RunControl(resume, max, false));
  }

  private static Supernet supernet(BetaMixing mixing) {
    return new Supernet(new SupernetConfig(O2D, 4, LAYERS, 5, IN, Preprocessing.identity(3)), mixing, Device.cpu(),
        DataType.FLOAT32, 3);
  }

  private static long opsPerForward(Supernet net, NDManager m) {
    long before = net.opCalls();
    try (NDManager s = m.newSubManager()) {
      net.forward(SupernetTest.batch(s, 4, IN, 5, 1, DataType.FLOAT32).x(), ExecContext.inference());
    }
    return net.opCalls() - before;
  }

  @Test
  void aDecidedEdgeComputesOnlyItsChosenOperationAndADroppedEdgeNothing() {
    Discretization d = new Discretization(O2D);
    BetaMixing mixing = new BetaMixing(O2D, d);
    try (Supernet net = supernet(mixing); NDManager m = NDManager.newBaseManager()) {
      int perCell = O2D.edgesPerCell() * O2D.ops().size();
      assertEquals(LAYERS * perCell, opsPerForward(net, m));
      int e = O2D.edgeIndex(1, 2);
      String prefix = "cells.0.edges." + e + ".";
      assertTrue(net.usedWeights().stream().anyMatch(n -> n.startsWith(prefix + "sep_conv_5x5")));

      d.apply(Decision.edge("normal", 1, 2, "sep_conv_3x3", 1, 0.1));
      assertEquals(LAYERS * perCell - (O2D.ops().size() - 1), opsPerForward(net, m), "one edge of the normal cell");
      float[] w = net.mixingWeights().get("normal");
      float strength = (float) (1 / (1 + Math.exp(-Tensors.host(net, TensorNames.beta("normal"))[e])));
      for (int o = 0; o < O2D.ops().size(); o++) {
        float expected = o == O2D.opIndex("sep_conv_3x3") ? strength : 0f;
        assertEquals(expected, w[e * O2D.ops().size() + o], 1e-7, O2D.ops().get(o));
      }
      List<String> used = net.usedWeights();
      assertTrue(used.stream().anyMatch(n -> n.startsWith(prefix + "sep_conv_3x3")));
      assertFalse(used.stream().anyMatch(n -> n.startsWith(prefix + "sep_conv_5x5") || n.startsWith(prefix + "dil_")),
          "weights of operations no longer computed are not optimised");

      d.apply(Decision.edge("normal", 1, 0, "skip_connect", 2, 0.1));
      d.apply(Decision.edge("normal", 1, 1, "max_pool_3x3", 2, 0.1));
      d.apply(Decision.node("normal", 1, List.of(0, 2), List.of(1), 3, 0.2));
      // node 1: edges 0 and 2 one operation each, edge 1 none
      assertEquals(LAYERS * perCell - 3 * O2D.ops().size() + 2, opsPerForward(net, m));
      float[] after = net.mixingWeights().get("normal");
      assertEquals(1f, after[e * O2D.ops().size() + O2D.opIndex("sep_conv_3x3")], "a kept edge weighs 1 (SDAS eq. 1)");
      int dropped = O2D.edgeIndex(1, 1);
      for (int o = 0; o < O2D.ops().size(); o++) {
        assertEquals(0f, after[dropped * O2D.ops().size() + o]);
      }
    }
  }

  @Test
  void fullyDiscretizedSupernetComputesExactlyTheDerivedNetwork() {
    Discretization d = new Discretization(O2D);
    BetaMixing mixing = new BetaMixing(O2D, d);
    try (Supernet net = supernet(mixing); NDManager m = NDManager.newBaseManager()) {
      BilevelOptimizer opt = new BilevelOptimizer(net, BilevelSettings.darts(false));
      for (int i = 0; i < 2; i++) { // move weights, BN statistics, α and β away from their initial values
        try (NDManager s = m.newSubManager()) {
          opt.step(SupernetTest.batch(s, 8, IN, 5, i, DataType.FLOAT32),
              SupernetTest.batch(s, 8, IN, 5, 50 + i, DataType.FLOAT32), 0.05);
        }
      }
      ArchWeights w = mixing.archWeights(net.params());
      d.completed(w.opWeights(), w.strengths(), 2).decisions().forEach(d::apply);
      assertTrue(d.complete());
      Genotype g = GenotypeValidator.validate(GenotypeDeriver.derive(O2D, d.discreteWeights()));
      assertEquals("o2d", g.space());
      for (Decision x : d.decisions()) { // the genotype is read off the decisions
        var node = g.cell(x.cell()).nodes().get(x.node());
        if (x.isEdge()) {
          boolean kept = node.stream().anyMatch(e -> e.input() == x.input());
          assertEquals(kept, node.contains(new GenotypeEdge(x.op(), x.input())), x.describe());
        } else {
          assertEquals(x.kept(), node.stream().map(GenotypeEdge::input).sorted().toList(), x.describe());
        }
      }
      assertEquals(LAYERS * O2D.intermediateNodes() * 2, opsPerForward(net, m), "two operations per node");

      Graph derived = NetworkBuilder.build(g, new MacroConfig(MacroConfig.Kind.CIFAR, 4, LAYERS, 5, IN, false),
          Preprocessing.identity(3));
      try (Parameters p = new Parameters(Device.cpu(), DataType.FLOAT32); NDManager s = m.newSubManager()) {
        p.init(derived.params(), 0);
        p.load(net.params().toTensors(), false);
        Batch b = SupernetTest.batch(s, 6, IN, 5, 99, DataType.FLOAT32);
        float[] supernet = net.forward(b.x(), ExecContext.inference()).toFloatArray();
        float[] discrete = net.forward(b.x(), ExecContext.inference(), new GenotypeMixing(O2D, g)).toFloatArray();
        NDArray logits = new GraphExecutor(derived).apply(p, b.x(), ExecContext.inference());
        assertArrayEquals(supernet, discrete);
        assertArrayEquals(supernet, logits.toFloatArray(), 1e-5f);
      }
    }
  }

  @Test
  void tinySdasCSearchTakesEveryDecisionAndEndsInItsGenotype(@TempDir Path tmp) throws IOException {
    SearchResult r = run(config("sdas-c", "o2d", 2), tmp, false, 0);
    assertTrue(r.finished());
    GenotypeValidator.validate(r.genotype());
    List<EpochRecord> h = Json.MAPPER.readValue(tmp.resolve("history.json").toFile(),
        new TypeReference<List<EpochRecord>>() { });
    EpochRecord first = h.get(0);
    EpochRecord last = h.get(1);
    // T = 2 epochs × 3 steps, one queue of M = 2 × 18; schedule C after t = 3: floor(36·(1 − 0.5^4)) = 33
    assertEquals(33, first.decisionsMade());
    assertEquals(36, last.decisionsMade());
    assertEquals(36, last.decisionsNeeded());
    for (String cell : List.of("normal", "reduce")) {
      List<Decision> mine = last.decisions().stream().filter(x -> x.cell().equals(cell)).toList();
      assertEquals(14, mine.stream().filter(Decision::isEdge).count(), cell);
      assertEquals(4, mine.stream().filter(x -> !x.isEdge()).count(), cell);
      assertTrue(mine.stream().allMatch(x -> x.iteration() >= 1 && x.iteration() <= 6));
    }
    assertTrue(first.searchSpaceSize().compareTo(new Discretization(O2D).searchSpaceSize()) < 0);
    assertEquals(BigInteger.ONE, last.searchSpaceSize());
    assertEquals(r.genotype(), Genotypes.resolve(tmp.resolve("genotype.json").toString()));
    assertEquals(GenotypeDeriver.derive(O2D, Discretization.replay(O2D, last.decisions()).discreteWeights()),
        r.genotype());
    // fully discretized, the relaxed supernet is the discrete network
    assertEquals(last.evalValAcc(), last.discreteValAcc());
    assertEquals(last.evalValLoss(), last.discreteValLoss());
    String log = Files.readString(tmp.resolve("log.txt"));
    assertTrue(log.contains("decisions 36/36 (normal 18, reduce 18;"), log);
    assertTrue(log.contains("36 decisions (one queue for all 2 cell types, 14 edges + 4 nodes each)"), log);
    assertTrue(log.contains("search space 1.08e+18"), log);
    assertTrue(log.contains("(discrete)"), log);
    assertEquals(36, SearchCheckpoint.read(tmp).decisions().size());
  }

  @Test
  void thePerTypeQueueKeepsTheCellTypesInLockstep(@TempDir Path tmp) throws IOException {
    SearchConfig c = config("sdas-c", "o2d", 2);
    c = c.withSdas(c.sdas().withQueue(dev.nas.search.sdas.DecisionQueue.PER_TYPE));
    run(c, tmp, false, 0);
    List<EpochRecord> h = Json.MAPPER.readValue(tmp.resolve("history.json").toFile(),
        new TypeReference<List<EpochRecord>>() { });
    // schedule C after t = 3 of 6: floor(18·(1 − 0.5^4)) = 16 per cell type
    assertEquals(16, h.get(0).decisionsMade());
    assertEquals(18, h.get(0).decisionsNeeded());
    for (String cell : List.of("normal", "reduce")) {
      assertEquals(16, h.get(0).decisions().stream().filter(x -> x.cell().equals(cell)).count(), cell);
    }
  }

  @Test
  void theSharedQueueGivesEachDecisionToTheMostConfidentCellType() {
    Discretization state = new Discretization(O2D);
    dev.nas.search.sdas.Scheduler s = new dev.nas.search.sdas.Scheduler(dev.nas.search.sdas.Schedule.A, 36, state,
        dev.nas.search.sdas.DecisionQueue.SHARED);
    int ops = O2D.ops().size();
    float[] flat = new float[14 * ops];
    float[] peaked = new float[14 * ops];
    java.util.Arrays.fill(flat, 1f / ops);
    for (int e = 0; e < 14; e++) {
      peaked[e * ops] = 0.9f;
      for (int o = 1; o < ops; o++) {
        peaked[e * ops + o] = 0.1f / (ops - 1);
      }
    }
    float[] strengths = new float[14];
    java.util.Arrays.fill(strengths, 0.5f);
    ArchWeights w = new ArchWeights(Map.of("normal", flat, "reduce", peaked), Map.of("normal", strengths, "reduce",
        strengths));
    List<Decision> taken = s.advance(10, () -> w);
    assertEquals(10, taken.size(), "A: floor(36 · 10/36)");
    assertTrue(taken.stream().allMatch(d -> d.cell().equals("reduce")), "the reduction cell's edges are far more "
        + "certain, so the normal cell waits, as in SDAS' Fig. 7: " + taken);
    assertEquals(0, state.made("normal"));
  }

  @Test
  void resumedSdasSearchReachesTheSameStateAsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
    SearchConfig c = config("sdas-a", "o2d", 2);
    SearchResult straight = run(c, tmp.resolve("a"), false, 0);
    SearchResult first = run(c, tmp.resolve("b"), false, 1);
    assertFalse(first.finished());
    int half = SearchCheckpoint.read(tmp.resolve("b")).decisions().size();
    assertEquals(2 * 9, half, "schedule A: half of the decisions after half of the iterations");
    SearchResult resumed = run(c, tmp.resolve("b"), true, 0);
    assertTrue(resumed.finished());
    assertEquals(straight.genotype(), resumed.genotype());
    SearchCheckpoint a = SearchCheckpoint.read(tmp.resolve("a"));
    SearchCheckpoint b = SearchCheckpoint.read(tmp.resolve("b"));
    assertEquals(a.decisions(), b.decisions());
    assertEquals(36, a.decisions().size());
    assertEquals(a.tensors().keySet(), b.tensors().keySet());
    assertTrue(a.tensors().containsKey("beta.normal") && a.tensors().containsKey("opt.a.m.beta.reduce"));
    for (String k : a.tensors().keySet()) {
      assertArrayEquals(a.tensors().get(k).data(), b.tensors().get(k).data(), k);
    }
    assertEquals(Files.readString(tmp.resolve("a/alphas.json")), Files.readString(tmp.resolve("b/alphas.json")));
    assertEquals(Json.MAPPER.readTree(tmp.resolve("a/history.json").toFile()).get(1).get("decisions"),
        Json.MAPPER.readTree(tmp.resolve("b/history.json").toFile()).get(1).get("decisions"));
  }

  @Test
  void dasTrainsTheEdgeStrengthsAndDecidesNothingDuringTheSearch(@TempDir Path tmp) throws IOException {
    SearchConfig c = config("das", "darts", 1); // every algorithm works on every space: das on DARTS' space
    SearchResult r = run(c, tmp, false, 0);
    Map<String, Tensor> state = SafeTensors.read(SearchCheckpoint.path(tmp));
    float[] initial;
    try (Supernet net = new Supernet(new SupernetConfig(SearchSpace.DARTS, 4, LAYERS, 4, IN,
        Preprocessing.identity(3)), new BetaMixing(SearchSpace.DARTS, new Discretization(SearchSpace.DARTS)),
        Device.cpu(), DataType.FLOAT32, 5)) {
      initial = Tensors.host(net, "beta.normal");
    }
    assertEquals(List.of(14), state.get("beta.normal").shape());
    assertNotEquals(java.util.Arrays.toString(initial), java.util.Arrays.toString(state.get("beta.normal").data()),
        "β learns");
    EpochRecord last = Json.MAPPER.readValue(tmp.resolve("history.json").toFile(),
        new TypeReference<List<EpochRecord>>() { }).get(0);
    assertTrue(last.decisions().isEmpty());
    assertEquals(new Discretization(SearchSpace.DARTS).searchSpaceSize(), last.searchSpaceSize());
    // the genotype is the SDAS paper's DAS rule (per node the top-2 inputs by β, each edge its arg-max
    // α, which is also the arg-max of sigmoid(β)·softmax(α)), on the weights logged in alphas.json
    JsonNode cells = Json.MAPPER.readTree(tmp.resolve("alphas.json").toFile()).get(0).get("cells");
    Map<String, float[]> weights = new java.util.LinkedHashMap<>();
    Map<String, float[]> strengths = new java.util.LinkedHashMap<>();
    for (String cell : List.of("normal", "reduce")) {
      JsonNode rows = cells.get(cell).get("weights");
      float[] w = new float[14 * 8];
      for (int e = 0; e < 14; e++) {
        for (int o = 0; o < 8; o++) {
          w[e * 8 + o] = (float) rows.get(e).get(o).asDouble();
        }
      }
      weights.put(cell, w);
      assertEquals(14, cells.get(cell).get("strength").size());
      float[] st = new float[14];
      for (int e = 0; e < 14; e++) {
        st[e] = (float) cells.get(cell).get("strength").get(e).asDouble();
      }
      strengths.put(cell, st);
    }
    assertEquals(GenotypeDeriver.derive(SearchSpace.DARTS, new Discretization(SearchSpace.DARTS)
        .completed(weights, strengths, 0).discreteWeights()), r.genotype());
  }

  @Test
  void dartsSearchesTheO2dSpaceAndSdasTheDartsSpace(@TempDir Path tmp) throws IOException {
    SearchResult darts = run(config("darts", "o2d", 1), tmp.resolve("darts"), false, 0);
    assertEquals("o2d", darts.genotype().space());
    GenotypeValidator.validate(darts.genotype());
    SearchResult sdas = run(config("sdas-b", "darts", 1), tmp.resolve("sdas"), false, 0);
    GenotypeValidator.validate(sdas.genotype());
    assertEquals(36, SearchCheckpoint.read(tmp.resolve("sdas")).decisions().size());
    assertFalse(sdas.genotype().toPythonString().contains("none"));
  }

  /** Host values of a named tensor. */
  private static final class Tensors {
    static float[] host(Supernet net, String name) {
      return dev.nas.djl.Tensors.toHost(net.params().get(name)).data();
    }
  }
}
