package dev.nas.core.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The primitive layers every network in nas is made of. Each operation of the catalog is a
 * small graph of these, so each primitive is the one place that states its output shape, its
 * tensors and its cost; the DJL executor, the ONNX exporter and the cost counter each give every
 * primitive exactly one meaning.
 *
 * <p>Cost convention (the NAS papers' mobile setting): {@link #macs} counts multiply-adds of
 * convolution and fully-connected layers only; everything else reports {@link #otherOps}
 * (elementwise work of BN, activations, pooling, additions), which is never folded into MACs.
 *
 * <p>Every interpretation is exhaustive at compile time, so a new primitive cannot compile until
 * each one gives it a meaning. The executor and the exporter live in other modules and implement
 * {@link Visitor}. The cost is stated by each record itself: {@link #params}, {@link #macs} and
 * {@link #otherOps} have no defaults, even where a record's answer is "none", because a default
 * of zero would let a forgotten primitive count as free. Cost stays on the records rather than in
 * a cost visitor because it is defined by the same fields as the output shape, next to which it is
 * easiest to check.
 */
public sealed interface Layer {
  /** Short kind name used in reports and node names, e.g. {@code conv}. */
  String kind();

  /** Output shape for the given input shapes; throws {@link IllegalArgumentException} if they do not fit. */
  FeatureShape output(List<FeatureShape> in);

  /** Tensors this layer owns, for the given input shapes. */
  List<ParamSpec> params(List<FeatureShape> in);

  /** Multiply-adds per sample (convolution and fully-connected layers only). */
  long macs(List<FeatureShape> in, FeatureShape out);

  /** Other arithmetic per sample (not part of the MACs headline). */
  long otherOps(List<FeatureShape> in, FeatureShape out);

  /** Whether the layer exists only while training (removed from exported and counted graphs). */
  default boolean trainingOnly() {
    return false;
  }

  /** Calls the method of {@code visitor} for this layer's kind and returns its result. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One meaning for every primitive, e.g. a DJL kernel or an ONNX node. Dispatch through
   * {@link Layer#accept} instead of an {@code instanceof} chain: adding a primitive adds a method
   * here, so every interpretation stops compiling until it handles the new kind, where a chain
   * would only fail when a graph with that layer first runs. Implementations carry whatever
   * context they need (the node, its inputs) as fields, as one is usually made per layer visited.
   *
   * @param <R> what the interpretation produces for one layer
   */
  interface Visitor<R> {
    R visit(Input layer);

    R visit(Conv layer);

    R visit(BatchNorm layer);

    R visit(Relu layer);

    R visit(Sigmoid layer);

    R visit(ChannelMul layer);

    R visit(ChannelAdd layer);

    R visit(Pool layer);

    R visit(GlobalAvgPool layer);

    R visit(Linear layer);

    R visit(Sum layer);

    R visit(Concat layer);

    R visit(Zero layer);

    R visit(Dropout layer);

    R visit(Shift layer);

    R visit(Normalize layer);

    R visit(DropPath layer);
  }

  /** The network input; {@code shape} excludes the batch dimension. */
  record Input(FeatureShape shape) implements Layer {
    public String kind() {
      return "input";
    }

    public FeatureShape output(List<FeatureShape> in) {
      return shape;
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** N-d convolution without padding asymmetry; {@code groups == in} is depthwise. */
  record Conv(int in, int out, List<Integer> kernel, List<Integer> stride, List<Integer> padding,
      List<Integer> dilation, int groups, boolean bias) implements Layer {
    public Conv {
      kernel = List.copyOf(kernel);
      stride = List.copyOf(stride);
      padding = List.copyOf(padding);
      dilation = List.copyOf(dilation);
      int r = kernel.size();
      if (stride.size() != r || padding.size() != r || dilation.size() != r) {
        throw new IllegalArgumentException("conv kernel/stride/padding/dilation ranks differ");
      }
      if (in % groups != 0 || out % groups != 0) {
        throw new IllegalArgumentException(
            "conv groups " + groups + " must divide channels " + in + "→" + out);
      }
    }

    public String kind() {
      return groups == 1 ? "conv" : groups == in && groups == out ? "dwconv" : "gconv";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      if (x.channels() != in) {
        throw new IllegalArgumentException("conv expects " + in + " input channels, got " + x);
      }
      if (x.rank() != kernel.size()) {
        throw new IllegalArgumentException("conv kernel " + kernel + " does not fit input " + x);
      }
      List<Integer> s = new ArrayList<>();
      for (int i = 0; i < kernel.size(); i++) {
        s.add(windowOutput(x.spatial(i), kernel.get(i), stride.get(i), padding.get(i), dilation.get(i), x));
      }
      return new FeatureShape(out, s);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      List<Integer> w = new ArrayList<>(List.of(out, in / groups));
      w.addAll(kernel);
      int fanIn = (int) (in / groups * product(kernel));
      List<ParamSpec> p = new ArrayList<>();
      p.add(new ParamSpec("weight", w, ParamSpec.Role.UNIFORM_FAN_IN, fanIn));
      if (bias) {
        p.add(new ParamSpec("bias", List.of(out), ParamSpec.Role.UNIFORM_FAN_IN, fanIn));
      }
      return p;
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return o.numel() * (in / groups) * product(kernel);
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return bias ? o.numel() : 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Batch normalisation over channels; eps 1e-5 and running-stat momentum 0.1 (PyTorch's). */
  record BatchNorm(int channels, boolean affine) implements Layer {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    public String kind() {
      return "bn";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      if (x.channels() != channels) {
        throw new IllegalArgumentException("batch norm expects " + channels + " channels, got " + x);
      }
      return x;
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      List<ParamSpec> p = new ArrayList<>();
      if (affine) {
        p.add(new ParamSpec("weight", List.of(channels), ParamSpec.Role.ONES, 0));
        p.add(new ParamSpec("bias", List.of(channels), ParamSpec.Role.ZEROS, 0));
      }
      p.add(new ParamSpec("running_mean", List.of(channels), ParamSpec.Role.RUNNING_MEAN, 0));
      p.add(new ParamSpec("running_var", List.of(channels), ParamSpec.Role.RUNNING_VAR, 0));
      return p;
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 2 * o.numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Rectified linear unit. */
  record Relu() implements Layer {
    public String kind() {
      return "relu";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      return single(ins, this);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return o.numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Logistic sigmoid {@code 1 / (1 + e^-x)}, elementwise. */
  record Sigmoid() implements Layer {
    public String kind() {
      return "sigmoid";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      return single(ins, this);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return o.numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /**
   * Multiplies a feature map (first input) by a per-sample, per-channel vector (second input, e.g.
   * from {@link GlobalAvgPool} and {@link Linear}) broadcast over every spatial and temporal axis.
   */
  record ChannelMul() implements Layer {
    public String kind() {
      return "mul";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      return mapAndVector(ins, this);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return o.numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Adds a per-sample, per-channel vector (second input) to a feature map (first input), broadcast like {@link ChannelMul}. */
  record ChannelAdd() implements Layer {
    public String kind() {
      return "add";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      return mapAndVector(ins, this);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return o.numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Max or average pooling; average pooling never counts padding in the divisor. */
  record Pool(Kind type, List<Integer> kernel, List<Integer> stride, List<Integer> padding) implements Layer {
    /** Pooling reduction. */
    public enum Kind { MAX, AVG }

    public Pool {
      kernel = List.copyOf(kernel);
      stride = List.copyOf(stride);
      padding = List.copyOf(padding);
    }

    public String kind() {
      return type == Kind.MAX ? "maxpool" : "avgpool";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      if (x.rank() != kernel.size()) {
        throw new IllegalArgumentException("pool kernel " + kernel + " does not fit input " + x);
      }
      List<Integer> s = new ArrayList<>();
      for (int i = 0; i < kernel.size(); i++) {
        if (padding.get(i) * 2 > kernel.get(i)) {
          throw new IllegalArgumentException("pool padding " + padding + " exceeds half the kernel " + kernel);
        }
        s.add(windowOutput(x.spatial(i), kernel.get(i), stride.get(i), padding.get(i), 1, x));
      }
      return new FeatureShape(x.channels(), s);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return o.numel() * product(kernel);
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Mean over all spatial positions, giving a feature vector. */
  record GlobalAvgPool() implements Layer {
    public String kind() {
      return "gap";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      return new FeatureShape(x.channels(), List.of());
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return ins.get(0).numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Fully-connected layer on a feature vector. */
  record Linear(int in, int out, boolean bias) implements Layer {
    public String kind() {
      return "linear";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      if (x.rank() != 0 || x.channels() != in) {
        throw new IllegalArgumentException("linear expects a vector of " + in + ", got " + x);
      }
      return new FeatureShape(out, List.of());
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      List<ParamSpec> p = new ArrayList<>();
      p.add(new ParamSpec("weight", List.of(out, in), ParamSpec.Role.UNIFORM_FAN_IN, in));
      if (bias) {
        p.add(new ParamSpec("bias", List.of(out), ParamSpec.Role.UNIFORM_FAN_IN, in));
      }
      return p;
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return (long) in * out;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return bias ? out : 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Elementwise sum of two or more inputs of one shape. */
  record Sum() implements Layer {
    public String kind() {
      return "add";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      if (ins.isEmpty()) {
        throw new IllegalArgumentException("sum needs at least one input");
      }
      for (FeatureShape s : ins) {
        if (!s.equals(ins.get(0))) {
          throw new IllegalArgumentException("sum inputs differ in shape: " + ins);
        }
      }
      return ins.get(0);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return (ins.size() - 1) * o.numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Concatenation along channels. */
  record Concat() implements Layer {
    public String kind() {
      return "concat";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      if (ins.isEmpty()) {
        throw new IllegalArgumentException("concat needs at least one input");
      }
      int c = 0;
      for (FeatureShape s : ins) {
        if (!s.spatial().equals(ins.get(0).spatial())) {
          throw new IllegalArgumentException("concat inputs differ in spatial size: " + ins);
        }
        c += s.channels();
      }
      return ins.get(0).withChannels(c);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /**
   * The {@code none} operation: zeros at the (strided) output size. In supernets, and in a derived
   * NAS-Bench-201 cell as a node whose every edge is {@code none} (unit stride).
   */
  record Zero(List<Integer> stride) implements Layer {
    public Zero {
      stride = List.copyOf(stride);
    }

    public String kind() {
      return "zero";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      List<Integer> s = new ArrayList<>();
      for (int i = 0; i < x.rank(); i++) {
        s.add((x.spatial(i) + stride.get(i) - 1) / stride.get(i));
      }
      return new FeatureShape(x.channels(), s);
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /**
   * Moves the last {@code axes} spatial axes (H and W; T, H and W for a temporal reduction) by one
   * position ({@code x[..., 1:, 1:]}) and pads their far end with zeros, keeping the shape. Used
   * by FactorizedReduce; on even sizes it equals the DARTS slicing exactly, on odd sizes it keeps
   * both halves the same size.
   */
  record Shift(int axes) implements Layer {
    /** The DARTS shift: H and W. */
    public Shift() {
      this(2);
    }

    public String kind() {
      return "shift";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      if (axes < 1 || x.rank() < axes) {
        throw new IllegalArgumentException("shift of the last " + axes + " axes needs at least that many spatial axes,"
            + " got " + x);
      }
      return x;
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Per-channel input normalisation {@code (x - mean) / std}, carried into exported graphs. */
  record Normalize(List<Float> mean, List<Float> std) implements Layer {
    public Normalize {
      mean = List.copyOf(mean);
      std = List.copyOf(std);
      if (mean.size() != std.size()) {
        throw new IllegalArgumentException("normalisation mean and std differ in length");
      }
      for (float s : std) {
        if (!(s > 0)) {
          throw new IllegalArgumentException("normalisation std must be positive: " + std);
        }
      }
    }

    public String kind() {
      return "normalize";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      FeatureShape x = single(ins, this);
      if (x.channels() != mean.size()) {
        throw new IllegalArgumentException(
            "normalisation has " + mean.size() + " channels, input has " + x.channels());
      }
      return x;
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 2 * o.numel();
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /** Drops a whole path per sample while training (identity at inference; never exported). */
  record DropPath() implements Layer {
    public String kind() {
      return "droppath";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      return single(ins, this);
    }

    public boolean trainingOnly() {
      return true;
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  /**
   * Dropout of single elements with probability {@code rate} while training (the survivors scaled by
   * 1/(1 − rate)); identity at inference, so it is left out of exported and counted graphs. Used
   * before the classifier (PV-NAS' FC dropout 0.4).
   */
  record Dropout(double rate) implements Layer {
    public Dropout {
      if (!(rate >= 0 && rate < 1)) {
        throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
      }
    }

    public String kind() {
      return "dropout";
    }

    public FeatureShape output(List<FeatureShape> ins) {
      return single(ins, this);
    }

    public boolean trainingOnly() {
      return true;
    }

    public List<ParamSpec> params(List<FeatureShape> ins) {
      return List.of();
    }

    public long macs(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public long otherOps(List<FeatureShape> ins, FeatureShape o) {
      return 0;
    }

    public <R> R accept(Visitor<R> visitor) {
      return visitor.visit(this);
    }
  }

  private static FeatureShape single(List<FeatureShape> ins, Layer layer) {
    if (ins.size() != 1) {
      throw new IllegalArgumentException(layer.kind() + " takes one input, got " + ins.size());
    }
    return ins.get(0);
  }

  private static FeatureShape mapAndVector(List<FeatureShape> ins, Layer layer) {
    if (ins.size() != 2) {
      throw new IllegalArgumentException(layer.kind() + " takes a feature map and a channel vector, got "
          + ins.size() + " inputs");
    }
    FeatureShape x = ins.get(0);
    FeatureShape v = ins.get(1);
    if (x.rank() == 0 || v.rank() != 0 || v.channels() != x.channels()) {
      throw new IllegalArgumentException(layer.kind() + " needs a feature map and a vector of its "
          + x.channels() + " channels, got " + x + " and " + v);
    }
    return x;
  }

  private static int windowOutput(int size, int k, int s, int p, int d, FeatureShape x) {
    int o = Math.floorDiv(size + 2 * p - d * (k - 1) - 1, s) + 1;
    if (o <= 0) {
      throw new IllegalArgumentException(
          "window " + k + " (dilation " + d + ") does not fit input " + x + "; the input is too small");
    }
    return o;
  }

  private static long product(List<Integer> values) {
    long p = 1;
    for (int v : values) {
      p *= v;
    }
    return p;
  }

  /** {@code value} repeated {@code rank} times, for square/cubic kernels, strides and paddings. */
  static List<Integer> repeat(int value, int rank) {
    return Collections.nCopies(rank, value);
  }
}
