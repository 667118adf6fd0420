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
 * cost of exactly the genotype the rule derives. In NAS-Bench-201 cells one exception: a node no path leads from to the
 * output (every edge out of it, or of the nodes it feeds, {@code none}) is not built in the derived
 * network, but E still counts its edges, so E is then an upper bound of that genotype's cost.
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
    NDArray chosen = chosenProbabilities(strength, m);
    double[] t = table.perType().get(type);
    float[] tf = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      tf[i] = (float) t[i];
    }
    NDArray cost = m.create(tf, new Shape(space.edgesPerCell(), ops.size())).toType(w.getDataType(), false);
    return p.mul(cost).sum(new int[] {1}).mul(chosen).sum();
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
