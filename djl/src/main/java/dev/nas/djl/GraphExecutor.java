package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a static {@link Graph} on DJL's PyTorch engine: the DJL meaning of every primitive layer.
 * Used for derived networks and, fragment by fragment, for supernets, so both compute the same.
 */
public final class GraphExecutor {
  private final Graph graph;
  private final List<Node> inferencePath;
  private final boolean channelsLast;

  /** An executor of a whole network, laid out channels-last where that is faster ({@link ChannelsLast#pays}). */
  public GraphExecutor(Graph graph) {
    this(graph, ChannelsLast.pays(java.util.List.of(graph)));
  }

  /**
   * An executor whose {@link #forward} lays its input out channels-last or leaves it as it is;
   * a network run fragment by fragment decides once for all its fragments.
   */
  public GraphExecutor(Graph graph, boolean channelsLast) {
    this.graph = graph;
    this.inferencePath = graph.inferenceNodes();
    this.channelsLast = channelsLast;
  }

  public Graph graph() {
    return graph;
  }

  /** Main output, and the auxiliary output when training a graph that has one (else null). */
  public record Outputs(NDArray logits, NDArray aux) {}

  /**
   * Forward pass of a whole network; intermediate arrays belong to the input's manager. Where
   * this executor is channels-last, the input is laid out so first, and so is every activation.
   */
  public Outputs forward(Parameters params, NDArray input, ExecContext ctx) {
    boolean withAux = ctx.training() && graph.hasAuxOutput();
    NDArray[] values = run(withAux ? graph.nodes() : inferencePath, params, layout(input), ctx);
    return new Outputs(values[graph.output()], withAux ? values[graph.auxOutput()] : null);
  }

  private NDArray layout(NDArray input) {
    return channelsLast ? ChannelsLast.of(input) : input;
  }

  /** Evaluates {@code nodes} in order; the value of node i at index i (null where not computed). */
  private NDArray[] run(List<Node> nodes, Parameters params, NDArray input, ExecContext ctx) {
    NDArray[] values = new NDArray[graph.nodes().size()];
    values[0] = input;
    for (Node n : nodes) {
      if (n.id() == 0) {
        continue;
      }
      List<NDArray> ins = new ArrayList<>(n.inputs().size());
      for (int i : n.inputs()) {
        ins.add(values[i]);
      }
      values[n.id()] = apply(n, ins, params, ctx);
    }
    return values;
  }

  /**
   * Inference-path forward pass that also returns intermediate values: element 0 is the main
   * output, element i+1 the value of node {@code taps[i]} (which must lie on the inference path).
   */
  public NDArray[] forwardTaps(Parameters params, NDArray input, ExecContext ctx, int... taps) {
    NDArray[] values = run(inferencePath, params, layout(input), ctx);
    NDArray[] out = new NDArray[taps.length + 1];
    out[0] = values[graph.output()];
    for (int i = 0; i < taps.length; i++) {
      if (!graph.isInference(taps[i])) {
        throw new IllegalArgumentException("node " + graph.node(taps[i]).name() + " is not on the inference path");
      }
      out[i + 1] = values[taps[i]];
    }
    return out;
  }

  /** Forward pass returning only the main output. */
  public NDArray apply(Parameters params, NDArray input, ExecContext ctx) {
    return forward(params, input, ctx).logits();
  }

  /**
   * Runs this graph as a fragment of a larger network on a value another fragment produced (so
   * already laid out by {@link #forward}): the main output, inference path only.
   */
  public NDArray applyFragment(Parameters params, NDArray input, ExecContext ctx) {
    return run(inferencePath, params, input, ctx)[graph.output()];
  }

  static NDArray apply(Node n, List<NDArray> in, Parameters p, ExecContext ctx) {
    return n.layer().accept(new Kernel(n, in, p, ctx));
  }

  /** The DJL kernel of one node's layer, applied to that node's inputs. */
  private static final class Kernel implements Layer.Visitor<NDArray> {
    private final Node n;
    private final List<NDArray> in;
    private final Parameters p;
    private final ExecContext ctx;
    private final NDArray x;

    Kernel(Node n, List<NDArray> in, Parameters p, ExecContext ctx) {
      this.n = n;
      this.in = in;
      this.p = p;
      this.ctx = ctx;
      this.x = in.get(0);
    }

    @Override
    public NDArray visit(Layer.Input layer) {
      // run() seeds the input node with the input array, so no graph asks for this
      throw new IllegalStateException("no DJL kernel for layer " + layer.kind() + " at " + n.name());
    }

    @Override
    public NDArray visit(Layer.Conv c) {
      NDArray b = c.bias() ? p.get(n.name() + ".bias") : null;
      return x.getNDArrayInternal().convolution(x, p.get(n.name() + ".weight"), b, shape(c.stride()),
          shape(c.padding()), shape(c.dilation()), c.groups()).singletonOrThrow();
    }

