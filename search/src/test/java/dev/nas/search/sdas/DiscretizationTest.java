package dev.nas.search.sdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.ops.SearchSpace;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscretizationTest {
  private static final SearchSpace S = SearchSpace.O2D;
  private static final int OPS = S.ops().size();
  private static final int E = S.edgesPerCell();

  /** Uniform operation weights (no edge is confident) and equal strengths. */
  private static float[] uniformOps() {
    float[] w = new float[E * OPS];
    Arrays.fill(w, 1f / OPS);
    return w;
  }

  private static float[] strengths(float v) {
    float[] s = new float[E];
    Arrays.fill(s, v);
    return s;
  }

  /** Makes {@code op} lead on {@code edge} by {@code gap} over the runner-up. */
  private static void lead(float[] w, int edge, String op, float gap) {
    w[edge * OPS + S.opIndex(op)] += gap;
  }

  @Test
  void theMostConfidentEdgeGoesFirstWithItsArgMaxOperation() {
    Discretization d = new Discretization(S);
    float[] w = uniformOps();
    lead(w, S.edgeIndex(2, 3), "sep_conv_5x5", 0.30f);
    lead(w, S.edgeIndex(0, 1), "max_pool_3x3", 0.20f);
    float[] s = strengths(0.5f);
    Decision first = d.next("normal", w, s, 7);
    assertEquals(Decision.edge("normal", 2, 3, "sep_conv_5x5", 7, first.priority()), first);
    assertEquals(0.30, first.priority(), 1e-6);
    d.apply(first);
    Decision second = d.next("normal", w, s, 8);
    assertEquals("max_pool_3x3", second.op());
    assertEquals(List.of(0, 1), List.of(second.node(), second.input()));
    assertEquals(Discretization.Status.CHOSEN, d.status("normal", S.edgeIndex(2, 3)));
    assertEquals(Discretization.Status.MIXED, d.status("reduce", S.edgeIndex(2, 3)), "cell types are independent");
  }

  @Test
  void aNodeIsEligibleOnlyOnceAllItsEdgesAreDecided() {
    Discretization d = new Discretization(S);
    float[] w = uniformOps();
    float[] s = strengths(0.5f);
    // node 1 (inputs 0, 1, 2): strengths 0.9, 0.2, 0.7 → keeps 0 and 2, gap 0.7 − 0.2
    s[S.edgeIndex(1, 0)] = 0.9f;
    s[S.edgeIndex(1, 1)] = 0.2f;
    s[S.edgeIndex(1, 2)] = 0.7f;
    lead(w, S.edgeIndex(1, 0), "sep_conv_3x3", 0.05f);
    lead(w, S.edgeIndex(1, 1), "sep_conv_3x3", 0.04f);
    lead(w, S.edgeIndex(1, 2), "dil_conv_3x3", 0.03f);
    lead(w, S.edgeIndex(3, 4), "avg_pool_3x3", 0.02f); // a weaker edge elsewhere
    for (int i = 0; i < 2; i++) {
      d.apply(d.next("normal", w, s, i));
    }
    // two of node 1's three edges decided: its (high) node priority does not count yet
    Decision third = d.next("normal", w, s, 2);
    assertTrue(third.isEdge());
    assertEquals(List.of(1, 2), List.of(third.node(), third.input()));
    d.apply(third);
    Decision node = d.next("normal", w, s, 3);
    assertEquals(Decision.node("normal", 1, List.of(0, 2), List.of(1), 3, node.priority()), node);
    assertEquals(0.5, node.priority(), 1e-6);
    d.apply(node);
    assertEquals(Discretization.Status.KEPT, d.status("normal", S.edgeIndex(1, 0)));
    assertEquals(Discretization.Status.DROPPED, d.status("normal", S.edgeIndex(1, 1)));
    assertEquals(4, d.made("normal"));
  }

  @Test
  void aNodeWithOnlyKInputsCompetesWithItsRankKStrength() {
    Discretization d = new Discretization(S);
    float[] w = uniformOps();
    lead(w, S.edgeIndex(0, 0), "skip_connect", 0.4f);
    lead(w, S.edgeIndex(0, 1), "skip_connect", 0.35f);
    lead(w, S.edgeIndex(3, 2), "sep_conv_3x3", 0.3f);
    float[] s = strengths(0.6f);
    s[S.edgeIndex(0, 1)] = 0.25f; // node 0's rank-2 input; nothing to drop, so its priority is 0.25 − 0
    d.apply(d.next("normal", w, s, 1));
    d.apply(d.next("normal", w, s, 1));
    Decision next = d.next("normal", w, s, 1);
    assertTrue(next.isEdge(), "edge gap 0.3 beats node gap 0.25");
    d.apply(next);
    Decision node = d.next("normal", w, s, 2);
    assertEquals(Decision.node("normal", 0, List.of(0, 1), List.of(), 2, 0.25f), node);
    // the same gap on an edge and a node: the edge goes first
    Discretization tie = new Discretization(S);
    float[] w2 = new float[E * OPS]; // zero elsewhere, so the gaps are exactly 0.5 and 0.25
    lead(w2, S.edgeIndex(0, 0), "skip_connect", 0.5f);
    lead(w2, S.edgeIndex(0, 1), "skip_connect", 0.5f);
    lead(w2, S.edgeIndex(1, 0), "skip_connect", 0.25f);
    tie.apply(tie.next("normal", w2, s, 1));
    tie.apply(tie.next("normal", w2, s, 1));
    assertTrue(tie.next("normal", w2, s, 1).isEdge());
  }

  @Test
  void searchSpaceSizeStartsAtTheDartsCountAndEndsAtOne() {
    BigInteger seven8 = BigInteger.valueOf(7).pow(8);
    BigInteger cell = BigInteger.valueOf(3 * 6 * 10).multiply(seven8); // C(3,2)·C(4,2)·C(5,2)·7^8
    BigInteger start = cell.pow(2);
    assertEquals(start, new Discretization(S).searchSpaceSize());
    assertEquals(start, new Discretization(SearchSpace.DARTS).searchSpaceSize(), "'none' is not a choice");
    assertEquals(1.0767e18, start.doubleValue(), 0.0001e18);

    Discretization d = new Discretization(S);
    d.apply(Decision.edge("normal", 0, 0, "sep_conv_3x3", 1, 0));
    // node 0 keeps both inputs: 7·7 → 1·7
    assertEquals(start.divide(BigInteger.valueOf(7)), d.searchSpaceSize());
    d.apply(Decision.edge("normal", 3, 4, "skip_connect", 1, 0));
    // node 3 (inputs 0..4): pairs with edge 4 count 7 instead of 49 (4 of 10 pairs), the rest 49
    BigInteger node3 = BigInteger.valueOf(4 * 7 + 6 * 49);
    BigInteger expected = BigInteger.valueOf(3 * 6).multiply(BigInteger.valueOf(7).pow(5)).multiply(node3)
        .multiply(cell);
    assertEquals(expected, d.searchSpaceSize());

    SplittableRandom r = new SplittableRandom(4);
    Map<String, float[]> ops = Map.of("normal", random(r, E * OPS), "reduce", random(r, E * OPS));
    Map<String, float[]> str = Map.of("normal", random(r, E), "reduce", random(r, E));
    Discretization done = d.completed(ops, str, 9);
    assertTrue(done.complete());
    assertEquals(BigInteger.ONE, done.searchSpaceSize());
    assertEquals(2 * 18, done.decisions().size());
    assertEquals(2, d.decisions().size(), "completing works on a copy");
    assertEquals(done.searchSpaceSize(), Discretization.replay(S, done.decisions()).searchSpaceSize());
    // each decision narrows the space (never widens it)
    Discretization step = new Discretization(S);
    BigInteger prev = step.searchSpaceSize();
    for (Decision x : done.decisions()) {
      step.apply(x);
      assertTrue(step.searchSpaceSize().compareTo(prev) <= 0);
      prev = step.searchSpaceSize();
    }
  }

  @Test
  void replayRejectsDecisionsThatDoNotApply() {
    Discretization d = new Discretization(S);
    d.apply(Decision.edge("normal", 1, 2, "sep_conv_3x3", 1, 0));
    assertThrows(IllegalArgumentException.class, () -> d.apply(Decision.edge("normal", 1, 2, "skip_connect", 2, 0)));
    assertThrows(IllegalArgumentException.class, () -> d.apply(Decision.node("normal", 1, List.of(0, 2),
        List.of(1), 2, 0)), "edges into node 1 are undecided");
    assertThrows(IllegalArgumentException.class, () -> d.apply(Decision.edge("normal", 0, 2, "skip_connect", 2, 0)));
    assertThrows(IllegalArgumentException.class, () -> new Discretization(SearchSpace.DARTS)
        .apply(Decision.edge("normal", 0, 0, "none", 2, 0)));
    assertEquals(1, d.decisions().size());
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble();
    }
    return v;
  }
}
