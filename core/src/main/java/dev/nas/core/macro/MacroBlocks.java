package dev.nas.core.macro;

import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.ops.Blocks;
import java.util.Collections;
import java.util.List;

/**
 * The non-cell parts of DARTS-style networks: stems, cell input preprocessing, the classifier
 * and the auxiliary head. Used by both the supernet and derived networks through {@link MacroLayout}.
 */
public final class MacroBlocks {
  /** Width multiplier of the CIFAR stem (DARTS: 3). */
  public static final int STEM_MULTIPLIER = 3;

  private MacroBlocks() {}

  private static List<Integer> all(int v, int rank) {
    return Collections.nCopies(rank, v);
  }

  /**
   * Ids of a stem's outputs: the first and second input of the first cell, their channels, and
   * the stride by which the first's resolution exceeds the second's (all ones when they are equal).
   */
  public record StemOutputs(int prevPrev, int prev, int prevPrevChannels, int prevChannels,
      List<Integer> prevStride) {
    public StemOutputs {
      prevStride = List.copyOf(prevStride);
    }

    /** Whether the first cell's first input needs FactorizedReduce. */
    public boolean reductionPrev() {
      return MacroLayout.strided(prevStride);
    }
  }

  /** The stem of an image macro ({@code cifar}, {@code imagenet}) for a cell width {@code c}. */
  public static StemOutputs stem(GraphBuilder b, MacroConfig.Kind kind, int x, int c) {
    return stem(b, kind, x, c, 0);
  }

  /**
   * The stem of {@code kind} for a cell width {@code c}; {@code stemChannels} is C1 of the video
   * stems. Fails when the input's rank does not suit the macro.
   */
  static StemOutputs stem(GraphBuilder b, MacroConfig.Kind kind, int x, int c, int stemChannels) {
    int in = b.shape(x).channels();
    int rank = b.shape(x).rank();
    if (rank != kind.rank()) {
      throw new IllegalArgumentException("the " + kind.id() + " macro takes " + (kind.video() ? "clips C×T×H×W"
          : "images C×H×W") + ", got input " + b.shape(x));
    }
    List<Integer> k3 = all(3, rank);
    List<Integer> one = all(1, rank);
    List<Integer> two = all(2, rank);
    if (kind.video()) {
      return videoStem(b, x, in, stemChannels);
    }
    if (kind == MacroConfig.Kind.NB201) {
      int conv = b.add("stem.conv", Blocks.conv(in, c, k3, one, one, one, 1), x);
      int bn = b.add("stem.bn", new Layer.BatchNorm(c, true), conv);
      return new StemOutputs(bn, bn, c, c, one);
    }
    if (kind == MacroConfig.Kind.CIFAR) {
      int sc = STEM_MULTIPLIER * c;
      int conv = b.add("stem.conv", Blocks.conv(in, sc, k3, one, one, one, 1), x);
      int bn = b.add("stem.bn", new Layer.BatchNorm(sc, true), conv);
      return new StemOutputs(bn, bn, sc, sc, one);
    }
    int half = c / 2;
    int c0 = b.add("stem0.conv1", Blocks.conv(in, half, k3, two, one, one, 1), x);
    int b0 = b.add("stem0.bn1", new Layer.BatchNorm(half, true), c0);
    int r0 = b.add("stem0.relu", new Layer.Relu(), b0);
    int c1 = b.add("stem0.conv2", Blocks.conv(half, c, k3, two, one, one, 1), r0);
    int s0 = b.add("stem0.bn2", new Layer.BatchNorm(c, true), c1);
    int r1 = b.add("stem1.relu", new Layer.Relu(), s0);
    int c2 = b.add("stem1.conv", Blocks.conv(c, c, k3, two, one, one, 1), r1);
    int s1 = b.add("stem1.bn", new Layer.BatchNorm(c, true), c2);
    return new StemOutputs(s0, s1, c, c, two);
  }

  /**
   * SDAS' video stem (Fig. 5c), also PV-NAS': 1×3×3 conv stride (1,2,2) to C1, BN, ReLU, 1×3×3
   * conv to 2·C1, BN, then 3×1×1 max pooling stride (2,1,1): 16×112×112 clips become 8×56×56.
   */
  private static StemOutputs videoStem(GraphBuilder b, int x, int in, int c1) {
    if (c1 <= 0) {
      throw new IllegalArgumentException("the video stem needs stem channels C1 > 0, got " + c1);
    }
    List<Integer> k = List.of(1, 3, 3);
    List<Integer> pad = List.of(0, 1, 1);
    List<Integer> one = all(1, 3);
    int conv1 = b.add("stem.conv1", Blocks.conv(in, c1, k, List.of(1, 2, 2), pad, one, 1), x);
    int bn1 = b.add("stem.bn1", new Layer.BatchNorm(c1, true), conv1);
    int relu = b.add("stem.relu", new Layer.Relu(), bn1);
    int conv2 = b.add("stem.conv2", Blocks.conv(c1, 2 * c1, k, one, pad, one, 1), relu);
    int bn2 = b.add("stem.bn2", new Layer.BatchNorm(2 * c1, true), conv2);
    int pool = Blocks.pool(b, "stem.pool", bn2, Layer.Pool.Kind.MAX, List.of(3, 1, 1), List.of(2, 1, 1));
    return new StemOutputs(pool, pool, 2 * c1, 2 * c1, one);
  }

  /**
   * Cell input preprocessing: the first input through FactorizedReduce when it comes from before a
   * reduction, else ReLU–1×1 conv–BN; the second input through ReLU–1×1 conv–BN. Returns both ids.
   */
  public static int[] preprocess(GraphBuilder b, String prefix, CellPlan cell, int s0, int s1, boolean affine) {
    return new int[] {preprocessFirst(b, prefix, cell, s0, affine), preprocessSecond(b, prefix, cell, s1, affine)};
  }