    @Override
    public NDArray visit(Layer.BatchNorm bn) {
      NDArray gamma = bn.affine() ? p.get(n.name() + ".weight") : p.constant(x, "ones", bn.channels(), 1f);
      NDArray beta = bn.affine() ? p.get(n.name() + ".bias") : p.constant(x, "zeros", bn.channels(), 0f);
      // DJL passes (1 - momentum) to PyTorch, so 0.9 here is PyTorch's momentum 0.1.
      return x.getNDArrayInternal().batchNorm(x, p.get(n.name() + ".running_mean"), p.get(n.name() + ".running_var"),
          gamma, beta, -1, (float) (1 - Layer.BatchNorm.MOMENTUM), (float) Layer.BatchNorm.EPS, ctx.training())
          .singletonOrThrow();
    }

    @Override
    public NDArray visit(Layer.Relu layer) {
      return Activation.relu(x);
    }

    @Override
    public NDArray visit(Layer.Sigmoid layer) {
      return Activation.sigmoid(x);
    }

    @Override
    public NDArray visit(Layer.ChannelMul layer) {
      return x.mul(perChannel(in.get(1), x));
    }

    @Override
    public NDArray visit(Layer.ChannelAdd layer) {
      return x.add(perChannel(in.get(1), x));
    }

    @Override
    public NDArray visit(Layer.Pool pool) {
      if (pool.type() == Layer.Pool.Kind.MAX) {
        return x.getNDArrayInternal().maxPool(shape(pool.kernel()), shape(pool.stride()), shape(pool.padding()), false);
      }
      return avgPoolExcludingPadding(x, pool);
    }

    @Override
    public NDArray visit(Layer.GlobalAvgPool layer) {
      return x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
    }

    @Override
    public NDArray visit(Layer.Linear l) {
      NDArray b = l.bias() ? p.get(n.name() + ".bias") : null;
      return x.getNDArrayInternal().linear(x, p.get(n.name() + ".weight"), b).singletonOrThrow();
    }

    @Override
    public NDArray visit(Layer.Sum layer) {
      NDArray sum = x;
      for (int i = 1; i < in.size(); i++) {
        sum = sum.add(in.get(i));
      }
      return sum;
    }

    @Override
    public NDArray visit(Layer.Concat layer) {
      return in.size() == 1 ? x : NDArrays.concat(new NDList(in), 1);
    }

    @Override
    public NDArray visit(Layer.Zero layer) {
      long[] s = x.getShape().getShape().clone();
      s[1] = n.shape().channels();
      for (int i = 0; i < n.shape().rank(); i++) {
        s[i + 2] = n.shape().spatial(i);
      }
      return x.getManager().zeros(new Shape(s), x.getDataType());
    }

    @Override
    public NDArray visit(Layer.Shift shift) {
      int dims = (int) x.getShape().dimension();
      StringBuilder slice = new StringBuilder();
      long[] pad = new long[2 * shift.axes()]; // PyTorch order: last axis first, (begin, end) each
      for (int d = 0; d < dims; d++) {
        slice.append(d == 0 ? "" : ", ").append(d >= dims - shift.axes() ? "1:" : ":");
      }
      for (int i = 0; i < shift.axes(); i++) {
        pad[2 * i + 1] = 1;
      }
      return x.get(slice.toString()).pad(new Shape(pad), 0);
    }

    @Override
    public NDArray visit(Layer.Normalize norm) {
      int c = norm.mean().size();
      long[] s = new long[(int) x.getShape().dimension()];
      java.util.Arrays.fill(s, 1);
      s[1] = c;
      float[] mean = new float[c];
      float[] std = new float[c];
      for (int i = 0; i < c; i++) {
        mean[i] = norm.mean().get(i);
        std[i] = norm.std().get(i);
      }
      // Arrays made from Java values borrow a Java buffer; they stay open with the input's manager
      // because autograd may still read them in the backward pass.
      NDManager m = x.getManager();
      NDArray mu = m.create(mean, new Shape(s)).toType(x.getDataType(), false);
      NDArray sd = m.create(std, new Shape(s)).toType(x.getDataType(), false);
      return x.sub(mu).div(sd);
    }

    @Override
    public NDArray visit(Layer.DropPath layer) {
      return ctx.training() && ctx.dropPathProb() > 0 ? dropPath(x, ctx) : x;
    }

    @Override
    public NDArray visit(Layer.Dropout layer) {
      return ctx.training() && layer.rate() > 0 ? dropout(x, layer.rate(), ctx) : x;
    }
  }

