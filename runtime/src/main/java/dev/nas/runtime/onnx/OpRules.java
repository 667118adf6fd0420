package dev.nas.runtime.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Shape inference and cost of the ONNX operators nas can count, each rule following the
 * operator's definition in the ONNX specification (any opset version a CNN exporter uses).
 * MACs come only from Conv, Gemm and MatMul; everything else is "other ops", the convention of
 * {@link dev.nas.core.cost.CostReport#CONVENTION}.
 */
final class OpRules {
  private static final Map<String, Function<NodeContext, OpResult>> RULES = new TreeMap<>();

  static {
    RULES.put("Conv", OpRules::conv);
    RULES.put("Gemm", OpRules::gemm);
    RULES.put("MatMul", OpRules::matMul);
    RULES.put("BatchNormalization", OpRules::batchNorm);
    RULES.put("MaxPool", ctx -> pool(ctx, "maxpool"));
    RULES.put("AveragePool", ctx -> pool(ctx, "avgpool"));
    RULES.put("GlobalAveragePool", ctx -> globalPool(ctx, "gap"));
    RULES.put("GlobalMaxPool", ctx -> globalPool(ctx, "globalmaxpool"));
    RULES.put("Flatten", OpRules::flatten);
    RULES.put("Concat", OpRules::concat);
    RULES.put("Slice", OpRules::slice);
    RULES.put("Pad", OpRules::pad);
    RULES.put("Reshape", OpRules::reshape);
    RULES.put("Transpose", OpRules::transpose);
    RULES.put("Squeeze", OpRules::squeeze);
    RULES.put("Unsqueeze", OpRules::unsqueeze);
    for (String reduce : List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin")) {
      RULES.put(reduce, OpRules::reduce);
    }
    for (String op : List.of("Relu", "Sigmoid", "Tanh", "Clip", "LeakyRelu", "PRelu", "Elu", "Selu", "HardSigmoid",
        "HardSwish", "Softplus", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal", "Softmax",
        "LogSoftmax")) {
      RULES.put(op, ctx -> elementwise(ctx, ctx.shape(0)));
    }
    for (String op : List.of("Identity", "Dropout", "Cast")) {
      // Pure data movement at inference; Dropout's optional mask has the input's shape too.
      RULES.put(op, ctx -> new OpResult(kind(ctx), List.of(ctx.shape(0), ctx.shape(0)), 0, 0, List.of()));
    }
    for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean")) {
      RULES.put(op, OpRules::broadcasting);
    }
  }

  private OpRules() {}

  /** The rule for an operator of the default domain, or null. */
  static Function<NodeContext, OpResult> rule(String op) {
    return RULES.get(op);
  }

  static String supported() {
    return String.join(", ", RULES.keySet()) + ", Constant";
  }

  private static String kind(NodeContext ctx) {
    return switch (ctx.op()) {
      case "Add", "Sum" -> "add";
      default -> ctx.op().toLowerCase(Locale.ROOT);
    };
  }

  private static OpResult conv(NodeContext ctx) {
    long[] x = ctx.shape(0);
    long[] w = ctx.shape(1);
    int spatial = x.length - 2;
    if (spatial < 1 || w.length != x.length) {
      throw ctx.error("input " + Arrays.toString(x) + " and weight " + Arrays.toString(w) + " do not fit");
    }
    long group = ctx.intAttr("group", 1);
    if (x[1] != w[1] * group) {
      throw ctx.error("input has " + x[1] + " channels but the weight " + Arrays.toString(w) + " with group "
          + group + " expects " + w[1] * group);
    }
    long[] kernel = ctx.intsAttr("kernel_shape", Arrays.copyOfRange(w, 2, w.length));
    long[] out = new long[x.length];
    out[0] = x[0];
    out[1] = w[0];
    Window window = Window.of(ctx, spatial, kernel);
    for (int i = 0; i < spatial; i++) {
      out[i + 2] = window.output(i, x[i + 2], false);
    }
    long macs = Shapes.numel(out) * w[1] * Shapes.product(kernel, 0, kernel.length);
    long bias = ctx.has(2) ? Shapes.numel(out) : 0;
    String kind = group == 1 ? "conv" : group == x[1] && group == w[0] ? "dwconv" : "gconv";
    return new OpResult(kind, List.of(out), macs, bias, List.of(1, 2));
  }

  private static OpResult pool(NodeContext ctx, String kind) {
    long[] x = ctx.shape(0);
    int spatial = x.length - 2;
    long[] kernel = ctx.intsAttr("kernel_shape", null);
    if (kernel == null || kernel.length != spatial) {
      throw ctx.error("kernel_shape " + Arrays.toString(kernel) + " does not fit input " + Arrays.toString(x));
    }
    boolean ceil = ctx.intAttr("ceil_mode", 0) != 0;
    Window window = Window.of(ctx, spatial, kernel);
    long[] out = x.clone();
    for (int i = 0; i < spatial; i++) {
      out[i + 2] = window.output(i, x[i + 2], ceil);
    }
    return new OpResult(kind, List.of(out, out), 0, Shapes.numel(out) * Shapes.product(kernel, 0, spatial), List.of());
  }

  private static OpResult globalPool(NodeContext ctx, String kind) {
    long[] x = ctx.shape(0);
    long[] out = x.clone();
    Arrays.fill(out, 2, out.length, 1);
    return OpResult.plain(kind, out, Shapes.numel(x));
  }

  private static OpResult gemm(NodeContext ctx) {
    long[] a = ctx.shape(0);
    long[] b = ctx.shape(1);
    if (a.length != 2 || b.length != 2) {
      throw ctx.error("takes 2-D inputs, got " + ctx.describeInputs());
    }
    boolean ta = ctx.intAttr("transA", 0) != 0;
    boolean tb = ctx.intAttr("transB", 0) != 0;
    long m = ta ? a[1] : a[0];
    long k = ta ? a[0] : a[1];
    long kb = tb ? b[1] : b[0];
    long n = tb ? b[0] : b[1];
    if (k != kb) {
      throw ctx.error("inner dimensions differ: " + ctx.describeInputs() + " (transA=" + ta + ", transB=" + tb + ")");
    }
    long bias = ctx.has(2) ? m * n : 0;
    return new OpResult("linear", List.of(new long[] {m, n}), m * k * n, bias, List.of(1, 2));
  }

  private static OpResult matMul(NodeContext ctx) {
    long[] a = ctx.shape(0);
    long[] b = ctx.shape(1);
    if (a.length == 0 || b.length == 0) {
      throw ctx.error("takes inputs of rank 1 or more, got " + ctx.describeInputs());
    }
    long[] a2 = a.length == 1 ? new long[] {1, a[0]} : a;
    long[] b2 = b.length == 1 ? new long[] {b[0], 1} : b;
    long k = a2[a2.length - 1];
    if (k != b2[b2.length - 2]) {
      throw ctx.error("inner dimensions differ: " + ctx.describeInputs());
    }
    long[] batch = Shapes.broadcast(new long[][] {Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2)},
        ctx);
    List<Long> out = new ArrayList<>();
    for (long d : batch) {
      out.add(d);
    }
    if (a.length > 1) {
      out.add(a2[a2.length - 2]);
    }
    if (b.length > 1) {
      out.add(b2[b2.length - 1]);
    }
    long[] shape = out.stream().mapToLong(Long::longValue).toArray();
    return new OpResult("matmul", List.of(shape), Shapes.numel(shape) * k, 0, List.of(0, 1));
  }

  private static OpResult batchNorm(NodeContext ctx) {
    long[] x = ctx.shape(0);
    for (int i = 1; i <= 4; i++) {
      long[] p = ctx.shape(i);
      if (x.length < 2 || p.length != 1 || p[0] != x[1]) {
        throw ctx.error("operand " + i + " " + Arrays.toString(p) + " does not match the channels of "
            + Arrays.toString(x));
      }
    }
    return new OpResult("bn", List.of(x), 0, 2 * Shapes.numel(x), List.of(1, 2));
  }

  private static OpResult elementwise(NodeContext ctx, long[] shape) {
    return OpResult.plain(kind(ctx), shape, Shapes.numel(shape));
  }

  private static OpResult broadcasting(NodeContext ctx) {
    long[][] in = new long[ctx.inputCount()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = ctx.shape(i);
    }
    long[] out = Shapes.broadcast(in, ctx);
    return OpResult.plain(kind(ctx), out, (in.length - 1) * Shapes.numel(out));
  }

  private static OpResult flatten(NodeContext ctx) {
    long[] x = ctx.shape(0);
    int axis = Shapes.axis(ctx.intAttr("axis", 1), x.length, true, ctx);
    return OpResult.plain("flatten", new long[] {Shapes.product(x, 0, axis), Shapes.product(x, axis, x.length)}, 0);
  }

  private static OpResult concat(NodeContext ctx) {
    if (!ctx.hasAttr("axis")) {
      throw ctx.error("has no axis attribute");
    }
    long[] first = ctx.shape(0);
    int axis = Shapes.axis(ctx.intAttr("axis", 0), first.length, false, ctx);
    long[] out = first.clone();
    for (int i = 1; i < ctx.inputCount(); i++) {
      long[] s = ctx.shape(i);
      boolean fits = s.length == first.length;
      for (int d = 0; fits && d < s.length; d++) {
        fits = d == axis || s[d] == first[d];
      }
      if (!fits) {
        throw ctx.error("inputs differ off the concatenation axis " + axis + ": " + ctx.describeInputs());
      }
      out[axis] += s[axis];
    }
    return OpResult.plain("concat", out, 0);
  }

  private static OpResult slice(NodeContext ctx) {
    long[] x = ctx.shape(0);
    // Before opset 10 the bounds were attributes; since then they are (constant) inputs.
    boolean attrs = ctx.hasAttr("starts");
    long[] starts = attrs ? ctx.intsAttr("starts", null) : ctx.constantInts(1);
    long[] ends = attrs ? ctx.intsAttr("ends", null) : ctx.constantInts(2);
    long[] axes = attrs ? ctx.intsAttr("axes", null) : ctx.has(3) ? ctx.constantInts(3) : null;
    long[] steps = !attrs && ctx.has(4) ? ctx.constantInts(4) : null;
    if (ends == null || starts.length != ends.length) {
      throw ctx.error("starts and ends differ in length");
    }
    long[] out = x.clone();
    for (int i = 0; i < starts.length; i++) {
      int axis = Shapes.axis(axes == null ? i : axes[i], x.length, false, ctx);
      long step = steps == null ? 1 : steps[i];
      if (step == 0) {
        throw ctx.error("slice step is 0");
      }
      long d = x[axis];
      long s = starts[i] < 0 ? starts[i] + d : starts[i];
      long e = ends[i] < 0 ? ends[i] + d : ends[i];
      if (step > 0) {
        s = Math.max(0, Math.min(s, d));
        e = Math.max(0, Math.min(e, d));
        out[axis] = Math.max(0, Math.floorDiv(e - s + step - 1, step));
      } else {
        s = Math.max(-1, Math.min(s, d - 1));
        e = Math.max(-1, Math.min(e, d - 1));
        out[axis] = Math.max(0, Math.floorDiv(s - e - step - 1, -step));
      }
    }
    return OpResult.plain("slice", out, 0);
  }

  private static OpResult pad(NodeContext ctx) {
    long[] x = ctx.shape(0);
    long[] pads = ctx.hasAttr("pads") ? ctx.intsAttr("pads", null) : ctx.constantInts(1);
    long[] axes = ctx.has(3) ? ctx.constantInts(3) : null;
    int n = axes == null ? x.length : axes.length;
    if (pads.length != 2 * n) {
      throw ctx.error("pads " + Arrays.toString(pads) + " do not fit " + n + " axes");
    }
    long[] out = x.clone();
    for (int i = 0; i < n; i++) {
      int axis = axes == null ? i : Shapes.axis(axes[i], x.length, false, ctx);
      out[axis] += pads[i] + pads[i + n];
      if (out[axis] < 0) {
        throw ctx.error("pads " + Arrays.toString(pads) + " remove more than axis " + axis + " holds");
      }
    }
    return OpResult.plain("pad", out, 0);
  }

  private static OpResult reshape(NodeContext ctx) {
    long[] x = ctx.shape(0);
    long[] target = ctx.hasAttr("shape") ? ctx.intsAttr("shape", null) : ctx.constantInts(1);
    boolean allowZero = ctx.intAttr("allowzero", 0) != 0;
    long[] out = target.clone();
    int inferred = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && !allowZero) {
        if (i >= x.length) {
          throw ctx.error("shape " + Arrays.toString(target) + " copies axis " + i + " the input lacks");
        }
        out[i] = x[i];
      }
      if (out[i] == -1) {
        if (inferred >= 0) {
          throw ctx.error("shape " + Arrays.toString(target) + " has two -1 entries");
        }
        inferred = i;
      } else {
        known *= out[i];
      }
    }
    long total = Shapes.numel(x);
    if (inferred >= 0) {
      if (known == 0 || total % known != 0) {
        throw ctx.error("cannot reshape " + Arrays.toString(x) + " to " + Arrays.toString(target));
      }
      out[inferred] = total / known;
    } else if (known != total) {
      throw ctx.error("cannot reshape " + Arrays.toString(x) + " to " + Arrays.toString(target));
    }
    return OpResult.plain("reshape", out, 0);
  }

  private static OpResult transpose(NodeContext ctx) {
    long[] x = ctx.shape(0);
    long[] reversed = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      reversed[i] = x.length - 1 - i;
    }
    long[] perm = ctx.intsAttr("perm", reversed);
    if (perm.length != x.length) {
      throw ctx.error("perm " + Arrays.toString(perm) + " does not fit rank " + x.length);
    }
    long[] out = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[Shapes.axis(perm[i], x.length, false, ctx)];
    }
    return OpResult.plain("transpose", out, 0);
  }

  private static OpResult squeeze(NodeContext ctx) {
    long[] x = ctx.shape(0);
    long[] axes = axesOf(ctx);
    boolean[] drop = new boolean[x.length];
    if (axes == null) {
      for (int i = 0; i < x.length; i++) {
        drop[i] = x[i] == 1;
      }
    } else {
      for (long a : axes) {
        int axis = Shapes.axis(a, x.length, false, ctx);
        if (x[axis] != 1) {
          throw ctx.error("cannot squeeze axis " + axis + " of " + Arrays.toString(x));
        }
        drop[axis] = true;
      }
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (!drop[i]) {
        out.add(x[i]);
      }
    }
    return OpResult.plain("squeeze", out.stream().mapToLong(Long::longValue).toArray(), 0);
  }

  private static OpResult unsqueeze(NodeContext ctx) {
    long[] x = ctx.shape(0);
    long[] axes = axesOf(ctx);
    if (axes == null) {
      throw ctx.error("has no axes");
    }
    int rank = x.length + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long a : axes) {
      inserted[Shapes.axis(a, rank, false, ctx)] = true;
    }
    long[] out = new long[rank];
    int from = 0;
    for (int i = 0; i < rank; i++) {
      out[i] = inserted[i] ? 1 : x[from++];
    }
    return OpResult.plain("unsqueeze", out, 0);
  }

  private static OpResult reduce(NodeContext ctx) {
    long[] x = ctx.shape(0);
    long[] axes = axesOf(ctx);
    boolean keep = ctx.intAttr("keepdims", 1) != 0;
    boolean[] reduced = new boolean[x.length];
    if (axes == null || axes.length == 0) {
      boolean noop = ctx.intAttr("noop_with_empty_axes", 0) != 0;
      Arrays.fill(reduced, !noop);
    } else {
      for (long a : axes) {
        reduced[Shapes.axis(a, x.length, false, ctx)] = true;
      }
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (!reduced[i]) {
        out.add(x[i]);
      } else if (keep) {
        out.add(1L);
      }
    }
    return OpResult.plain(kind(ctx), out.stream().mapToLong(Long::longValue).toArray(), Shapes.numel(x));
  }

  /** Axes given as an attribute (older opsets) or as the optional second input (newer ones). */
  private static long[] axesOf(NodeContext ctx) {
    if (ctx.hasAttr("axes")) {
      return ctx.intsAttr("axes", null);
    }
    return ctx.has(1) ? ctx.constantInts(1) : null;
  }

  /** Kernel, strides, dilations and padding of a sliding-window operator. */
  private record Window(NodeContext ctx, long[] kernel, long[] strides, long[] dilations, long[] pads, String autoPad) {
    static Window of(NodeContext ctx, int spatial, long[] kernel) {
      long[] ones = new long[spatial];
      Arrays.fill(ones, 1);
      long[] strides = ctx.intsAttr("strides", ones);
      long[] dilations = ctx.intsAttr("dilations", ones);
      long[] pads = ctx.intsAttr("pads", new long[2 * spatial]);
      if (kernel.length != spatial || strides.length != spatial || dilations.length != spatial
          || pads.length != 2 * spatial) {
        throw ctx.error("kernel_shape, strides, dilations or pads do not fit " + spatial + " spatial axes");
      }
      return new Window(ctx, kernel, strides, dilations, pads, ctx.stringAttr("auto_pad", "NOTSET"));
    }

    /** Output size along spatial axis {@code i} for input size {@code in}. */
    long output(int i, long in, boolean ceil) {
      long s = strides[i];
      long span = dilations[i] * (kernel[i] - 1) + 1;
      long out;
      switch (autoPad) {
        case "SAME_UPPER", "SAME_LOWER" -> out = (in + s - 1) / s;
        case "VALID" -> out = (in - span) / s + 1;
        case "NOTSET" -> {
          long padded = in + pads[i] + pads[i + kernel.length] - span;
          out = (ceil ? Math.floorDiv(padded + s - 1, s) : Math.floorDiv(padded, s)) + 1;
          // With ceil_mode the last window must still start inside the input or its leading padding.
          if (ceil && (out - 1) * s >= in + pads[i]) {
            out--;
          }
        }
        default -> throw ctx.error("auto_pad '" + autoPad + "' is not an ONNX value");
      }
      if (out <= 0) {
        throw ctx.error("window " + kernel[i] + " does not fit spatial size " + in);
      }
      return out;
    }
  }
}
