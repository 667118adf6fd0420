package dev.nas.core.budget;

import java.util.Locale;

/** The outcome of one budget: the measured value against its limit. */
public record Verdict(String budget, double limit, double actual, String unit) {
  public boolean passed() {
    return actual <= limit;
  }

  public String describe() {
    return String.format(Locale.ROOT, "%-8s %-4s %s %s %s (limit %s %s, %.1f%% of budget)", budget,
        passed() ? "OK" : "OVER", format(actual), unit, passed() ? "<=" : ">", format(limit), unit,
        limit == 0 ? Double.POSITIVE_INFINITY : 100.0 * actual / limit);
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
