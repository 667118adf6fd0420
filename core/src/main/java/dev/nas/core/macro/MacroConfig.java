package dev.nas.core.macro;

import dev.nas.core.graph.FeatureShape;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The network skeleton a genotype's cells are stacked into: which stem and cell sequence
 * ({@link MacroLayout}), how many cells, how wide, how many classes, for which input, and whether
 * the training-only auxiliary head exists.
 *
 * @param channels node width C of the first cells (a cell's output is C times its node count)
 * @param layers number of cells; for the video macros it follows from {@code repeat}
 *     ({@link MacroLayout#derivedCells})
 * @param repeat video macros: normal cells per stage (K); 0 for image macros
 * @param stemChannels video macros: width C1 of the first stem convolution (the stem ends at 2·C1);
 *     0 for image macros
 * @param dropout rate of the dropout before the classifier while training (0: none; PV-NAS: 0.4);
 *     exported and counted networks have none
 */
public record MacroConfig(Kind kind, int channels, int layers, int classes, FeatureShape input, boolean auxiliary,
    int repeat, int stemChannels, double dropout) {

  /** Macro structure. */
  public enum Kind {
    /** DARTS CIFAR network: one 3×3 stem convolution, resolution kept until the first reduction cell. */
    CIFAR,
    /** DARTS ImageNet (mobile setting) network: three stride-2 3×3 stem convolutions down to 1/8. */
    IMAGENET,
    /** SDAS' video network (Fig. 5c): stem to 1/2 in T, H and W, then ST-, S- and S-reduction stages. */
    VIDEO_SDAS,
    /** PV-NAS' video network (Fig. 5): SDAS' stem, spatial then temporal cells. */
    VIDEO_PVNAS,
    /**
     * NAS-Bench-201's network (Dong &amp; Yang 2020, Section 2.1, Fig. 1): a 3×3 convolution and BN
     * to C, three stages of N cells at widths C, 2C, 4C, joined by two residual blocks (a stride-2
     * basic block with an average-pooled 1×1 shortcut), BN–ReLU, global pooling, classifier.
     * {@code layers} counts the cells, 3N (NAS-Bench-201: N = 5, so 15, at C = 16).
     */
    NB201,
    /**
     * A hand-crafted baseline without cells: the CIFAR ResNet of He et al. (3×3 stem, three stages
     * of basic blocks at widths C, 2C, 4C, the last two starting with stride 2), see
     * {@code dev.nas.derive.ResNetBuilder}. {@code layers} counts basic blocks per stage; no genotype.
     */
    RESNET,
    /**
     * The same ResNet on clips, with 3×3×3 convolutions and stride (2,2,2) at stages 2 and 3 (the
     * R3D layout of Tran et al. 2018 at CIFAR scale): the hand-crafted video baseline.
     */
    RESNET3D;

    public static Kind parse(String s) {
      String id = s.trim().toLowerCase(Locale.ROOT);
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown macro '" + s + "' (known: "
          + String.join(", ", Arrays.stream(values()).map(Kind::id).toList()) + ")");
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the macro is a video cell macro (clips C×T×H×W, with repeat K and stem width C1). */
    public boolean video() {
      return this == VIDEO_SDAS || this == VIDEO_PVNAS;
    }

    /** Whether networks of the macro can have DARTS' training-only auxiliary head (not the ResNets, not nb201). */
    public boolean auxiliaryHead() {
      return !cellFree() && this != NB201;
    }

    /** Whether the macro stacks hand-crafted blocks instead of genotype cells. */
    public boolean cellFree() {
      return this == RESNET || this == RESNET3D;
    }

    /** Spatial rank of the macro's input: 2 (H, W) or 3 (T, H, W). */
    public int rank() {
      return video() || this == RESNET3D ? 3 : 2;
    }

    /**
     * Parses an input size for this macro, whose rank settles what four numbers mean: images
     * {@code CxHxW} or {@code 1xCxHxW}, clips {@code CxTxHxW} or {@code 1xCxTxHxW}.
     */
    public FeatureShape parseInput(String text) {
      try {
        return FeatureShape.parse(text, rank());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " (the " + id() + " macro)", e);
      }
    }
  }

  public MacroConfig {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
    }
    if (channels <= 0 || layers <= 0 || classes <= 1) {
      throw new IllegalArgumentException("macro needs channels > 0, layers > 0 and classes > 1; got C="
          + channels + " L=" + layers + " classes=" + classes);
    }
    if (input.rank() != kind.rank()) {
      throw new IllegalArgumentException("the " + kind.id() + " macro takes " + (kind.rank() == 3 ? "clips C×T×H×W"
          : "images C×H×W") + ", got input " + input);
    }
    if (kind == Kind.NB201 && layers % 3 != 0) {
      throw new IllegalArgumentException("the nb201 macro stacks three stages of N cells, so --layers must be a "
          + "multiple of 3 (NAS-Bench-201: 15), got " + layers);
    }
    if (!kind.auxiliaryHead() && auxiliary) {
      throw new IllegalArgumentException("the " + kind.id() + " macro has no auxiliary head");
    }
    if (kind == Kind.IMAGENET && channels % 2 != 0) {
      throw new IllegalArgumentException("the imagenet macro needs an even channel count, got " + channels);
    }
    if (kind.video()) {
      if (repeat <= 0 || stemChannels <= 0) {
        throw new IllegalArgumentException("the " + kind.id() + " macro needs repeat K > 0 and stem channels C1 > 0;"
            + " got K=" + repeat + " C1=" + stemChannels);
      }
      if (channels % 2 != 0) {
        throw new IllegalArgumentException("the " + kind.id() + " macro needs an even channel count (FactorizedReduce"
            + " halves it), got " + channels);
      }
      int cells = MacroLayout.derivedCells(kind, repeat);
      if (layers != cells) {
        throw new IllegalArgumentException("the " + kind.id() + " macro with K=" + repeat + " has " + cells
            + " cells, not " + layers);
      }
      MacroLayout.requireFits(kind, input, MacroLayout.Stage.DERIVED);
    } else if (repeat != 0 || stemChannels != 0) {
      throw new IllegalArgumentException("the " + kind.id() + " macro has no repeat K or stem channels C1"
          + " (video macros only); give --layers and --channels");
    }
  }

  /** An image macro ({@code cifar} or {@code imagenet}). */
  public MacroConfig(Kind kind, int channels, int layers, int classes, FeatureShape input, boolean auxiliary) {
    this(kind, channels, layers, classes, input, auxiliary, 0, 0, 0);
  }

  /** This network with dropout of {@code rate} before its classifier while training (0: none). */
  public MacroConfig withDropout(double rate) {
    return new MacroConfig(kind, channels, layers, classes, input, auxiliary, repeat, stemChannels, rate);
  }

  /** A video macro: {@code repeat} normal cells per stage, stem width {@code stemChannels}. */
  public static MacroConfig video(Kind kind, int channels, int repeat, int stemChannels, int classes,
      FeatureShape input, boolean auxiliary) {
    if (!kind.video()) {
      throw new IllegalArgumentException("the " + kind.id() + " macro is not a video macro");
    }
    return new MacroConfig(kind, channels, MacroLayout.derivedCells(kind, Math.max(repeat, 1)), classes, input,
        auxiliary, repeat, stemChannels, 0);
  }

  /** DARTS' evaluation settings for CIFAR-10: C=36, 20 cells, 32×32, auxiliary head. */
  public static MacroConfig cifarDefault() {
    return new MacroConfig(Kind.CIFAR, 36, 20, 10, FeatureShape.of(3, 32, 32), true);
  }

  /** DARTS' mobile setting: C=48, 14 cells, 224×224, 1000 classes, auxiliary head. */
  public static MacroConfig imagenetDefault() {
    return new MacroConfig(Kind.IMAGENET, 48, 14, 1000, FeatureShape.of(3, 224, 224), true);
  }

  /**
   * SDAS' video evaluation network: K=2, C1=32, C2=128 (so C=32 with four nodes), 3×16×112×112
   * clips, 400 classes (Kinetics), no auxiliary head.
   */
  public static MacroConfig videoSdasDefault() {
    return video(Kind.VIDEO_SDAS, 32, 2, 32, 400, FeatureShape.of(3, 16, 112, 112), false);
  }

  /**
   * PV-NAS' light network PV-NAS-L: K=1, C=64, on SDAS' stem with C1=32 (PV-NAS does not give
   * its stem widths), 3×16×112×112 clips, 400 classes, no auxiliary head.
   */
  public static MacroConfig videoPvnasDefault() {
    return video(Kind.VIDEO_PVNAS, 64, 1, 32, 400, FeatureShape.of(3, 16, 112, 112), false);
  }

  /** The default macro of {@code kind}. */
  public static MacroConfig defaults(Kind kind) {
    return switch (kind) {
      case CIFAR -> cifarDefault();
      case IMAGENET -> imagenetDefault();
      case VIDEO_SDAS -> videoSdasDefault();
      case VIDEO_PVNAS -> videoPvnasDefault();
      case NB201 -> nb201Default();
      case RESNET -> resnetDefault();
      case RESNET3D -> new MacroConfig(Kind.RESNET3D, 16, 2, 10, FeatureShape.of(3, 8, 32, 32), false);
    };
  }

  /** NAS-Bench-201's network for CIFAR-10: C = 16, N = 5 cells per stage (15 cells), 32×32, no auxiliary head. */
  public static MacroConfig nb201Default() {
    return new MacroConfig(Kind.NB201, 16, 15, 10, FeatureShape.of(3, 32, 32), false);
  }

  /** ResNet-20 for CIFAR-10: width 16, 3 basic blocks per stage, 32×32, no auxiliary head. */
  public static MacroConfig resnetDefault() {
    return new MacroConfig(Kind.RESNET, 16, 3, 10, FeatureShape.of(3, 32, 32), false);
  }

  /** Whether networks of this macro are stacks of genotype cells (all but the cell-free ResNet baselines). */
  public boolean hasCells() {
    return !kind.cellFree();
  }

  public MacroConfig withAuxiliary(boolean aux) {
    return new MacroConfig(kind, channels, layers, classes, input, aux, repeat, stemChannels, dropout);
  }

  public MacroConfig withInput(FeatureShape in) {
    return new MacroConfig(kind, channels, layers, classes, in, auxiliary, repeat, stemChannels, dropout);
  }

  /** The cell types this macro stacks for a genotype or space with cell types {@code available}. */
  public List<String> cellTypes(java.util.Collection<String> available) {
    return MacroLayout.cellTypes(kind, available);
  }
}
