package dev.nas.search.sdas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * One one-step discretization of SDAS, as logged and checkpointed. An {@code edge} decision fixes
 * the operation on the edge from state {@code input} into intermediate node {@code node}; a
 * {@code node} decision keeps the inputs {@code kept} of intermediate node {@code node} and drops
 * the edges from {@code dropped}. States are numbered as in genotypes (0 and 1 are the cell
 * inputs, intermediate node {@code i} is state {@code i + 2}).
 *
 * @param iteration the search iteration after which it was taken (1-based, warm-up not counted)
 * @param priority the confidence that ranked it first: top-1 minus top-2 operation weight for an
 *     edge, rank-k minus rank-(k+1) edge strength for a node
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(String cell, String kind, int node, Integer input, String op, List<Integer> kept,
    List<Integer> dropped, long iteration, double priority) {
  public static final String EDGE = "edge";
  public static final String NODE = "node";

  public Decision {
    if (!kind.equals(EDGE) && !kind.equals(NODE)) {
      throw new IllegalArgumentException("decision kind must be edge or node, not " + kind);
    }
    if (kind.equals(EDGE) ? input == null || op == null : kept == null || dropped == null) {
      throw new IllegalArgumentException("incomplete " + kind + " decision for " + cell + " node " + node);
    }
    kept = kept == null ? null : List.copyOf(kept);
    dropped = dropped == null ? null : List.copyOf(dropped);
  }

  public static Decision edge(String cell, int node, int input, String op, long iteration, double priority) {
    return new Decision(cell, EDGE, node, input, op, null, null, iteration, priority);
  }

  public static Decision node(String cell, int node, List<Integer> kept, List<Integer> dropped, long iteration,
      double priority) {
    return new Decision(cell, NODE, node, null, null, kept, dropped, iteration, priority);
  }

  public boolean isEdge() {
    return kind.equals(EDGE);
  }

  /** One line for the log, e.g. {@code normal edge 1→node 2: sep_conv_3x3 (gap 0.214, iteration 45)}. */
  public String describe() {
    String what = isEdge() ? String.format(Locale.ROOT, "%s edge %d→node %d: %s", cell, input, node, op)
        : String.format(Locale.ROOT, "%s node %d: keeps inputs %s%s", cell, node, kept,
            dropped.isEmpty() ? "" : ", drops " + dropped);
    return String.format(Locale.ROOT, "%s (gap %.4f, iteration %d)", what, priority, iteration);
  }
}
