package dev.nas.search.sdas;

import dev.nas.core.ops.SearchSpace;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The discretization state of SDAS for every cell type of a space: which edges have their
 * operation fixed, which nodes have their inputs fixed, and the decisions in the order they were
 * taken. Each cell type needs {@code M = E + N} decisions (edges plus intermediate nodes); a node
 * can be decided once every edge into it is.
 */
public final class Discretization {
  /** What an edge computes in the current state. */
  public enum Status {
    /** Operation not decided: the mixture of all operations. */
    MIXED,
    /** Operation decided, node not yet: the chosen operation, still weighted by its strength. */
    CHOSEN,
    /** Operation and node decided and the edge kept: the chosen operation alone. */
    KEPT,
    /** Dropped by its node's decision: not computed. */
    DROPPED
  }

  private final SearchSpace space;
  private final Map<String, int[]> keepable = new LinkedHashMap<>();
  private final int[] edgeNode;
  private final int[] edgeInput;
  private final Map<String, Cell> cells = new LinkedHashMap<>();
  private final List<Decision> decisions = new ArrayList<>();

  private static final class Cell {
    final int[] op;
    final boolean[] dropped;
    final boolean[] nodeDone;
    int made;

    Cell(int edges, int nodes) {
      op = new int[edges];
      java.util.Arrays.fill(op, -1);
      dropped = new boolean[edges];
      nodeDone = new boolean[nodes];
    }

    Cell(Cell o) {
      op = o.op.clone();
      dropped = o.dropped.clone();
      nodeDone = o.nodeDone.clone();
      made = o.made;
    }
  }

  /** The undecided state: every edge mixed, every node connected to all its predecessors. */
  public Discretization(SearchSpace space) {
    this.space = space;
    int edges = space.edgesPerCell();
    this.edgeNode = new int[edges];
    this.edgeInput = new int[edges];
    for (int node = 0; node < space.intermediateNodes(); node++) {
      for (int from = 0; from < preds(node); from++) {
        edgeNode[space.edgeIndex(node, from)] = node;
        edgeInput[space.edgeIndex(node, from)] = from;
      }
    }
    for (SearchSpace.CellType t : space.cellTypes()) {
      Cell c = new Cell(edges, space.intermediateNodes());
      if (space.keepsEveryEdge()) {
        // NAS-Bench-201 cells keep every input of every node: nothing to decide but the edges' operations
        java.util.Arrays.fill(c.nodeDone, true);
      }
      cells.put(t.name(), c);
      keepable.put(t.name(), space.keepableOps(t.name()));
    }
  }

  /** The state reached by taking {@code decisions} in order; fails naming the first that does not apply. */
  public static Discretization replay(SearchSpace space, List<Decision> decisions) {
    Discretization d = new Discretization(space);
    decisions.forEach(d::apply);
    return d;
  }

  public Discretization copy() {
    Discretization c = new Discretization(space);
    cells.forEach((k, v) -> c.cells.put(k, new Cell(v)));
    c.decisions.addAll(decisions);
    return c;
  }

  public SearchSpace space() {
    return space;
  }

  /** Decisions a cell type needs in all: its edges plus its intermediate nodes (only its edges when it keeps every edge). */
  public int perCell() {
    return space.edgesPerCell() + (space.keepsEveryEdge() ? 0 : space.intermediateNodes());
  }

  /** Decisions taken so far for {@code cell}. */
  public int made(String cell) {
    return cell(cell).made;
  }

  /** Every decision so far, in the order taken. */
  public List<Decision> decisions() {
    return Collections.unmodifiableList(decisions);
  }

  public boolean complete() {
    return cells.values().stream().allMatch(c -> c.made == perCell());
  }

  public Status status(String cell, int edge) {
    Cell c = cell(cell);
    if (c.dropped[edge]) {
      return Status.DROPPED;
    }
    if (c.op[edge] < 0) {
      return Status.MIXED;
    }
    return c.nodeDone[edgeNode[edge]] ? Status.KEPT : Status.CHOSEN;
  }

  /** The operation (index into the space's ops) fixed on {@code edge}, or -1 while it is mixed. */
  public int op(String cell, int edge) {
    return cell(cell).op[edge];
  }