  /**
   * Average pooling that divides each window's sum by the number of real (not padded) inputs in it:
   * PyTorch's {@code count_include_pad=False}, ONNX AveragePool {@code count_include_pad=0}, as
   * DARTS uses it. DJL's PyTorch JNI bridge drops its {@code countIncludePad} argument, so libtorch's
   * default (padding counted) always applies; hence the padded average is asked for explicitly and
   * each output position is rescaled by {@code kernel volume / real inputs in its window}.
   */
  private static NDArray avgPoolExcludingPadding(NDArray x, Layer.Pool pool) {
    NDArray padded;
    if (smallerThanKernel(x, pool)) {
      // libtorch's avg_pool3d refuses inputs smaller than the kernel even when the padding covers
      // the gap (e.g. a 1x3x3 window on 2x2 frames); padding with zeros first gives the same sums
      int rank = pool.kernel().size();
      long[] pads = new long[2 * rank]; // PyTorch order: last axis first
      for (int a = 0; a < rank; a++) {
        pads[2 * a] = pool.padding().get(rank - 1 - a);
        pads[2 * a + 1] = pool.padding().get(rank - 1 - a);
      }
      padded = x.pad(new Shape(pads), 0).getNDArrayInternal().avgPool(shape(pool.kernel()), shape(pool.stride()),
          shape(java.util.Collections.nCopies(rank, 0)), false, true);
    } else {
      padded = x.getNDArrayInternal().avgPool(shape(pool.kernel()), shape(pool.stride()), shape(pool.padding()), false,
          true);
    }
    if (pool.padding().stream().allMatch(p -> p == 0)) {
      return padded;
    }
    int rank = pool.kernel().size();
    long[] outShape = padded.getShape().getShape();
    long[] factorShape = new long[rank + 2];
    factorShape[0] = 1;
    factorShape[1] = 1;
    int positions = 1;
    int[][] counts = new int[rank][];
    long volume = 1;
    for (int a = 0; a < rank; a++) {
      int k = pool.kernel().get(a);
      int s = pool.stride().get(a);
      int p = pool.padding().get(a);
      long size = x.getShape().get(a + 2);
      int n = (int) outShape[a + 2];
      counts[a] = new int[n];
      for (int i = 0; i < n; i++) {
        long start = (long) i * s - p;
        counts[a][i] = (int) (Math.min(start + k, size) - Math.max(start, 0));
      }
      factorShape[a + 2] = n;
      positions *= n;
      volume *= k;
    }
    float[] factor = new float[positions];
    int[] index = new int[rank];
    for (int f = 0; f < positions; f++) {
      long real = 1;
      for (int a = 0; a < rank; a++) {
        real *= counts[a][index[a]];
      }
      factor[f] = (float) ((double) volume / real);
      for (int a = rank - 1; a >= 0 && ++index[a] == counts[a].length; a--) {
        index[a] = 0;
      }
    }
    // Not closed here: PyTorch keeps the factor for the backward pass, and an array made from Java
    // values wraps a Java buffer that closing would free; it goes with the input's manager instead.
    NDArray scale = x.getManager().create(factor, new Shape(factorShape)).toType(x.getDataType(), false);
    return padded.mul(scale);
  }

  private static boolean smallerThanKernel(NDArray x, Layer.Pool pool) {
    for (int a = 0; a < pool.kernel().size(); a++) {
      if (x.getShape().get(a + 2) < pool.kernel().get(a)) {
        return true;
      }
    }
    return false;
  }

  /** An N×C vector reshaped to N×C×1×…×1, so that it broadcasts over {@code map}'s spatial axes. */
  private static NDArray perChannel(NDArray vector, NDArray map) {
    long[] s = new long[(int) map.getShape().dimension()];
    java.util.Arrays.fill(s, 1);
    s[0] = vector.getShape().get(0);
    s[1] = vector.getShape().get(1);
    return vector.reshape(new Shape(s));
  }

  /** Zeroes whole samples with probability p and rescales the kept ones by 1/(1-p), as in DARTS. */
  private static NDArray dropPath(NDArray x, ExecContext ctx) {
    double keep = 1 - ctx.dropPathProb();
    long batch = x.getShape().get(0);
    float[] mask = new float[(int) batch];
    for (int i = 0; i < batch; i++) {
      mask[i] = ctx.rng().nextDouble() < keep ? (float) (1 / keep) : 0f;
    }
    long[] s = new long[(int) x.getShape().dimension()];
    java.util.Arrays.fill(s, 1);
    s[0] = batch;
    // kept open with the input's manager: the backward pass multiplies by the same mask
    NDArray m = x.getManager().create(mask, new Shape(s)).toType(x.getDataType(), false);
    return x.mul(m);
  }

  /** Elementwise dropout with the context's random stream (so a seeded training repeats exactly). */
  private static NDArray dropout(NDArray x, double rate, ExecContext ctx) {
    if (ctx.rng() == null) {
      throw new IllegalStateException("dropout while training needs the context's random stream (ExecContext.training)");
    }
    double keep = 1 - rate;
    float[] mask = new float[Math.toIntExact(x.size())];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = ctx.rng().nextDouble() < keep ? (float) (1 / keep) : 0f;
    }
    // kept open with the input's manager: the backward pass multiplies by the same mask
    NDArray m = x.getManager().create(mask, x.getShape()).toType(x.getDataType(), false);
    return x.mul(m);
  }

  static Shape shape(List<Integer> v) {
    return new Shape(v.stream().mapToLong(Integer::longValue).toArray());
  }
}
