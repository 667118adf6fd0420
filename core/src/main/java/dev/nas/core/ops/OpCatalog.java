package dev.nas.core.ops;

import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table of candidate operations. The supernet, derived networks, the ONNX exporter and
 * the cost counter all obtain an operation's computation from here, so an edge of a derived
 * network computes exactly what the same edge computed in the supernet.
 *
 * <p>Every operation works on images (N×C×H×W) and on clips (N×C×T×H×W) unless it is marked
 * clip-only. The image operations keep their names on clips and become planar there: their
 * kernels, paddings and dilations are 1 on the time axis ({@code sep_conv_3x3} is a 1×3×3
 * separable convolution, {@code max_pool_3x3} a 1×3×3 pooling); only the stride, which comes
 * from {@link OpContext}, may also be 2 in time. NAS-Bench-201's {@code nor_conv_1x1} and
 * {@code nor_conv_3x3} are ReLU–conv–BN ({@link Blocks#reluConvBn}). Clip-only operations (names
 * give the kernel as T×H×W, or describe the factorisation):
 *
 * <ul>
 *   <li>{@code max_pool_3x3x3}: 3×3×3 max pooling;
 *   <li>{@code sep3d_conv_3x3x3}, {@code sep3d_conv_3x5x5}: separable-3d convolution (SDAS), two
 *       {@link Blocks#sep3dBlock}s with a 3×1×1 temporal and a 1×k×k spatial depthwise branch;
 *   <li>{@code dil_sep3d_conv_3x3x3}: one separable-3d block with dilation 2 on both branches (a
 *       single block, as DARTS' {@code dil_conv} is a single dilated block);
 *   <li>{@code chan_scale}, {@code chan_bias}: channel-wise scale / bias of the input
 *       ({@link Blocks#channelScale}, {@link Blocks#channelBias}); on a reduction edge they act on
 *       the input reduced as {@code skip_connect} reduces it (FactorizedReduce);
 *   <li>{@code conv_3+3x3}, {@code conv_3+1x1}: PV-NAS' ReLU–1×3×3 (or 1×1×1) conv–3×1×1 conv–BN
 *       ({@link Blocks#conv2Plus1d}); the spatial stride goes to the first convolution, the
 *       temporal stride to the second.
 * </ul>
 */
public final class OpCatalog {
  /** A catalog entry: how to build the operation and whether it needs a time axis. */
  private record Entry(OpFactory factory, boolean clipOnly) {}

  private static final Map<String, Entry> OPS = new LinkedHashMap<>();

  static {
    any("none", (b, n, x, c) -> b.add(n, new Layer.Zero(c.stride()), x));
    any("max_pool_3x3", (b, n, x, c) -> Blocks.pool(b, n, x, Layer.Pool.Kind.MAX, planar(3, c), c.stride()));
    any("avg_pool_3x3", (b, n, x, c) -> Blocks.pool(b, n, x, Layer.Pool.Kind.AVG, planar(3, c), c.stride()));
    any("skip_connect", OpCatalog::skip);
    any("sep_conv_3x3", (b, n, x, c) -> Blocks.sepConv(b, n, x, c.channels(), c.channels(), planar(3, c), c.stride(), c.affine()));
    any("sep_conv_5x5", (b, n, x, c) -> Blocks.sepConv(b, n, x, c.channels(), c.channels(), planar(5, c), c.stride(), c.affine()));
    any("dil_conv_3x3", (b, n, x, c) -> Blocks.dilConv(b, n, x, c.channels(), c.channels(), planar(3, c), c.stride(), planar(2, c), c.affine()));
    any("dil_conv_5x5", (b, n, x, c) -> Blocks.dilConv(b, n, x, c.channels(), c.channels(), planar(5, c), c.stride(), planar(2, c), c.affine()));
    any("nor_conv_1x1", (b, n, x, c) -> norConv(b, n, x, 1, c));
    any("nor_conv_3x3", (b, n, x, c) -> norConv(b, n, x, 3, c));

    clip("max_pool_3x3x3", (b, n, x, c) -> Blocks.pool(b, n, x, Layer.Pool.Kind.MAX, List.of(3, 3, 3), c.stride()));
    clip("sep3d_conv_3x3x3", (b, n, x, c) -> Blocks.sep3dConv(b, n, x, c.channels(), c.channels(), 3, 3, c.stride(), c.affine()));
    clip("sep3d_conv_3x5x5", (b, n, x, c) -> Blocks.sep3dConv(b, n, x, c.channels(), c.channels(), 3, 5, c.stride(), c.affine()));
    clip("dil_sep3d_conv_3x3x3", (b, n, x, c) -> Blocks.sep3dBlock(b, n, x, c.channels(), c.channels(), 3, 3, c.stride(), 2, c.affine()));
    clip("chan_scale", (b, n, x, c) -> Blocks.channelScale(b, n, skip(b, n + ".reduce", x, c), c.channels()));
    clip("chan_bias", (b, n, x, c) -> Blocks.channelBias(b, n, skip(b, n + ".reduce", x, c), c.channels()));
    clip("conv_3+3x3", (b, n, x, c) -> Blocks.conv2Plus1d(b, n, x, c.channels(), c.channels(), 3, 3, c.stride(), c.affine()));
    clip("conv_3+1x1", (b, n, x, c) -> Blocks.conv2Plus1d(b, n, x, c.channels(), c.channels(), 1, 3, c.stride(), c.affine()));
  }

  private OpCatalog() {}

  private static void any(String name, OpFactory f) {
    OPS.put(name, new Entry(f, false));
  }

  private static void clip(String name, OpFactory f) {
    OPS.put(name, new Entry(f, true));
  }

  /** NAS-Bench-201's ReLU–k×k conv (no bias, "same" padding)–BN, {@code nor_conv_kxk}. */
  private static int norConv(GraphBuilder b, String n, int x, int k, OpContext c) {
    List<Integer> kernel = planar(k, c);
    return Blocks.reluConvBn(b, n, x, c.channels(), c.channels(), kernel, c.stride(),
        kernel.stream().map(v -> v / 2).toList(), c.affine());
  }

  /** Identity, or FactorizedReduce on a reduction edge. */
  private static int skip(GraphBuilder b, String n, int x, OpContext c) {
    return c.reduces() ? Blocks.factorizedReduce(b, n, x, c.channels(), c.channels(), c.stride(), c.affine()) : x;
  }

  /** {@code k} on the last two (H, W) axes, 1 on any axis before them (time). */
  private static List<Integer> planar(int k, OpContext c) {
    List<Integer> v = new ArrayList<>(Collections.nCopies(Math.max(0, c.rank() - 2), 1));
    v.addAll(Collections.nCopies(Math.min(2, c.rank()), k));
    return v;
  }

  /** Names of every known operation. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(OPS.keySet());
  }

  public static boolean contains(String op) {
    return OPS.containsKey(op);
  }

  /** Whether {@code op} (a known operation) needs clip input N×C×T×H×W. */
  public static boolean clipOnly(String op) {
    Entry e = OPS.get(op);
    if (e == null) {
      throw new IllegalArgumentException("unknown operation '" + op + "' (known: " + OPS.keySet() + ")");
    }
    return e.clipOnly();
  }

  /**
   * Adds operation {@code op} applied to node {@code input}; returns the output node (the input
   * itself for an identity). Node names start with {@code name}.
   */
  public static int build(GraphBuilder b, String op, String name, int input, OpContext ctx) {
    Entry e = OPS.get(op);
    if (e == null) {
      throw new IllegalArgumentException("unknown operation '" + op + "' (known: " + OPS.keySet() + ")");
    }
    if (e.clipOnly() && ctx.rank() != 3) {
      throw new IllegalArgumentException("operation " + op + " needs clip input N×C×T×H×W; " + name + " has "
          + ctx.rank() + " spatial axes");
    }
    return e.factory().build(b, name, input, ctx);
  }
}
