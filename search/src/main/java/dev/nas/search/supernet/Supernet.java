package dev.nas.search.supernet;

import ai.djl.Device;
import dev.nas.network.TensorNames;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Parameters;
import dev.nas.graph.FeatureShape;
import dev.nas.graph.Graph;
import dev.nas.graph.GraphBuilder;
import dev.nas.graph.Layer;
import dev.nas.graph.NamedParam;
import dev.nas.macro.CellPlan;
import dev.nas.macro.MacroBlocks;
import dev.nas.macro.MacroLayout;
import dev.nas.ops.OpCatalog;
import dev.nas.ops.OpContext;
import dev.nas.ops.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The DARTS supernet: stem, cells whose every edge mixes all candidate operations of its cell
 * type, classifier, laid out by {@link MacroLayout} in the macro of the config (search stage).
 * Each piece is a small static graph (a fragment) built by the same catalog as derived networks
 * and run by the same {@link GraphExecutor}; tensor names equal the derived network's, so an
 * edge's weights mean the same thing in both.
 */
public final class Supernet implements AutoCloseable {
  /** The architecture tensors' names: exactly those the mixing declares ({@link Mixing#parameterShapes}). */
  private final java.util.Set<String> archNames;

  private final SupernetConfig config;
  private final Mixing mixing;
  private final Parameters params;
  private final GraphExecutor stem;
  private final List<CellFragments> cells = new ArrayList<>();
  private final GraphExecutor classifier;
  private final List<Graph> fragments = new ArrayList<>();
  /** Per cell, the shape of its output (the concatenation of its intermediate nodes). */
  private final List<FeatureShape> cellShapes = new ArrayList<>();
  /** Learned weights of the stem, cell preprocessing and classifier: used whatever the mixing computes. */
  private final List<String> alwaysUsed = new ArrayList<>();
  /** Per cell, edge and op: the learned weights of that operation's fragment. */
  private final List<List<String>[][]> opWeights = new ArrayList<>();
  private long opCalls;

  /** One cell's fragments: preprocessing of both inputs and, per edge, one fragment per op (null if not in space). */
  private record CellFragments(CellPlan plan, GraphExecutor pre0, GraphExecutor pre1, GraphExecutor[][] ops) {}

  public Supernet(SupernetConfig config, Mixing mixing, Device device, DataType dtype, long seed) {
    this.config = config;
    this.mixing = mixing;
    SearchSpace space = config.space();
    GraphBuilder sb = new GraphBuilder(config.input());
    int x = sb.add("normalize", new Layer.Normalize(config.preprocessing().mean(), config.preprocessing().std()),
        sb.input());
    MacroBlocks.StemOutputs so = MacroLayout.stem(sb, config.macro(), x, config.channels(), config.stemChannels());
    Graph stemGraph = sb.build(so.prev());
    fragments.add(stemGraph);
    FeatureShape s0 = stemGraph.node(so.prevPrev()).shape();
    FeatureShape s1 = stemGraph.node(so.prev()).shape();
    int rank = config.input().rank();
    List<CellPlan> plan = MacroLayout.plan(config.macro(), config.layers(), config.repeat(), MacroLayout.Stage.SEARCH,
        so, config.channels(), type -> space.intermediateNodes());
    for (CellPlan cell : plan) {
      String prefix = TensorNames.cell(cell.index());
      GraphExecutor pre0 = fragment(s0, b -> MacroBlocks.preprocessFirst(b, prefix, cell, b.input(), false));
      GraphExecutor pre1 = fragment(s1, b -> MacroBlocks.preprocessSecond(b, prefix, cell, b.input(), false));
      FeatureShape state = pre1.graph().node(pre1.graph().output()).shape();
      List<String> candidates = space.ops(cell.type());
      GraphExecutor[][] ops = new GraphExecutor[space.edgesPerCell()][candidates.size()];
      for (int node = 0; node < space.intermediateNodes(); node++) {
        for (int from = 0; from < space.inputStates() + node; from++) {
          int e = space.edgeIndex(node, from);
          List<Integer> stride = from < space.inputStates() ? cell.stride() : Collections.nCopies(rank, 1);
          OpContext ctx = new OpContext(cell.channels(), stride, false);
          for (int o = 0; o < candidates.size(); o++) {
            String op = candidates.get(o);
            String name = TensorNames.edgeOp(cell.index(), e, op);
            ops[e][o] = fragment(state, b -> OpCatalog.build(b, op, name, b.input(), ctx));
          }
        }
      }
      cells.add(new CellFragments(cell, pre0, pre1, ops));
      FeatureShape out = cellOutputShape(ops, cell, space);
      cellShapes.add(out);
      s0 = s1;
      s1 = out;
    }
    GraphBuilder cb = new GraphBuilder(s1);
    Graph cls = cb.build(MacroBlocks.classifier(cb, cb.input(), config.classes()));
    this.classifier = new GraphExecutor(cls, false);
    fragments.add(cls);
    // the stem lays out the input, and with it every activation of every fragment
    this.stem = new GraphExecutor(stemGraph, dev.nas.djl.ChannelsLast.pays(fragments));

    this.params = new Parameters(device, dtype);
    List<NamedParam> all = new ArrayList<>();
    for (Graph g : fragments) {
      all.addAll(g.params());
    }
    params.init(all, seed);
    SplittableRandom rnd = new SplittableRandom(seed ^ 0xA1FA);
    Map<String, int[]> archShapes = mixing.parameterShapes(space);
    this.archNames = java.util.Set.copyOf(archShapes.keySet());
    for (Map.Entry<String, int[]> e : archShapes.entrySet()) {
      if (params.contains(e.getKey())) {
        throw new IllegalStateException("the mixing's tensor " + e.getKey() + " has the name of a network weight");
      }
      int[] shape = e.getValue();
      float[] v = new float[java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (1e-3 * gaussian(rnd)); // DARTS: 1e-3 * randn
      }
      params.add(e.getKey(), v, java.util.Arrays.stream(shape).boxed().toList());
    }
    indexWeights();
  }

