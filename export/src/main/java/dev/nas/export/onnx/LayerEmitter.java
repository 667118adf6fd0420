package dev.nas.export.onnx;

import static dev.nas.export.onnx.GraphWriter.attr;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;
import dev.nas.core.graph.ParamSpec;
import dev.nas.core.io.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX (opset 17) meaning of every primitive {@link Layer}; the only place that maps layers
 * to operators, so parity checks against other executors have one file to read.
 *
 * <table>
 * <caption>Layer to ONNX mapping</caption>
 * <tr><th>layer</th><th>ONNX</th></tr>
 * <tr><td>Normalize</td><td>Sub(x, mean) then Div(·, std); mean and std are [1,C,1,1] initializers</td></tr>
 * <tr><td>Conv</td><td>Conv(X, W[, B]) with kernel_shape, strides, pads (begin = end), dilations, group</td></tr>
 * <tr><td>BatchNorm</td><td>BatchNormalization (inference form, running statistics, epsilon 1e-5); without
 *     affine parameters scale 1 and bias 0 come from Constant nodes, as they are not weights</td></tr>
 * <tr><td>Relu</td><td>Relu</td></tr>
 * <tr><td>Sigmoid</td><td>Sigmoid</td></tr>
 * <tr><td>ChannelMul / ChannelAdd</td><td>Unsqueeze of the [N,C] vector to [N,C,1,...] (axes an int64
 *     initializer) then Mul / Add with the feature map (broadcasting)</td></tr>
 * <tr><td>Pool</td><td>MaxPool / AveragePool(count_include_pad = 0)</td></tr>
 * <tr><td>GlobalAvgPool</td><td>GlobalAveragePool then Flatten(axis = 1)</td></tr>
 * <tr><td>Linear</td><td>Gemm(x, W[, b], transB = 1)</td></tr>
 * <tr><td>Sum</td><td>Sum</td></tr>
 * <tr><td>Concat</td><td>Concat(axis = 1)</td></tr>
 * <tr><td>Shift</td><td>Slice (from 1 on the shifted last axes) then Pad (one zero at their far end)</td></tr>
 * <tr><td>DropPath</td><td>nothing: identity at inference</td></tr>
 * <tr><td>Dropout</td><td>nothing: identity at inference</td></tr>
 * <tr><td>Input</td><td>nothing: the exporter declares the graph input</td></tr>
 * <tr><td>Zero</td><td>unit stride (a node of a NAS-Bench-201 cell whose every edge is {@code none}):
 *     Mul with a Constant scalar 0; strided: rejected, only supernets have it</td></tr>
 * </table>
 */
final class LayerEmitter {
  private final GraphWriter out;
  private final Weights weights;

  LayerEmitter(GraphWriter out, Weights weights) {
    this.out = out;
    this.weights = weights;
  }

  /**
   * Emits {@code node}, which reads the values {@code inputs} of shapes {@code in}. Returns the
   * value holding its result: {@code output}, or an input's value when the layer is elided.
   */
  String emit(Node node, List<FeatureShape> in, List<String> inputs, String output) {
    return node.layer().accept(new Emission(node, in, inputs, output));
  }

  /** The nodes of one graph node's layer; each method returns the value holding its result. */
  private final class Emission implements Layer.Visitor<String> {
    private final Node node;
    private final List<FeatureShape> in;
    private final List<String> inputs;
    private final String output;

    Emission(Node node, List<FeatureShape> in, List<String> inputs, String output) {
      this.node = node;
      this.in = in;
      this.inputs = inputs;
      this.output = output;
    }

    @Override
    public String visit(Layer.Input l) {
      // the exporter declares the graph input itself and never emits the input node
      throw new IllegalArgumentException("node '" + node.name() + "': layer " + l.kind() + " has no ONNX mapping");
    }

    @Override
    public String visit(Layer.Normalize l) {
      return normalize(node, l, inputs.get(0), output);
    }

