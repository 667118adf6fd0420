package dev.nas.search.supernet;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.macro.CellPlan;
import dev.nas.core.macro.MacroBlocks;
import dev.nas.core.macro.MacroLayout;
import dev.nas.core.ops.OpCatalog;
import dev.nas.core.ops.OpContext;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.TensorNames;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Parameters;
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
 *
 * <p>With partial channel connections (PC-DARTS, Xu et al. 2020, Section 3.2; K =
 * {@link SupernetConfig#partialChannels}) an edge computes its operations on its input's first
 * C/K channels and passes the other channels through (on a strided edge through the catalog's
 * {@code max_pool_3x3}: PC-DARTS pools 2×2, which gives other sizes than the strided operations
 * on odd inputs), concatenates both and shuffles the channels in K groups, so that the next
 * edge's first C/K channels draw on every part. The bypassed channels are weighted by the edge's
 * total mixing weight: 1 for softmax mixing, as PC-DARTS, σ(β) for DAS and SDAS, so that β gates
 * the whole edge. Partial channels exist only here: a derived network computes every channel.
 */
public final class Supernet implements AutoCloseable {
  /** The architecture tensors' names: exactly those the mixing declares ({@link Mixing#parameterShapes}). */
  private final java.util.Set<String> archNames;

  private final SupernetConfig config;
  private final Mixing mixing;
  private final Parameters params;
  private final GraphExecutor stem;
  /** The stem's node that feeds the first cell's first input: its output, except in the imagenet macro. */
  private final int stemPrevPrev;
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
  /** Values per sample that partial channel edges create outside fragments (concatenation, shuffle, weighting). */
  private long plumbingValues;

  /**
   * One cell's fragments: preprocessing of both inputs (null for the single, unprocessed input of a
   * NAS-Bench-201 cell) and, per edge, one fragment per op (null if not in space); with partial
   * channels, the pooling of the bypassed channels of strided edges (null when the cell is not
   * strided or computes every channel); for a residual block of the nb201 macro only {@code block}.
   */
  private record CellFragments(CellPlan plan, GraphExecutor pre0, GraphExecutor pre1, GraphExecutor[][] ops,
      GraphExecutor stridedBypass, GraphExecutor block) {
    /** The nb201 macro's residual block between stages: {@code block} only, no edges. */
    static CellFragments residual(CellPlan plan, GraphExecutor block) {
      return new CellFragments(plan, null, null, new GraphExecutor[0][], null, block);
    }

    int computedChannels(int k) {
      return plan.channels() / k;
    }
  }

  public Supernet(SupernetConfig config, Mixing mixing, Device device, DataType dtype, long seed) {
    this.config = config;
    this.mixing = mixing;
    SearchSpace space = config.space();
    GraphBuilder sb = new GraphBuilder(config.input());
    int x = sb.add("normalize", new Layer.Normalize(config.preprocessing().mean(), config.preprocessing().std()),
        sb.input());
    MacroBlocks.StemOutputs so = MacroLayout.stem(sb, config.macro(), x, config.channels(), config.stemChannels());
    Graph stemGraph = sb.build(so.prev());
    this.stemPrevPrev = so.prevPrev();
    fragments.add(stemGraph);
    FeatureShape s0 = stemGraph.node(so.prevPrev()).shape();
    FeatureShape s1 = stemGraph.node(so.prev()).shape();
    int rank = config.input().rank();
    int k = config.partialChannels();
    List<CellPlan> plan = MacroLayout.plan(config.macro(), config.layers(), config.repeat(), MacroLayout.Stage.SEARCH,
        so, config.channels(), type -> space.outputStates().size(), space.cellTypeNames());
    for (CellPlan cell : plan) {
      String prefix = TensorNames.cell(cell.index());
      if (cell.residualBlock()) {
        GraphExecutor block = fragment(s1, b -> MacroBlocks.residualBlock(b, prefix, cell, b.input()));
        cells.add(CellFragments.residual(cell, block));
        FeatureShape out = block.graph().node(block.graph().output()).shape();
        cellShapes.add(out);
        s0 = s1;
        s1 = out;
        continue;
      }
      boolean preprocessed = space.preprocessesInputs();
      GraphExecutor pre0 = preprocessed
          ? fragment(s0, b -> MacroBlocks.preprocessFirst(b, prefix, cell, b.input(), false)) : null;
      GraphExecutor pre1 = preprocessed
          ? fragment(s1, b -> MacroBlocks.preprocessSecond(b, prefix, cell, b.input(), false)) : null;
      FeatureShape state = preprocessed ? pre1.graph().node(pre1.graph().output()).shape() : s1;
      List<String> candidates = space.ops(cell.type());
      if (cell.channels() % k != 0) {
        throw new IllegalArgumentException("--partial-channels " + k + " does not divide the " + cell.channels()
            + " channels of cell " + cell.index() + " (" + cell.type() + ")");
      }
      int computed = cell.channels() / k;
      GraphExecutor[][] ops = new GraphExecutor[space.edgesPerCell()][candidates.size()];
      for (int node = 0; node < space.intermediateNodes(); node++) {
        for (int from = 0; from < space.inputStates() + node; from++) {
          int e = space.edgeIndex(node, from);
          List<Integer> stride = from < space.inputStates() ? cell.stride() : Collections.nCopies(rank, 1);
          OpContext ctx = new OpContext(computed, stride, false);
          for (int o = 0; o < candidates.size(); o++) {
            String op = candidates.get(o);
            String name = TensorNames.edgeOp(cell.index(), e, op);
            ops[e][o] = fragment(state.withChannels(computed), b -> OpCatalog.build(b, op, name, b.input(), ctx));
          }
        }
      }
      boolean strided = cell.stride().stream().anyMatch(st -> st > 1);
      GraphExecutor stridedBypass = k > 1 && strided
          ? fragment(state.withChannels(cell.channels() - computed), b -> OpCatalog.build(b, "max_pool_3x3",
              TensorNames.cell(cell.index()) + ".bypass", b.input(),
              new OpContext(cell.channels() - computed, cell.stride(), false)))
          : null;
      cells.add(new CellFragments(cell, pre0, pre1, ops, stridedBypass, null));
      FeatureShape out = cellOutputShape(ops, cell, space);
      if (k > 1) {
        // per edge: the concatenation, its shuffled copy and the weighted bypass and edge output
        long node = out.numel() / space.outputStates().size();
        plumbingValues += space.edgesPerCell() * 4 * node;
      }
      cellShapes.add(out);
      s0 = s1;
      s1 = out;
    }
    GraphBuilder cb = new GraphBuilder(s1);
    Graph cls = cb.build(MacroBlocks.head(cb, config.macro(), cb.input(), config.classes(), 0));
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
      double scale = mixing.initialScale();
      for (int i = 0; i < v.length && scale != 0; i++) {
        v[i] = (float) (scale * gaussian(rnd));
      }
      params.add(e.getKey(), v, java.util.Arrays.stream(shape).boxed().toList());
    }
    indexWeights();
  }

  @SuppressWarnings("unchecked")
  private void indexWeights() {
    alwaysUsed.addAll(learnedOf(stem.graph()));
    for (CellFragments cell : cells) {
      for (GraphExecutor fixed : new GraphExecutor[] {cell.pre0(), cell.pre1(), cell.block()}) {
        if (fixed != null) {
          alwaysUsed.addAll(learnedOf(fixed.graph()));
        }
      }
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

  /** A cell's output shape: its nodes' shape (that of any edge leaving a cell input) times the output node count. */
  private static FeatureShape cellOutputShape(GraphExecutor[][] ops, CellPlan cell, SearchSpace space) {
    Graph edge = ops[0][ops[0].length - 1].graph();
    return edge.node(edge.output()).shape().withChannels(cell.channels() * space.outputStates().size());
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

  /**
   * Values per sample that partial channel edges keep for the backward pass outside the fragments
   * (0 when every channel is computed), for memory estimates.
   */
  public long plumbingValuesPerSample() {
    return plumbingValues;
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
    int k = config.partialChannels();
    Map<String, NDArray> weights = new LinkedHashMap<>();
    Map<String, NDArray> edgeTotals = new LinkedHashMap<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      NDArray w = mixingWeights(mixing, t.name(), x);
      weights.put(t.name(), w);
      if (k > 1) {
        edgeTotals.put(t.name(), w.sum(new int[] {1}));
      }
    }
    NDArray s0;
    NDArray s1;
    if (stemPrevPrev == stem.graph().output()) {
      s0 = stem.apply(params, x, ctx);
      s1 = s0;
    } else {
      // the imagenet stem: the first cell reads both of its stages
      NDArray[] v = stem.forwardTaps(params, x, ctx, stemPrevPrev);
      s1 = v[0];
      s0 = v[1];
    }
    for (CellFragments cell : cells) {
      if (cell.block() != null) {
        s0 = s1;
        s1 = cell.block().applyFragment(params, s1, ctx);
        if (cellOutputs != null) {
          cellOutputs.add(s1);
        }
        continue;
      }
      String type = cell.plan().type();
      NDArray w = weights.get(type);
      List<NDArray> states = new ArrayList<>();
      if (cell.pre0() == null) {
        states.add(s1); // a NAS-Bench-201 cell reads the previous cell's output as it is
      } else {
        states.add(cell.pre0().applyFragment(params, s0, ctx));
        states.add(cell.pre1().applyFragment(params, s1, ctx));
      }
      PartialInputs partial = k > 1 ? new PartialInputs(cell, k) : null;
      for (int node = 0; node < space.intermediateNodes(); node++) {
        NDArray acc = null;
        for (int from = 0; from < space.inputStates() + node; from++) {
          int e = space.edgeIndex(node, from);
          if (partial == null) {
            for (int o : mixing.activeOps(type, e)) {
              NDArray h = cell.ops()[e][o].applyFragment(params, states.get(from), ctx).mul(w.get(e, o));
              opCalls++;
              acc = acc == null ? h : acc.add(h);
            }
            continue;
          }
          NDArray in = partial.computed(states.get(from));
          NDArray edge = null;
          for (int o : mixing.activeOps(type, e)) {
            NDArray h = cell.ops()[e][o].applyFragment(params, in, ctx).mul(w.get(e, o));
            opCalls++;
            edge = edge == null ? h : edge.add(h);
          }
          if (edge != null) {
            NDArray bypass = partial.bypassed(states.get(from), from < space.inputStates(), ctx)
                .mul(edgeTotals.get(type).get(e));
            edge = shuffle(NDArrays.concat(new NDList(edge, bypass), 1), k);
            acc = acc == null ? edge : acc.add(edge);
          }
        }
        if (acc == null) {
          if (!space.keepsEveryEdge()) {
            throw new IllegalStateException("every edge into node " + node + " of a " + type + " cell is dropped");
          }
          acc = states.get(0).zerosLike(); // a NAS-Bench-201 node whose every kept edge is none
        }
        states.add(acc);
      }
      s0 = s1;
      List<NDArray> outputs = new ArrayList<>();
      for (int st : space.outputStates()) {
        outputs.add(states.get(st));
      }
      s1 = outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(new NDList(outputs), 1);
      if (cellOutputs != null) {
        cellOutputs.add(s1);
      }
    }
    return classifier.applyFragment(params, s1, ctx);
  }

  /**
   * The two channel groups of a cell's states under partial channels: the first C/K computed by
   * the operations, the others passed through (pooled once per cell input on strided edges).
   */
  private final class PartialInputs {
    private final CellFragments cell;
    private final ai.djl.ndarray.index.NDIndex computed;
    private final ai.djl.ndarray.index.NDIndex rest;
    private final Map<NDArray, NDArray> pooled = new java.util.IdentityHashMap<>();

    PartialInputs(CellFragments cell, int k) {
      this.cell = cell;
      int c = cell.computedChannels(k);
      this.computed = new ai.djl.ndarray.index.NDIndex(":, :{}", c);
      this.rest = new ai.djl.ndarray.index.NDIndex(":, {}:", c);
    }

    NDArray computed(NDArray state) {
      return state.get(computed);
    }

    NDArray bypassed(NDArray state, boolean cellInput, ExecContext ctx) {
      NDArray r = state.get(rest);
      if (!cellInput || cell.stridedBypass() == null) {
        return r;
      }
      return pooled.computeIfAbsent(state, s -> cell.stridedBypass().applyFragment(params, r, ctx));
    }
  }

  /** PC-DARTS' channel shuffle: channel g·(C/K)+i moves to i·K+g. */
  static NDArray shuffle(NDArray y, int groups) {
    ai.djl.ndarray.types.Shape s = y.getShape();
    long[] split = new long[s.dimension() + 1];
    int[] axes = new int[split.length];
    split[0] = s.get(0);
    split[1] = groups;
    split[2] = s.get(1) / groups;
    axes[0] = 0;
    axes[1] = 2;
    axes[2] = 1;
    for (int d = 2; d < s.dimension(); d++) {
      split[d + 1] = s.get(d);
      axes[d + 1] = d + 1;
    }
    return y.reshape(new ai.djl.ndarray.types.Shape(split)).transpose(axes).reshape(s);
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
      if (cells.get(c).block() != null) {
        continue;
      }
      String type = cells.get(c).plan().type();
      for (int e = 0; e < space.edgesPerCell(); e++) {
        for (int o : mixing.activeOps(type, e)) {
          used.addAll(opWeights.get(c)[e][o]);
        }
      }
    }
    return params.learnedNames(n -> used.contains(n));
  }

  /**
   * Mixing weights per cell type as host arrays (edges × ops, row-major), each edge's row
   * multiplied by its edge weight where the mixing weights edges (PC-DARTS' genotype rule).
   */
  public Map<String, float[]> mixingWeights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (ai.djl.ndarray.NDManager scope = params.manager().newSubManager()) {
      NDArray like = scope.zeros(new ai.djl.ndarray.types.Shape(1));
      for (SearchSpace.CellType t : config.space().cellTypes()) {
        out.put(t.name(), mixingWeights(t.name(), like).toType(DataType.FLOAT32, false).toFloatArray());
      }
    }
    return out;
  }

  /**
   * The mixing weights (edges × ops) of {@code cellType}, each edge's row multiplied by its edge
   * weight where the mixing weights edges; differentiable in the architecture tensors, attached to
   * {@code like}'s manager.
   */
  public NDArray mixingWeights(String cellType, NDArray like) {
    return mixingWeights(mixing, cellType, like);
  }

  private NDArray mixingWeights(Mixing m, String cellType, NDArray like) {
    NDArray w = m.weights(cellType, params, like);
    java.util.Optional<NDArray> edges = m.edgeWeights(cellType, params, like);
    return edges.isPresent() ? w.mul(edges.get().reshape(config.space().edgesPerCell(), 1)) : w;
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
