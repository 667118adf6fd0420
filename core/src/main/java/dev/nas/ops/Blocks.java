package dev.nas.ops;

import dev.nas.graph.GraphBuilder;
import dev.nas.graph.Layer;
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
   * output channels, the second one on the input moved by one pixel in H and W, concatenated and
   * batch-normalised. Halves the resolution without discarding every other pixel.
   */
  public static int factorizedReduce(GraphBuilder b, String name, int x, int in, int out,
      List<Integer> stride, boolean affine) {
    if (out % 2 != 0) {
      throw new IllegalArgumentException(name + ": FactorizedReduce needs an even channel count, got " + out);
    }
    int rank = stride.size();
    List<Integer> one = repeat(1, rank);
    List<Integer> zero = repeat(0, rank);
    int r = b.add(name + ".relu", new Layer.Relu(), x);
    int c1 = b.add(name + ".conv_1", conv(in, out / 2, one, stride, zero, one, 1), r);
    int shifted = b.add(name + ".shift", new Layer.Shift(), r);
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
}
