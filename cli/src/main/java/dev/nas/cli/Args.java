package dev.nas.cli;

import dev.nas.core.graph.FeatureShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.commons.cli.CommandLine;

/** Typed access to parsed options; a malformed value is a {@link UsageException} naming the option. */
final class Args {
  private final CommandLine cl;

  Args(CommandLine cl) {
    this.cl = cl;
  }

  boolean has(String opt) {
    return cl.hasOption(opt);
  }

  String str(String opt, String def) {
    return cl.getOptionValue(opt, def);
  }

  /** Every value of an option given several times, in order (empty when absent). */
  List<String> all(String opt) {
    String[] v = cl.getOptionValues(opt);
    return v == null ? List.of() : List.of(v);
  }

  String required(String opt) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      throw new UsageException("--" + opt + " is required");
    }
    return v;
  }

  Path path(String opt) {
    return Path.of(required(opt));
  }

  /** An integer option, checked against its {@link OptionRange}; {@code def} when absent (unchecked). */
  int integer(String opt, int def) {
    return cl.getOptionValue(opt) == null ? def : Math.toIntExact(checkedLong(opt, cl.getOptionValue(opt)));
  }

  long longValue(String opt, long def) {
    return cl.getOptionValue(opt) == null ? def : checkedLong(opt, cl.getOptionValue(opt));
  }

  private static long checkedLong(String opt, String v) {
    OptionRange range = OptionRange.of(opt);
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      if (v.trim().matches("[-+]?\\d+")) {
        range.check(opt, v.trim().startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
      }
      throw new UsageException("--" + opt + " expects an integer, got '" + v + "'");
    }
    range.check(opt, n);
    if (range.max() <= Integer.MAX_VALUE && n > Integer.MAX_VALUE) {
      throw new IllegalStateException("--" + opt + " range exceeds an int");
    }
    return n;
  }

  /** A real option, finite and checked against its {@link OptionRange}; {@code def} when absent. */
  double number(String opt, double def) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      return def;
    }
    OptionRange range = OptionRange.of(opt);
    double n;
    try {
      n = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + opt + " expects a number, got '" + v + "'");
    }
    if (!Double.isFinite(n)) {
      throw new UsageException("--" + opt + " expects a finite number, got '" + v + "'");
    }
    range.check(opt, n);
    return n;
  }

  OptionalLong count(String opt) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      return OptionalLong.empty();
    }
    long n;
    try {
      n = dev.nas.core.budget.Quantity.parse(v);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + opt + ": " + e.getMessage());
    }
    OptionRange.of(opt).check(opt, n);
    return OptionalLong.of(n);
  }

  OptionalDouble optionalNumber(String opt) {
    return has(opt) ? OptionalDouble.of(number(opt, 0)) : OptionalDouble.empty();
  }

  /**
   * A sample size for a model or data of {@code rank} ({@link FeatureShape#IMAGE} or
   * {@link FeatureShape#CLIP}), read by {@link FeatureShape#parse(String, int)}; null when absent.
   */
  FeatureShape shape(String opt, int rank) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      return null;
    }
    FeatureShape s;
    try {
      s = FeatureShape.parse(v, rank);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + opt + ": " + e.getMessage());
    }
    checkShape(opt, s);
    return s;
  }

  /** Largest channel count and spatial size accepted in a sample shape. */
  static final int MAX_SHAPE_CHANNELS = 4_096;
  static final int MAX_SHAPE_SIZE = 16_384;

  /** Refuses a shape whose channels or spatial sizes are beyond any real sample. */
  static void checkShape(String opt, FeatureShape s) {
    if (s.channels() > MAX_SHAPE_CHANNELS) {
      throw new UsageException("--" + opt + " " + s + " has " + s.channels() + " channels; at most "
          + MAX_SHAPE_CHANNELS + " are accepted");
    }
    for (int i = 0; i < s.rank(); i++) {
      if (s.spatial(i) > MAX_SHAPE_SIZE) {
        throw new UsageException("--" + opt + " " + s + " has a size of " + s.spatial(i) + "; at most "
            + MAX_SHAPE_SIZE + " per dimension is accepted");
      }
    }
  }

  /** Comma-separated integers, each checked against the option's {@link OptionRange}. */
  List<Integer> integers(String opt, String def) {
    String v = cl.getOptionValue(opt, def);
    List<Integer> out = new ArrayList<>();
    for (String p : v.split(",", -1)) {
      if (!p.trim().matches("[-+]?\\d+")) {
        throw new UsageException("--" + opt + " expects positive integers separated by commas, got '" + v + "'");
      }
      out.add(Math.toIntExact(checkedLong(opt, p)));
    }
    return out;
  }

  List<String> words(String opt, String def) {
    List<String> out = new ArrayList<>();
    for (String p : cl.getOptionValue(opt, def).split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
