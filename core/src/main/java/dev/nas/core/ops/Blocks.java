package dev.nas.core.ops;

import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The composite building blocks the operations, cell preprocessing and stems are made of. */
public final class Blocks {
  private Blocks() {}

  static List<Integer> repeat(int value, int rank) {
    return Collections.nCopies(rank, value);
  }

  /** A convolution without bias. */
  public static Layer.Conv conv(int in, int out, List<Integer> kernel, List<Integer> stride,
      List<Integer> padding, List<Integer> dilation, int groups) {
    return new Layer.Conv(in, out, kernel, stride, padding, dilation, groups, false);
  }

  /** ReLU → conv (no bias) → BN. DARTS' {@code ReLUConvBN}, the cell input preprocessing. */
  public static int reluConvBn(GraphBuilder b, String name, int x, int in, int out,
      List<Integer> kernel, List<Integer> stride, List<Integer> padding, boolean affine) {
    int rank = kernel.size();
    int r = b.add(name + ".relu", new Layer.Relu(), x);
    int c = b.add(name + ".conv", conv(in, out, kernel, stride, padding, repeat(1, rank), 1), r);
    return b.add(name + ".bn", new Layer.BatchNorm(out, affine), c);
  }

  /**
   * FactorizedReduce: ReLU, then two 1×1 stride-{@code stride} convolutions each giving half the
   * output channels, the second one on the input moved by one position along every strided axis
   * (H and W; T too for a temporal stride), concatenated and batch-normalised. Reduces the
   * resolution without discarding every other position: with stride (2,2,2) the two halves see
   * the even and the odd frames. The strided axes must be the trailing ones: (2,2), (1,2,2), (2,2,2).
   */
  public static int factorizedReduce(GraphBuilder b, String name, int x, int in, int out,
      List<Integer> stride, boolean affine) {
    if (out % 2 != 0) {
      throw new IllegalArgumentException(name + ": FactorizedReduce needs an even channel count, got " + out);
    }
    int rank = stride.size();
    int strided = 0;
    while (strided < rank && stride.get(rank - 1 - strided) > 1) {
      strided++;
    }
    for (int i = 0; i < rank - strided; i++) {
      if (stride.get(i) != 1) {
        strided = -1;
        break;
      }
    }
    if (strided <= 0) {
      throw new IllegalArgumentException(name + ": FactorizedReduce needs a stride > 1 on the trailing axes only "
          + "(e.g. [2, 2], [1, 2, 2], [2, 2, 2]), got " + stride);
    }
    List<Integer> one = repeat(1, rank);
    List<Integer> zero = repeat(0, rank);
    int r = b.add(name + ".relu", new Layer.Relu(), x);
    int c1 = b.add(name + ".conv_1", conv(in, out / 2, one, stride, zero, one, 1), r);
    int shifted = b.add(name + ".shift", new Layer.Shift(strided), r);
    int c2 = b.add(name + ".conv_2", conv(in, out / 2, one, stride, zero, one, 1), shifted);
    int cat = b.add(name + ".concat", new Layer.Concat(), c1, c2);
    return b.add(name + ".bn", new Layer.BatchNorm(out, affine), cat);
  }

