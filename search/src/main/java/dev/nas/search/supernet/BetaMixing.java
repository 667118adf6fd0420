package dev.nas.search.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Parameters;
import dev.nas.search.sdas.ArchWeights;
import dev.nas.search.sdas.Discretization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SDAS' mixing: edge (j, i) computes {@code sigmoid(β_ji) · Σ_o softmax(α_ji)_o · o(x)}, where α
 * chooses the operation and β measures how much node i needs input j. With a
 * {@link Discretization} it follows SDAS' one-step decisions: a decided edge computes only its
 * chosen operation, {@code sigmoid(β)·o(x)} (its α no longer matters); once its node is decided a
 * kept edge computes {@code o(x)} alone (SDAS eq. 1) and a dropped edge nothing. DAS, the one-shot
 * baseline, is this mixing with a discretization that never advances.
 *
 * <p>With PC-DARTS' edge normalisation ({@link EdgeNormalization}) each edge's output is further
 * weighted by the softmax of its edge weight over its node's inputs, until SDAS decides the node;
 * the edge weights multiply the edge strengths σ(β) that SDAS' decisions and the genotype rule read.
 */
public final class BetaMixing implements Mixing {
  private final SearchSpace space;
  private final Discretization state;
  private final Map<String, int[]> keepable = new LinkedHashMap<>();
  private final Map<String, Masks> masks = new LinkedHashMap<>();
  private final EdgeNormalization edges;

  /** Host masks for one state of a cell type: weights = sigmoid(β)·(softmax(α)·mixed + chosen) + kept. */
  private record Masks(int version, float[] mixed, float[] chosen, float[] kept) {}

  /** SDAS' mixing, edges weighted by σ(β) alone. */
  public BetaMixing(SearchSpace space, Discretization state) {
    this(space, state, false);
  }

  /** @param normalizeEdges whether a node also weights its incoming edges (PC-DARTS' edge normalisation) */
  public BetaMixing(SearchSpace space, Discretization state, boolean normalizeEdges) {
    if (state.space() != space) {
      throw new IllegalArgumentException("the discretization belongs to space " + state.space().name() + ", not "
          + space.name());
    }
    this.space = space;
    this.state = state;
    this.edges = normalizeEdges ? new EdgeNormalization(space) : null;
    for (SearchSpace.CellType t : space.cellTypes()) {
      keepable.put(t.name(), space.keepableOps(t.name()));
    }
  }

  public Discretization state() {
    return state;
  }

