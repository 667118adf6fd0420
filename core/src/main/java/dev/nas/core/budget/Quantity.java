package dev.nas.core.budget;

import java.util.Locale;

/** Parses counts written as {@code 600M}, {@code 6M}, {@code 1.5G}, {@code 250K} or plain numbers (decimal SI). */
public final class Quantity {
  private Quantity() {}

  public static long parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace("_", "");
    double mult = 1;
    if (t.endsWith("K")) {
      mult = 1e3;
    } else if (t.endsWith("M")) {
      mult = 1e6;
    } else if (t.endsWith("G") || t.endsWith("B")) {
      mult = 1e9;
    }
    if (mult != 1) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      double v = Double.parseDouble(t) * mult;
      if (v < 0 || Double.isNaN(v)) {
        throw new NumberFormatException();
      }
      return Math.round(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a count such as 600M, 6M or 1.5G");
    }
  }
}