  /** ReLU → depthwise conv (stride, dilation) → pointwise conv → BN: DARTS' {@code DilConv}. */
  public static int dilConv(GraphBuilder b, String name, int x, int in, int out, List<Integer> kernel,
      List<Integer> stride, List<Integer> dilation, boolean affine) {
    int rank = kernel.size();
    List<Integer> pad = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      pad.add(dilation.get(i) * (kernel.get(i) - 1) / 2);
    }
    int r = b.add(name + ".relu", new Layer.Relu(), x);
    int dw = b.add(name + ".dw", conv(in, in, kernel, stride, pad, dilation, in), r);
    int pw = b.add(name + ".pw", conv(in, out, repeat(1, rank), repeat(1, rank), repeat(0, rank),
        repeat(1, rank), 1), dw);
    return b.add(name + ".bn", new Layer.BatchNorm(out, affine), pw);
  }

  /** Two {@link #dilConv} blocks with dilation 1, the first one strided: DARTS' {@code SepConv}. */
  public static int sepConv(GraphBuilder b, String name, int x, int in, int out, List<Integer> kernel,
      List<Integer> stride, boolean affine) {
    List<Integer> one = repeat(1, kernel.size());
    int first = dilConv(b, name + ".0", x, in, in, kernel, stride, one, affine);
    return dilConv(b, name + ".1", first, in, out, kernel, one, one, affine);
  }

  /** A pooling layer with "same" padding; average pooling never counts the padding. */
  public static int pool(GraphBuilder b, String name, int x, Layer.Pool.Kind kind, List<Integer> kernel,
      List<Integer> stride) {
    List<Integer> pad = kernel.stream().map(k -> k / 2).toList();
    return b.add(name, new Layer.Pool(kind, kernel, stride, pad), x);
  }

  /**
   * One separable-3d block: ReLU, then a 1×k×k and a kt×1×1 depthwise convolution in parallel
   * (both with the full stride, so their outputs meet), summed, then a pointwise convolution and
   * BN. {@code dilation} applies to the axes each branch convolves (1×d×d and d×1×1).
   */
  public static int sep3dBlock(GraphBuilder b, String name, int x, int in, int out, int kt, int k,
      List<Integer> stride, int dilation, boolean affine) {
    requireClip(name, stride);
    List<Integer> one = repeat(1, 3);
    int r = b.add(name + ".relu", new Layer.Relu(), x);
    int s = b.add(name + ".dw_s", conv(in, in, List.of(1, k, k), stride,
        List.of(0, dilation * (k - 1) / 2, dilation * (k - 1) / 2), List.of(1, dilation, dilation), in), r);
    int t = b.add(name + ".dw_t", conv(in, in, List.of(kt, 1, 1), stride,
        List.of(dilation * (kt - 1) / 2, 0, 0), List.of(dilation, 1, 1), in), r);
    int sum = b.add(name + ".sum", new Layer.Sum(), s, t);
    int pw = b.add(name + ".pw", conv(in, out, one, one, repeat(0, 3), one, 1), sum);
    return b.add(name + ".bn", new Layer.BatchNorm(out, affine), pw);
  }

  /** Two {@link #sep3dBlock}s without dilation, the first one strided: separable-3d conv, as {@link #sepConv}. */
  public static int sep3dConv(GraphBuilder b, String name, int x, int in, int out, int kt, int k,
      List<Integer> stride, boolean affine) {
    int first = sep3dBlock(b, name + ".0", x, in, in, kt, k, stride, 1, affine);
    return sep3dBlock(b, name + ".1", first, in, out, kt, k, repeat(1, 3), 1, affine);
  }

  /**
   * PV-NAS' factorised (2+1)-D convolution: ReLU, a full 1×k×k convolution carrying the spatial
   * stride, a full kt×1×1 convolution carrying the temporal stride, BN.
   */
  public static int conv2Plus1d(GraphBuilder b, String name, int x, int in, int out, int k, int kt,
      List<Integer> stride, boolean affine) {
    requireClip(name, stride);
    List<Integer> one = repeat(1, 3);
    int r = b.add(name + ".relu", new Layer.Relu(), x);
    int s = b.add(name + ".conv_s", conv(in, out, List.of(1, k, k), List.of(1, stride.get(1), stride.get(2)),
        List.of(0, k / 2, k / 2), one, 1), r);
    int t = b.add(name + ".conv_t", conv(out, out, List.of(kt, 1, 1), List.of(stride.get(0), 1, 1),
        List.of(kt / 2, 0, 0), one, 1), s);
    return b.add(name + ".bn", new Layer.BatchNorm(out, affine), t);
  }

  /**
   * Channel-wise scale (squeeze-and-excitation without bottleneck): global average pool, a
   * {@code channels}×{@code channels} fully-connected layer, sigmoid, multiply the input by it.
   */
  public static int channelScale(GraphBuilder b, String name, int x, int channels) {
    int gap = b.add(name + ".gap", new Layer.GlobalAvgPool(), x);
    int fc = b.add(name + ".fc", new Layer.Linear(channels, channels, true), gap);
    int gate = b.add(name + ".sigmoid", new Layer.Sigmoid(), fc);
    return b.add(name + ".mul", new Layer.ChannelMul(), x, gate);
  }

  /** Channel-wise bias: global average pool, a fully-connected layer, added to every position of the input. */
  public static int channelBias(GraphBuilder b, String name, int x, int channels) {
    int gap = b.add(name + ".gap", new Layer.GlobalAvgPool(), x);
    int fc = b.add(name + ".fc", new Layer.Linear(channels, channels, true), gap);
    return b.add(name + ".add", new Layer.ChannelAdd(), x, fc);
  }

  private static void requireClip(String name, List<Integer> stride) {
    if (stride.size() != 3) {
      throw new IllegalArgumentException(name + ": a 3-D (video) block needs clip input N×C×T×H×W, got "
          + stride.size() + " spatial axes");
    }
  }
}