  /**
   * The highest-priority decision that can be taken next for {@code cell}, or null when the cell
   * is fully decided. An undecided edge's priority is the gap between its two largest operation
   * weights ({@code none} never counts: it cannot be kept); an eligible node's is the gap between
   * the strengths of its rank-k and rank-(k+1) inputs (0 for rank k+1 when it has only k). Ties go
   * to edges before nodes, then to lower indices.
   *
   * @param opWeights softmax(α) of the cell type, edges × ops row-major
   * @param strengths sigmoid(β) of the cell type, one per edge
   */
  public Decision next(String cell, float[] opWeights, float[] strengths, long iteration) {
    Cell c = cell(cell);
    List<String> names = space.ops(cell);
    int ops = names.size();
    Decision best = null;
    for (int e = 0; e < space.edgesPerCell(); e++) {
      if (c.op[e] >= 0) {
        continue;
      }
      int top = -1;
      int second = -1;
      for (int o : keepable.get(cell)) {
        float w = opWeights[e * ops + o];
        if (top < 0 || w > opWeights[e * ops + top]) {
          second = top;
          top = o;
        } else if (second < 0 || w > opWeights[e * ops + second]) {
          second = o;
        }
      }
      double gap = opWeights[e * ops + top] - (second < 0 ? 0 : opWeights[e * ops + second]);
      if (best == null || gap > best.priority()) {
        best = Decision.edge(cell, edgeNode[e], edgeInput[e], names.get(top), iteration, gap);
      }
    }
    for (int node = 0; node < space.intermediateNodes(); node++) {
      if (c.nodeDone[node] || !edgesDecided(c, node)) {
        continue;
      }
      int k = space.inputsOf(node);
      int n = node;
      List<Integer> ranked = IntStream.range(0, preds(node)).boxed()
          .sorted(Comparator.comparingDouble((Integer j) -> -strengths[space.edgeIndex(n, j)]).thenComparingInt(j -> j))
          .toList();
      int keep = Math.min(k, ranked.size());
      double gap = strengths[space.edgeIndex(node, ranked.get(keep - 1))]
          - (ranked.size() > keep ? strengths[space.edgeIndex(node, ranked.get(keep))] : 0);
      if (best == null || gap > best.priority()) {
        best = Decision.node(cell, node, sorted(ranked.subList(0, keep)), sorted(ranked.subList(keep, ranked.size())),
            iteration, gap);
      }
    }
    return best;
  }

  private static List<Integer> sorted(List<Integer> l) {
    return l.stream().sorted().toList();
  }

  private boolean edgesDecided(Cell c, int node) {
    for (int j = 0; j < preds(node); j++) {
      if (c.op[space.edgeIndex(node, j)] < 0) {
        return false;
      }
    }
    return true;
  }

  private int preds(int node) {
    return space.inputStates() + node;
  }

  /** Takes a decision; fails (leaving the state unchanged) when it does not apply to this state. */
  public void apply(Decision d) {
    Cell c = cells.get(d.cell());
    if (c == null) {
      throw new IllegalArgumentException("decision for unknown cell type " + d.cell() + " (space " + space.name()
          + " has " + cells.keySet() + ")");
    }
    if (d.node() < 0 || d.node() >= space.intermediateNodes()) {
      throw new IllegalArgumentException("decision " + d.describe() + " names a node outside 0.."
          + (space.intermediateNodes() - 1));
    }
    if (d.isEdge()) {
      if (d.input() < 0 || d.input() >= preds(d.node())) {
        throw new IllegalArgumentException("decision " + d.describe() + ": node " + d.node() + " has no input "
            + d.input());
      }
      int e = space.edgeIndex(d.node(), d.input());
      int op = space.ops(d.cell()).indexOf(d.op());
      if (IntStream.of(keepable.get(d.cell())).noneMatch(o -> o == op)) {
        throw new IllegalArgumentException("decision " + d.describe() + ": " + d.op() + " cannot be chosen in the "
            + d.cell() + " cells of space " + space.name());
      }
      if (c.op[e] >= 0) {
        throw new IllegalArgumentException("decision " + d.describe() + ": the edge is already decided");
      }
      c.op[e] = op;
    } else {
      if (c.nodeDone[d.node()]) {
        throw new IllegalArgumentException("decision " + d.describe() + ": the node is already decided");
      }
      if (!edgesDecided(c, d.node())) {
        throw new IllegalArgumentException("decision " + d.describe() + ": edges into the node are still undecided");
      }
      List<Integer> all = new ArrayList<>(d.kept());
      all.addAll(d.dropped());
      if (d.kept().size() != Math.min(space.inputsOf(d.node()), preds(d.node()))
          || !sorted(all).equals(IntStream.range(0, preds(d.node())).boxed().toList())) {
        throw new IllegalArgumentException("decision " + d.describe() + " must keep "
            + Math.min(space.inputsOf(d.node()), preds(d.node())) + " and drop the rest of inputs 0.."
            + (preds(d.node()) - 1));
      }
      c.nodeDone[d.node()] = true;
      for (int j : d.dropped()) {
        c.dropped[space.edgeIndex(d.node(), j)] = true;
      }
    }
    c.made++;
    decisions.add(d);
  }

