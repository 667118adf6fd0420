package dev.nas.search.cdarts;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.io.Tensor;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.djl.optim.Sgd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CDARTS' evaluation network (E-Net): the static network {@link NetworkBuilder} derives from a
 * discretized α, plus training-only stage heads ({@code head.<k>...}). {@link #rebuild} makes the
 * E-Net of a new genotype that inherits every tensor whose name and shape the old one had (cell
 * edges are named {@code cells.<i>.edges.<e>.<op>...}, so an unchanged edge keeps its weights, BN
 * statistics and SGD momentum); tensors new to it get their deterministic initial values.
 */
public final class EvalNet implements AutoCloseable {
  /** Name prefix of the E-Net's stage heads. */
  public static final String HEAD_PREFIX = "head";

  private final NetworkSpec spec;
  private final Graph graph;
  private final GraphExecutor executor;
  private final StageHeads heads;
  private final int[] taps;
  private final Parameters params;
  private final Sgd optimizer;
  private final long seed;
  private int inherited;

  private EvalNet(NetworkSpec spec, Device device, long seed, Sgd optimizer) {
    if (spec.macro().auxiliary()) {
      throw new IllegalArgumentException("the E-Net has stage heads instead of an auxiliary head");
    }
    this.spec = spec;
    this.seed = seed;
    NetworkBuilder.WithCellOutputs built = NetworkBuilder.buildWithCellOutputs(spec);
    this.graph = built.graph();
    this.executor = new GraphExecutor(graph);
    List<Integer> cellNodes = built.cellOutputs();
    List<FeatureShape> cellShapes = cellNodes.stream().map(id -> graph.node(id).shape()).toList();
    this.heads = new StageHeads(HEAD_PREFIX, cellShapes, spec.macro().classes());
    this.taps = heads.cells().stream().mapToInt(cellNodes::get).toArray();
    this.params = new Parameters(device, ai.djl.ndarray.types.DataType.FLOAT32);
    List<NamedParam> all = new ArrayList<>(graph.params());
    all.addAll(heads.params());
    params.init(all, seed);
    this.optimizer = optimizer;
  }

  /** A freshly initialised E-Net for {@code spec} (whose macro must have no auxiliary head). */
  public static EvalNet create(NetworkSpec spec, Device device, long seed, double momentum, double weightDecay) {
    return new EvalNet(spec, device, seed, new Sgd(momentum, weightDecay));
  }

  /**
   * The E-Net of {@code genotype} in the same macro, inheriting by name and shape every tensor
   * (and momentum buffer) of this one; this one stays open (the caller closes it).
   */
  public EvalNet rebuild(Genotype genotype) {
    NetworkSpec next = new NetworkSpec(genotype, spec.macro(), spec.preprocessing(), spec.classNames(), spec.info());
    Sgd opt = new Sgd(optimizer.momentum(), optimizer.weightDecay());
    EvalNet out = new EvalNet(next, params.manager().getDevice(), seed, opt);
    Map<String, Tensor> carried = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : params.toTensors().entrySet()) {
      if (out.params.contains(e.getKey()) && sameShape(out.params.get(e.getKey()), e.getValue())) {
        carried.put(e.getKey(), e.getValue());
      }
    }
    out.params.load(carried, false);
    out.inherited = carried.size();
    Map<String, Tensor> momentum = new LinkedHashMap<>();
    optimizer.state().forEach((k, v) -> {
      if (carried.containsKey(k.substring("momentum.".length()))) {
        momentum.put(k, v);
      }
    });
    opt.load(out.params, momentum);
    return out;
  }

  private static boolean sameShape(NDArray a, Tensor t) {
    return Arrays.equals(a.getShape().getShape(), t.longShape());
  }

  public NetworkSpec spec() {
    return spec;
  }

  public Genotype genotype() {
    return spec.genotype();
  }

  /** The static network graph (what is exported). */
  public Graph graph() {
    return graph;
  }

  public StageHeads heads() {
    return heads;
  }

  public Parameters params() {
    return params;
  }

  public Sgd optimizer() {
    return optimizer;
  }

  /** Tensors taken over from the E-Net this one was rebuilt from (0 for a fresh one). */
  public int inherited() {
    return inherited;
  }

  /** Multi-level logits: the stage heads', then the classifier's. */
  public List<NDArray> forward(NDArray x, ExecContext ctx) {
    NDArray[] v = executor.forwardTaps(params, x, ctx, taps);
    return heads.levels(params, Arrays.asList(v).subList(1, v.length), v[0], ctx);
  }

  /** The classifier's logits only. */
  public NDArray logits(NDArray x, ExecContext ctx) {
    return executor.apply(params, x, ctx);
  }

  /** Learned tensors (network and heads). */
  public List<String> weights() {
    return params.learnedNames(n -> true);
  }

  /** Learned weight count of the static network (heads excluded). */
  public long networkWeightCount() {
    return graph.params().stream().filter(p -> p.spec().trainable()).mapToLong(p -> p.spec().numel()).sum();
  }

  /** The static network's tensors (heads excluded), on the host. */
  public Map<String, Tensor> networkTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (NamedParam p : graph.params()) {
      out.put(p.name(), Tensors.toHost(params.get(p.name())));
    }
    return out;
  }

  /**
   * Writes the static network (no heads) as a network folder that {@code nas export} reads, marked
   * as trained (its weights are the E-Net's, not initial values).
   */
  public void write(Path dir, Map<String, Object> info) throws IOException {
    NetworkSpec s = spec.withInfo("trained", true);
    for (Map.Entry<String, Object> e : info.entrySet()) {
      s = s.withInfo(e.getKey(), e.getValue());
    }
    NetworkFolder.write(dir, s, networkTensors());
  }

  @Override
  public void close() {
    params.close();
  }
}