  @SuppressWarnings("unchecked")
  private void indexWeights() {
    alwaysUsed.addAll(learnedOf(stem.graph()));
    for (CellFragments cell : cells) {
      alwaysUsed.addAll(learnedOf(cell.pre0().graph()));
      alwaysUsed.addAll(learnedOf(cell.pre1().graph()));
      List<String>[][] names = new List[cell.ops().length][];
      for (int e = 0; e < names.length; e++) {
        names[e] = new List[cell.ops()[e].length];
        for (int o = 0; o < names[e].length; o++) {
          names[e][o] = cell.ops()[e][o] == null ? List.of() : learnedOf(cell.ops()[e][o].graph());
        }
      }
      opWeights.add(names);
    }
    alwaysUsed.addAll(learnedOf(classifier.graph()));
  }

  private List<String> learnedOf(Graph g) {
    return g.params().stream().map(NamedParam::name).filter(params.learned()::containsKey).toList();
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private GraphExecutor fragment(FeatureShape input, java.util.function.ToIntFunction<GraphBuilder> body) {
    GraphBuilder b = new GraphBuilder(input);
    Graph g = b.build(body.applyAsInt(b));
    fragments.add(g);
    return new GraphExecutor(g, false); // run by applyFragment on values the stem laid out
  }

  /** A cell's output shape: its nodes' shape (that of any edge leaving a cell input) times the node count. */
  private static FeatureShape cellOutputShape(GraphExecutor[][] ops, CellPlan cell, SearchSpace space) {
    Graph edge = ops[0][ops[0].length - 1].graph();
    return edge.node(edge.output()).shape().withChannels(cell.channels() * space.intermediateNodes());
  }

  public SupernetConfig config() {
    return config;
  }

  public Mixing mixing() {
    return mixing;
  }

  public Parameters params() {
    return params;
  }

  /** Every fragment graph (for counting and memory estimates). */
  public List<Graph> fragments() {
    return Collections.unmodifiableList(fragments);
  }

  /** Logits for a batch. */
  public NDArray forward(NDArray x, ExecContext ctx) {
    return forward(x, ctx, mixing);
  }

  /**
   * Logits for a batch with another mixing over the same weights, e.g. a discretized network
   * ({@link GenotypeMixing}) evaluated with the search's weights.
   */
  public NDArray forward(NDArray x, ExecContext ctx, Mixing mixing) {
    return forwardCells(x, ctx, mixing, null);
  }

  /** Logits and every cell's output, in cell order (for heads on intermediate features, e.g. CDARTS). */
  public record CellOutputs(NDArray logits, List<NDArray> cells) {}

  /** Logits and the output of every cell for a batch, with this supernet's mixing. */
  public CellOutputs forwardCells(NDArray x, ExecContext ctx) {
    List<NDArray> outs = new ArrayList<>();
    NDArray logits = forwardCells(x, ctx, mixing, outs);
    return new CellOutputs(logits, outs);
  }

  /** Per cell, the per-sample shape of its output. */
  public List<FeatureShape> cellOutputShapes() {
    return Collections.unmodifiableList(cellShapes);
  }

  private NDArray forwardCells(NDArray x, ExecContext ctx, Mixing mixing, List<NDArray> cellOutputs) {
    SearchSpace space = config.space();
    Map<String, NDArray> weights = new LinkedHashMap<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      weights.put(t.name(), mixing.weights(t.name(), params, x));
    }
    NDArray s0 = stem.apply(params, x, ctx);
    NDArray s1 = s0;
    for (CellFragments cell : cells) {
      String type = cell.plan().type();
      NDArray w = weights.get(type);
      List<NDArray> states = new ArrayList<>();
      states.add(cell.pre0().applyFragment(params, s0, ctx));
      states.add(cell.pre1().applyFragment(params, s1, ctx));
      for (int node = 0; node < space.intermediateNodes(); node++) {
        NDArray acc = null;
        for (int from = 0; from < space.inputStates() + node; from++) {
          int e = space.edgeIndex(node, from);
          for (int o : mixing.activeOps(type, e)) {
            NDArray h = cell.ops()[e][o].applyFragment(params, states.get(from), ctx).mul(w.get(e, o));
            opCalls++;
            acc = acc == null ? h : acc.add(h);
          }
        }
        if (acc == null) {
          throw new IllegalStateException("every edge into node " + node + " of a " + type + " cell is dropped");
        }
        states.add(acc);
      }
      s0 = s1;
      s1 = NDArrays.concat(new NDList(states.subList(space.inputStates(), states.size())), 1);
      if (cellOutputs != null) {
        cellOutputs.add(s1);
      }
    }
    return classifier.applyFragment(params, s1, ctx);
  }