  /**
   * A copy with every remaining decision taken greedily now (highest priority first) from the
   * given weights: the discrete network the current state leads to.
   */
  public Discretization completed(Map<String, float[]> opWeights, Map<String, float[]> strengths, long iteration) {
    Discretization d = copy();
    for (String cell : cells.keySet()) {
      for (Decision next; (next = d.next(cell, opWeights.get(cell), strengths.get(cell), iteration)) != null; ) {
        d.apply(next);
      }
    }
    return d;
  }

  /**
   * For a complete state, per cell type the weights (edges × ops) of the discrete cell: 1 for the
   * kept operation of a kept edge, 0 elsewhere — the form {@link dev.nas.search.GenotypeDeriver} reads.
   */
  public Map<String, float[]> discreteWeights() {
    if (!complete()) {
      throw new IllegalStateException("the discretization is not complete; complete it first");
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    cells.forEach((name, c) -> {
      int ops = space.ops(name).size();
      float[] w = new float[space.edgesPerCell() * ops];
      for (int e = 0; e < space.edgesPerCell(); e++) {
        if (!c.dropped[e]) {
          w[e * ops + c.op[e]] = 1;
        }
      }
      out.put(name, w);
    });
    return out;
  }

  /**
   * Number of discrete architectures still reachable: per cell type and node, the sum over the
   * input sets still possible (the kept set of a decided node; every k-subset of its predecessors
   * otherwise) of the product over their edges of 1 (operation decided) or the number of
   * operations that can be kept; the product over nodes and cell types.
   */
  public BigInteger searchSpaceSize() {
    BigInteger total = BigInteger.ONE;
    for (String cell : cells.keySet()) {
      total = total.multiply(cellSpaceSize(cell));
    }
    return total;
  }

  public BigInteger cellSpaceSize(String cell) {
    Cell c = cell(cell);
    BigInteger size = BigInteger.ONE;
    for (int node = 0; node < space.intermediateNodes(); node++) {
      int k = space.inputsOf(node);
      // Σ over k-subsets of Π of per-edge choices is the elementary symmetric polynomial e_k
      BigInteger[] e = new BigInteger[k + 1];
      java.util.Arrays.fill(e, BigInteger.ZERO);
      e[0] = BigInteger.ONE;
      for (int j = 0; j < preds(node); j++) {
        int edge = space.edgeIndex(node, j);
        if (c.dropped[edge]) {
          continue;
        }
        BigInteger x = BigInteger.valueOf(c.op[edge] >= 0 ? 1 : keepable.get(cell).length);
        for (int m = k; m >= 1; m--) {
          e[m] = e[m].add(e[m - 1].multiply(x));
        }
      }
      size = size.multiply(e[Math.min(k, preds(node))]);
    }
    return size;
  }

  private Cell cell(String name) {
    Cell c = cells.get(name);
    if (c == null) {
      throw new IllegalArgumentException("space " + space.name() + " has no cell type " + name);
    }
    return c;
  }
}