  @Override
  public Map<String, int[]> parameterShapes(SearchSpace s) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (SearchSpace.CellType t : s.cellTypes()) {
      out.put(TensorNames.alpha(t.name()), new int[] {s.edgesPerCell(), t.ops().size()});
    }
    for (SearchSpace.CellType t : s.cellTypes()) {
      out.put(TensorNames.beta(t.name()), new int[] {s.edgesPerCell()});
    }
    if (edges != null) {
      out.putAll(edges.parameterShapes());
    }
    return out;
  }

  @Override
  public NDArray weights(String cellType, Parameters params, NDArray like) {
    NDManager m = like.getManager();
    // results of an op join the receiver's manager: attach each per-step value to the step's
    NDArray a = params.get(TensorNames.alpha(cellType)).softmax(1);
    a.attach(m);
    NDArray s = Activation.sigmoid(params.get(TensorNames.beta(cellType)));
    s.attach(m);
    s = s.reshape(space.edgesPerCell(), 1);
    if (state.made(cellType) == 0) {
      return a.mul(s);
    }
    Masks k = masks(cellType);
    Shape shape = new Shape(space.edgesPerCell(), space.ops(cellType).size());
    DataType dt = a.getDataType();
    NDArray mixed = m.create(k.mixed(), shape).toType(dt, false);
    NDArray chosen = m.create(k.chosen(), shape).toType(dt, false);
    NDArray kept = m.create(k.kept(), shape).toType(dt, false);
    return a.mul(mixed).add(chosen).mul(s).add(kept);
  }

  private Masks masks(String cellType) {
    int version = state.made(cellType);
    Masks k = masks.get(cellType);
    if (k != null && k.version() == version) {
      return k;
    }
    int ops = space.ops(cellType).size();
    float[] mixed = new float[space.edgesPerCell() * ops];
    float[] chosen = new float[mixed.length];
    float[] kept = new float[mixed.length];
    for (int e = 0; e < space.edgesPerCell(); e++) {
      switch (state.status(cellType, e)) {
        case MIXED -> java.util.Arrays.fill(mixed, e * ops, (e + 1) * ops, 1f);
        case CHOSEN -> chosen[e * ops + state.op(cellType, e)] = 1f;
        case KEPT -> kept[e * ops + state.op(cellType, e)] = 1f;
        case DROPPED -> { }
      }
    }
    k = new Masks(version, mixed, chosen, kept);
    masks.put(cellType, k);
    return k;
  }

  /** SDAS' Algorithm 1: "initialize α = 0, β = 0" (and DAS, its baseline, the same). */
  @Override
  public double initialScale() {
    return 0;
  }

  @Override
  public java.util.Optional<NDArray> edgeWeights(String cellType, Parameters params, NDArray like) {
    return edges == null ? java.util.Optional.empty()
        : java.util.Optional.of(edges.weights(cellType, params, like, fixedEdges(cellType)));
  }

  /** 1 for the edges of nodes SDAS has decided (kept or dropped), null when no node is decided. */
  private float[] fixedEdges(String cellType) {
    float[] fixed = null;
    for (int e = 0; e < space.edgesPerCell(); e++) {
      Discretization.Status st = state.status(cellType, e);
      if (st == Discretization.Status.KEPT || st == Discretization.Status.DROPPED) {
        fixed = fixed == null ? new float[space.edgesPerCell()] : fixed;
        fixed[e] = 1f;
      }
    }
    return fixed;
  }

  @Override
  public int[] activeOps(String cellType, int edge) {
    return switch (state.status(cellType, edge)) {
      case MIXED -> keepable.get(cellType);
      case CHOSEN, KEPT -> new int[] {state.op(cellType, edge)};
      case DROPPED -> new int[0];
    };
  }

  /**
   * Per cell type the weights (edges × ops) of the discrete cell the current state leads to: every
   * remaining decision taken now, highest priority first (each undecided edge its arg-max α
   * operation, each undecided node its top-k inputs by edge strength) — SDAS' final network, and
   * from an undecided state the SDAS paper's rule for DAS.
   */
  public Map<String, float[]> discreteWeights(Parameters params, long iteration) {
    ArchWeights w = archWeights(params);
    return state.completed(w.opWeights(), w.strengths(), iteration).discreteWeights();
  }

  /** Host copies of softmax(α) and sigmoid(β) per cell type, for SDAS' decisions. */
  public ArchWeights archWeights(Parameters params) {
    Map<String, float[]> ops = new LinkedHashMap<>();
    Map<String, float[]> strengths = new LinkedHashMap<>();
    try (NDManager scope = params.manager().newSubManager()) {
      for (SearchSpace.CellType t : space.cellTypes()) {
        NDArray a = params.get(TensorNames.alpha(t.name())).softmax(1);
        a.attach(scope);
        NDArray s = Activation.sigmoid(params.get(TensorNames.beta(t.name())));
        s.attach(scope);
        ops.put(t.name(), a.toType(DataType.FLOAT32, false).toFloatArray());
        float[] strength = s.toType(DataType.FLOAT32, false).toFloatArray();
        if (edges != null) {
          float[] w = edges.hostWeights(t.name(), params, fixedEdges(t.name()));
          for (int e = 0; e < strength.length; e++) {
            strength[e] *= w[e];
          }
        }
        strengths.put(t.name(), strength);
      }
    }
    return new ArchWeights(ops, strengths);
  }
}