  /** Operation fragments run by forward passes so far (what a mixing's {@code activeOps} saves shows here). */
  public long opCalls() {
    return opCalls;
  }

  /**
   * Names of the learned weights the current mixing uses, in creation order: those of operations
   * it no longer computes are left out, so an optimiser skips them as PyTorch skips tensors
   * without a gradient.
   */
  public List<String> usedWeights() {
    java.util.Set<String> used = new java.util.HashSet<>(alwaysUsed);
    SearchSpace space = config.space();
    for (int c = 0; c < cells.size(); c++) {
      String type = cells.get(c).plan().type();
      for (int e = 0; e < space.edgesPerCell(); e++) {
        for (int o : mixing.activeOps(type, e)) {
          used.addAll(opWeights.get(c)[e][o]);
        }
      }
    }
    return params.learnedNames(n -> used.contains(n));
  }

  /** Mixing weights per cell type as host arrays (edges × ops, row-major). */
  public Map<String, float[]> mixingWeights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (ai.djl.ndarray.NDManager scope = params.manager().newSubManager()) {
      NDArray like = scope.zeros(new ai.djl.ndarray.types.Shape(1));
      for (SearchSpace.CellType t : config.space().cellTypes()) {
        out.put(t.name(), mixing.weights(t.name(), params, like).toType(DataType.FLOAT32, false).toFloatArray());
      }
    }
    return out;
  }

  /**
   * Selects architecture tensors (α, β, ...: whatever the mixing declared), as opposed to network
   * weights; a mixing that names its tensors in any way is optimised as architecture.
   */
  public Predicate<String> isArch() {
    return archNames::contains;
  }

  /** Selects network weights: every learned tensor that is not architecture. */
  public Predicate<String> isWeight() {
    return n -> !archNames.contains(n);
  }

  /** Learned weight count (architecture parameters excluded). */
  public long weightCount() {
    return params.learnedCount(isWeight());
  }

  @Override
  public void close() {
    params.close();
  }
}