    @Override
    public String visit(Layer.Conv l) {
      return conv(node, l, in, inputs.get(0), output);
    }

    @Override
    public String visit(Layer.BatchNorm l) {
      return batchNorm(node, l, in, inputs.get(0), output);
    }

    @Override
    public String visit(Layer.Relu l) {
      return out.node("Relu", node.name(), inputs, output);
    }

    @Override
    public String visit(Layer.Sigmoid l) {
      return out.node("Sigmoid", node.name(), inputs, output);
    }

    @Override
    public String visit(Layer.ChannelMul l) {
      return perChannel("Mul", node, in.get(0), inputs, output);
    }

    @Override
    public String visit(Layer.ChannelAdd l) {
      return perChannel("Add", node, in.get(0), inputs, output);
    }

    @Override
    public String visit(Layer.Pool l) {
      return pool(node, l, inputs.get(0), output);
    }

    @Override
    public String visit(Layer.GlobalAvgPool l) {
      String pooled = out.node("GlobalAveragePool", node.name() + ".pool", inputs, node.name() + ".pooled");
      return out.node("Flatten", node.name(), List.of(pooled), output, attr("axis", 1L));
    }

    @Override
    public String visit(Layer.Linear l) {
      return linear(node, l, in, inputs.get(0), output);
    }

    @Override
    public String visit(Layer.Sum l) {
      return out.node("Sum", node.name(), inputs, output);
    }

    @Override
    public String visit(Layer.Concat l) {
      return out.node("Concat", node.name(), inputs, output, attr("axis", 1L));
    }

    @Override
    public String visit(Layer.Shift l) {
      return shift(node, l, in.get(0), inputs.get(0), output);
    }

    @Override
    public String visit(Layer.DropPath l) {
      return inputs.get(0);
    }

    @Override
    public String visit(Layer.Dropout l) {
      return inputs.get(0);
    }

    @Override
    public String visit(Layer.Zero l) {
      if (l.stride().stream().allMatch(st -> st == 1)) {
        String zero = out.constant(node.name() + ".zero", new Tensor(List.of(), new float[] {0f}));
        return out.node("Mul", node.name(), List.of(inputs.get(0), zero), output);
      }
      throw new IllegalArgumentException("node '" + node.name() + "' is a Zero layer (the 'none' operation): "
          + "supernets are not exportable; derive a static network from the genotype first");
    }
  }

  private String normalize(Node node, Layer.Normalize l, String x, String output) {
    int c = l.mean().size();
    List<Integer> shape = channelShape(c, node.shape().rank());
    String mean = out.initializer(node.name() + ".mean", new Tensor(shape, toArray(l.mean())));
    String std = out.initializer(node.name() + ".std", new Tensor(shape, toArray(l.std())));
    String centred = out.node("Sub", node.name() + ".sub", List.of(x, mean), node.name() + ".centred");
    return out.node("Div", node.name() + ".div", List.of(centred, std), output);
  }

  private String conv(Node node, Layer.Conv l, List<FeatureShape> in, String x, String output) {
    List<String> inputs = new ArrayList<>(List.of(x));
    for (ParamSpec spec : l.params(in)) {
      inputs.add(out.initializer(node.paramName(spec), weights.require(node, spec)));
    }
    return out.node("Conv", node.name(), inputs, output,
        attr("kernel_shape", l.kernel()),
        attr("strides", l.stride()),
        attr("pads", symmetric(l.padding())),
        attr("dilations", l.dilation()),
        attr("group", (long) l.groups()));
  }

