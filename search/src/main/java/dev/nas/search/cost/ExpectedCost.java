package dev.nas.search.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.cost.CostTable;
import dev.nas.search.supernet.Supernet;
import java.util.List;

/**
 * The expected cost of the network the search will derive, differentiable in the architecture
 * parameters. Per cell type, from the mixing weights W (edges × ops, the supernet's own: softmax(α),
 * σ(β)·softmax(α), SDAS' decided edges as one-hot rows, edge normalisation included):
 *
 * <ul>
 *   <li>the operation an edge keeps: {@code p_eo = W_eo / Σ_{o'≠none} W_eo'} ({@code none} is never kept);
 *   <li>whether a node keeps the edge among its k inputs: each node's edges have strengths s
 *       ({@link EdgeSelection}); with {@code π = s / Σ s}, the probability that the edge is among k
 *       inputs drawn without replacement in proportion to π (Plackett–Luce): for k = 2,
 *       {@code P_e = π_e + π_e · Σ_{j≠e} π_j / (1 − π_j)}, for k = 1 {@code π_e}, and 1 when the
 *       node has no more than k inputs (so always in NAS-Bench-201 cells, which keep every edge and
 *       may keep {@code none}, whose cost is 0). Σ_e P_e = k and P_e ≤ 1, as for the discrete choice;
 *   <li>{@code E = fixed + Σ_types Σ_e P_e Σ_o p_eo · T_type[e, o]}, T the {@link CostTable}'s
 *       (edges × ops) matrix summed over the derived cells of the type.
 * </ul>
 *
 * When the weights are one-hot (each kept edge one operation, each node k strong inputs) E is the
 * cost of exactly the genotype the rule derives. In cells that keep every edge (NAS-Bench-201) a
 * node from which no chain of non-{@code none} edges leads to the output is dead and not built,
 * nor are the edges into it: there P_e is the probability that the edge's node is live, from the
 * last node back, {@code live(j) = 1 − Π_{k>j} (1 − q_{j→k} · live(k))} with {@code q} the
 * probability that an edge is not {@code none} (the output is live). That product treats the
 * routes through different k as independent, which holds exactly when each node has at most one
 * intermediate successor besides the output, as in NAS-Bench-201's 3-node cell; larger dense cells
 * would get an approximation.
 */
public final class ExpectedCost {
  private final CostTable table;
  private final EdgeSelection selection;
  private final SearchSpace space;

  public ExpectedCost(CostTable table, EdgeSelection selection) {
    this.table = table;
    this.selection = selection;
    this.space = table.space();
    if (space.inputsPerNode() > 2) {
      throw new IllegalArgumentException("the expected cost handles nodes keeping one or two inputs; space "
          + space.name() + " keeps " + space.inputsPerNode());
    }
  }

  public CostTable table() {
    return table;
  }

  /** E for the supernet's current architecture parameters, a scalar attached to {@code like}'s manager. */
  public NDArray of(Supernet net, NDArray like) {
    NDArray total = null;
    for (SearchSpace.CellType t : space.cellTypes()) {
      NDArray cell = ofCell(t.name(), net.mixingWeights(t.name(), like), like.getManager());
      total = total == null ? cell : total.add(cell);
    }
    return total.add(table.fixed());
  }

  /** Σ_e P_e Σ_o p_eo T[e, o] for one cell type's mixing weights {@code w} (edges × ops). */
  NDArray ofCell(String type, NDArray w, NDManager m) {
    List<String> ops = space.ops(type);
    float[] keep = new float[ops.size()];
    for (int o : space.keepableOps(type)) {
      keep[o] = 1f;
    }
    NDArray mask = m.create(keep, new Shape(1, ops.size())).toType(w.getDataType(), false);
    NDArray kept = w.mul(mask);
    NDArray rowSum = kept.sum(new int[] {1}, true);
    NDArray p = kept.div(rowSum.add(1e-12));
    NDArray strength = selection == EdgeSelection.STRONGEST_OP ? kept.max(new int[] {1}) : rowSum.reshape(-1);
    NDArray chosen = space.keepsEveryEdge() ? liveProbabilities(type, p, m) : chosenProbabilities(strength, m);
    double[] t = table.perType().get(type);
    float[] tf = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      tf[i] = (float) t[i];
    }
    NDArray cost = m.create(tf, new Shape(space.edgesPerCell(), ops.size())).toType(w.getDataType(), false);
    return p.mul(cost).sum(new int[] {1}).mul(chosen).sum();
  }

  /**
   * For a cell keeping every edge, per edge the probability that the node it feeds is live, from
   * the operation probabilities {@code p} (edges × ops, {@code none} among them).
   */
  private NDArray liveProbabilities(String type, NDArray p, NDManager m) {
    int none = space.ops(type).indexOf("none");
    int states = space.inputStates() + space.intermediateNodes();
    NDArray[] live = new NDArray[states];
    for (int out : space.outputStates()) {
      live[out] = m.ones(new Shape(1), p.getDataType());
    }
    for (int state = states - 1; state >= space.inputStates(); state--) {
      if (live[state] != null) {
        continue;
      }
      NDArray dead = null;
      for (int k = state + 1; k < states; k++) {
        int e = space.edgeIndex(k - space.inputStates(), state);
        NDArray used = none < 0 ? live[k] : p.get(new NDIndex(e + ", " + none)).neg().add(1).reshape(1).mul(live[k]);
        NDArray notThrough = used.neg().add(1);
        dead = dead == null ? notThrough : dead.mul(notThrough);
      }
      live[state] = dead == null ? m.zeros(new Shape(1), p.getDataType()) : dead.neg().add(1);
    }
    NDList perEdge = new NDList();
    for (int node = 0; node < space.intermediateNodes(); node++) {
      NDArray l = live[space.inputStates() + node];
      perEdge.add(l.repeat(space.inputStates() + node));
    }
    return NDArrays.concat(perEdge);
  }

  /** P_e for every edge, node by node. */
  private NDArray chosenProbabilities(NDArray strength, NDManager m) {
    NDList perNode = new NDList();
    for (int node = 0; node < space.intermediateNodes(); node++) {
      int k = space.inputsOf(node);
      int from = space.edgeIndex(node, 0);
      int preds = space.inputStates() + node;
      NDArray s = strength.get(new NDIndex(from + ":" + (from + preds)));
      if (preds <= k) {
        perNode.add(s.onesLike());
        continue;
      }
      NDArray pi = s.div(s.sum().add(1e-12));
      if (k == 1) {
        perNode.add(pi);
        continue;
      }
      NDArray q = pi.div(pi.neg().add(1).maximum(1e-6));
      perNode.add(pi.add(pi.mul(q.sum().sub(q))));
    }
    return NDArrays.concat(perNode);
  }

  /** Host value of E (a double) for reports. */
  public double value(Supernet net) {
    try (NDManager scope = net.params().manager().newSubManager()) {
      NDArray like = scope.zeros(new Shape(1));
      return of(net, like).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }
  }

}
