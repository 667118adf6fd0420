package dev.nas.core.viz;

import java.util.Locale;

/**
 * Operation families that share a colour in diagrams. Classified by name rather than by a fixed
 * list so that operations of later search spaces (say {@code sep_conv_1x3x3}) land in the right
 * family without touching this code.
 */
enum OpFamily {
  CONV("conv", "#1f6fb2"),
  POOL("pool", "#c8530a"),
  SKIP("skip", "#00876a"),
  OTHER("other", "#7a4f9a");

  private final String label;
  private final String colour;

  OpFamily(String label, String colour) {
    this.label = label;
    this.colour = colour;
  }

  /** The family of an operation name. */
  static OpFamily of(String op) {
    String name = op.toLowerCase(Locale.ROOT);
    // Skip is tested first: a name such as "skip_conv" still behaves like an identity path.
    if (name.contains("skip") || name.equals("identity")) {
      return SKIP;
    }
    if (name.contains("pool")) {
      return POOL;
    }
    if (name.contains("conv")) {
      return CONV;
    }
    return OTHER;
  }

  /** The name shown in legends. */
  String label() {
    return label;
  }

  /** An sRGB colour, dark enough for text on white. */
  String colour() {
    return colour;
  }
}