  private String batchNorm(Node node, Layer.BatchNorm l, List<FeatureShape> in, String x, String output) {
    Map<String, String> operands = new LinkedHashMap<>();
    for (ParamSpec spec : l.params(in)) {
      operands.put(spec.name(), out.initializer(node.paramName(spec), weights.require(node, spec)));
    }
    if (!l.affine()) {
      float[] ones = new float[l.channels()];
      Arrays.fill(ones, 1f);
      operands.put("weight", out.constant(node.name() + ".unit_scale", new Tensor(List.of(l.channels()), ones)));
      operands.put("bias", out.constant(node.name() + ".zero_shift",
          new Tensor(List.of(l.channels()), new float[l.channels()])));
    }
    List<String> inputs = List.of(x, operands.get("weight"), operands.get("bias"), operands.get("running_mean"),
        operands.get("running_var"));
    return out.node("BatchNormalization", node.name(), inputs, output, attr("epsilon", (float) Layer.BatchNorm.EPS));
  }

  private String pool(Node node, Layer.Pool l, String x, String output) {
    if (l.type() == Layer.Pool.Kind.MAX) {
      return out.node("MaxPool", node.name(), List.of(x), output,
          attr("kernel_shape", l.kernel()), attr("strides", l.stride()), attr("pads", symmetric(l.padding())));
    }
    return out.node("AveragePool", node.name(), List.of(x), output,
        attr("kernel_shape", l.kernel()), attr("strides", l.stride()), attr("pads", symmetric(l.padding())),
        attr("count_include_pad", 0L));
  }

  private String linear(Node node, Layer.Linear l, List<FeatureShape> in, String x, String output) {
    List<String> inputs = new ArrayList<>(List.of(x));
    for (ParamSpec spec : l.params(in)) {
      inputs.add(out.initializer(node.paramName(spec), weights.require(node, spec)));
    }
    return out.node("Gemm", node.name(), inputs, output, attr("transB", 1L));
  }

  /** {@code op(map, unsqueeze(vector))}: the per-sample channel vector broadcast over the map's spatial axes. */
  private String perChannel(String op, Node node, FeatureShape map, List<String> inputs, String output) {
    long[] axes = new long[map.rank()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 2;
    }
    String axesName = out.int64Initializer(node.name() + ".axes", axes);
    String expanded = out.node("Unsqueeze", node.name() + ".unsqueeze", List.of(inputs.get(1), axesName),
        node.name() + ".expanded");
    return out.node(op, node.name(), List.of(inputs.get(0), expanded), output);
  }

  /** {@code x[..., 1:, 1:]} then one zero at the far end of H and W: same shape, moved by a pixel. */
  private String shift(Node node, Layer.Shift l, FeatureShape shape, String x, String output) {
    int rank = shape.rank() + 2;
    int n = l.axes();
    long[] starts = new long[n];
    long[] ends = new long[n];
    long[] axes = new long[n];
    long[] pads = new long[2 * rank];
    for (int i = 0; i < n; i++) {
      int spatial = shape.rank() - n + i;
      starts[i] = 1;
      ends[i] = shape.spatial(spatial);
      axes[i] = spatial + 2;
      pads[rank + spatial + 2] = 1;
    }
    String s = out.int64Initializer(node.name() + ".starts", starts);
    String e = out.int64Initializer(node.name() + ".ends", ends);
    String a = out.int64Initializer(node.name() + ".axes", axes);
    String sliced = out.node("Slice", node.name() + ".slice", List.of(x, s, e, a), node.name() + ".sliced");
    String padding = out.int64Initializer(node.name() + ".pads", pads);
    return out.node("Pad", node.name() + ".pad", List.of(sliced, padding), output);
  }

  /** ONNX pads list every axis' begin, then every axis' end; our layers pad both ends alike. */
  private static List<Integer> symmetric(List<Integer> padding) {
    List<Integer> pads = new ArrayList<>(padding);
    pads.addAll(padding);
    return pads;
  }

  /** {@code [1, C, 1, ...]}: broadcasts per channel over batch and spatial axes. */
  private static List<Integer> channelShape(int channels, int spatialRank) {
    List<Integer> shape = new ArrayList<>(List.of(1, channels));
    shape.addAll(Collections.nCopies(spatialRank, 1));
    return shape;
  }

  private static float[] toArray(List<Float> values) {
    float[] a = new float[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }
}
