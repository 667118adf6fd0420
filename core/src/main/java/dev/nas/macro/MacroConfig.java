package dev.nas.macro;

import dev.nas.graph.FeatureShape;
import java.util.Locale;

/**
 * The network skeleton a genotype's cells are stacked into: which stem, how many cells, how
 * wide, how many classes, for which input, and whether the training-only auxiliary head exists.
 */
public record MacroConfig(Kind kind, int channels, int layers, int classes, FeatureShape input, boolean auxiliary) {

  /** Macro structure. */
  public enum Kind {
    /** DARTS CIFAR network: one 3×3 stem convolution, resolution kept until the first reduction cell. */
    CIFAR,
    /** DARTS ImageNet (mobile setting) network: three stride-2 3×3 stem convolutions down to 1/8. */
    IMAGENET,
    /**
     * A hand-crafted baseline without cells: the CIFAR ResNet of He et al. (3×3 stem, three stages
     * of basic blocks at widths C, 2C, 4C, the last two starting with stride 2), see
     * {@code dev.nas.network.ResNetBuilder}. {@code layers} counts basic blocks per stage; no genotype.
     */
    RESNET;

    public static Kind parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown macro '" + s + "' (known: "
            + java.util.Arrays.stream(values()).map(Kind::id).collect(java.util.stream.Collectors.joining(", ")) + ")");
      }
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public MacroConfig {
    if (channels <= 0 || layers <= 0 || classes <= 1) {
      throw new IllegalArgumentException("macro needs channels > 0, layers > 0 and classes > 1; got C="
          + channels + " L=" + layers + " classes=" + classes);
    }
    if (input.rank() != 2) {
      throw new IllegalArgumentException("the " + kind.id() + " macro takes images C×H×W, got input " + input);
    }
    if (kind == Kind.RESNET && auxiliary) {
      throw new IllegalArgumentException("the resnet macro has no auxiliary head");
    }
    if (kind == Kind.IMAGENET && channels % 2 != 0) {
      throw new IllegalArgumentException("the imagenet macro needs an even channel count, got " + channels);
    }
  }

  /** DARTS' evaluation settings for CIFAR-10: C=36, 20 cells, 32×32, auxiliary head. */
  public static MacroConfig cifarDefault() {
    return new MacroConfig(Kind.CIFAR, 36, 20, 10, FeatureShape.of(3, 32, 32), true);
  }

  /** DARTS' mobile setting: C=48, 14 cells, 224×224, 1000 classes, auxiliary head. */
  public static MacroConfig imagenetDefault() {
    return new MacroConfig(Kind.IMAGENET, 48, 14, 1000, FeatureShape.of(3, 224, 224), true);
  }

  /** ResNet-20 for CIFAR-10: width 16, 3 basic blocks per stage, 32×32, no auxiliary head. */
  public static MacroConfig resnetDefault() {
    return new MacroConfig(Kind.RESNET, 16, 3, 10, FeatureShape.of(3, 32, 32), false);
  }

  /** Whether networks of this macro are stacks of genotype cells (all but the cell-free ResNet baseline). */
  public boolean hasCells() {
    return kind != Kind.RESNET;
  }

  public MacroConfig withAuxiliary(boolean aux) {
    return new MacroConfig(kind, channels, layers, classes, input, aux);
  }
}