  /** Preprocessing of a cell's first input (from two cells back). */
  public static int preprocessFirst(GraphBuilder b, String prefix, CellPlan cell, int s0, boolean affine) {
    int rank = b.shape(s0).rank();
    List<Integer> one = all(1, rank);
    return cell.reductionPrev()
        ? Blocks.factorizedReduce(b, prefix + ".pre0", s0, cell.prevPrevChannels(), cell.channels(), cell.prevStride(),
            affine)
        : Blocks.reluConvBn(b, prefix + ".pre0", s0, cell.prevPrevChannels(), cell.channels(), one, one, all(0, rank),
            affine);
  }

  /** Preprocessing of a cell's second input (the previous cell's output). */
  public static int preprocessSecond(GraphBuilder b, String prefix, CellPlan cell, int s1, boolean affine) {
    int rank = b.shape(s1).rank();
    List<Integer> one = all(1, rank);
    return Blocks.reluConvBn(b, prefix + ".pre1", s1, cell.prevChannels(), cell.channels(), one, one, all(0, rank),
        affine);
  }

  /**
   * The nb201 macro's residual block between stages (NAS-Bench-201's {@code ResNetBasicblock} with
   * stride 2): ReLU–3×3 conv (stride 2)–BN, ReLU–3×3 conv–BN, plus a shortcut of 2×2 average pooling
   * (stride 2) and a 1×1 convolution; {@code block.prevChannels()} to {@code block.channels()}.
   */
  public static int residualBlock(GraphBuilder b, String prefix, CellPlan block, int x) {
    int rank = b.shape(x).rank();
    List<Integer> k3 = all(3, rank);
    List<Integer> one = all(1, rank);
    int in = block.prevChannels();
    int out = block.channels();
    int a = Blocks.reluConvBn(b, prefix + ".conv_a", x, in, out, k3, block.stride(), one, true);
    int main = Blocks.reluConvBn(b, prefix + ".conv_b", a, out, out, k3, one, one, true);
    int pool = b.add(prefix + ".downsample.pool", new Layer.Pool(Layer.Pool.Kind.AVG, block.stride(), block.stride(),
        all(0, rank)), x);
    int shortcut = b.add(prefix + ".downsample.conv", Blocks.conv(in, out, one, one, all(0, rank), one, 1), pool);
    return b.add(prefix + ".sum", new Layer.Sum(), main, shortcut);
  }

  /**
   * The head of {@code kind}: for nb201 BN–ReLU first (NAS-Bench-201's {@code lastact}), then
   * {@link #classifier(GraphBuilder, int, int, double)}.
   */
  public static int head(GraphBuilder b, MacroConfig.Kind kind, int x, int classes, double dropout) {
    if (kind == MacroConfig.Kind.NB201) {
      int bn = b.add("lastact.bn", new Layer.BatchNorm(b.shape(x).channels(), true), x);
      x = b.add("lastact.relu", new Layer.Relu(), bn);
    }
    return classifier(b, x, classes, dropout);
  }

  /** Global average pooling followed by the linear classifier. */
  public static int classifier(GraphBuilder b, int x, int classes) {
    return classifier(b, x, classes, 0);
  }

  /** Global pooling, dropout of {@code dropout} (none at 0) while training, then the linear classifier. */
  public static int classifier(GraphBuilder b, int x, int classes, double dropout) {
    int gap = b.add("global_pool", new Layer.GlobalAvgPool(), x);
    int in = dropout > 0 ? b.add("dropout", new Layer.Dropout(dropout), gap) : gap;
    return b.add("classifier", new Layer.Linear(b.shape(gap).channels(), classes, true), in);
  }

  /**
   * The training-only auxiliary classifier of DARTS: ReLU, 5×5 average pooling (stride 3 for
   * CIFAR, 2 for ImageNet), 1×1 conv to 128, BN, ReLU, 2×2 conv to 768, BN, ReLU, linear. The
   * pooling and the 2×2 conv shrink to fit feature maps smaller than DARTS' 8×8 / 14×14.
   */
  public static int auxiliaryHead(GraphBuilder b, MacroConfig.Kind kind, int x, int classes) {
    int rank = b.shape(x).rank();
    List<Integer> one = all(1, rank);
    List<Integer> zero = all(0, rank);
    int c = b.shape(x).channels();
    int h = b.add("aux.relu1", new Layer.Relu(), x);
    int size = b.shape(x).spatial().stream().min(Integer::compare).orElse(1);
    if (size >= 5) {
      int stride = kind == MacroConfig.Kind.CIFAR ? 3 : 2;
      h = b.add("aux.pool", new Layer.Pool(Layer.Pool.Kind.AVG, all(5, rank), all(stride, rank), zero), h);
      size = (size - 5) / stride + 1;
    }
    h = b.add("aux.conv1", Blocks.conv(c, 128, one, one, zero, one, 1), h);
    h = b.add("aux.bn1", new Layer.BatchNorm(128, true), h);
    h = b.add("aux.relu2", new Layer.Relu(), h);
    int k = Math.min(2, size);
    h = b.add("aux.conv2", Blocks.conv(128, 768, all(k, rank), one, zero, one, 1), h);
    h = b.add("aux.bn2", new Layer.BatchNorm(768, true), h);
    h = b.add("aux.relu3", new Layer.Relu(), h);
    int gap = b.add("aux.pool_out", new Layer.GlobalAvgPool(), h);
    return b.add("aux.classifier", new Layer.Linear(768, classes, true), gap);
  }
}
