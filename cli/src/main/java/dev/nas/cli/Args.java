package dev.nas.cli;

import dev.nas.graph.FeatureShape;
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

  int integer(String opt, int def) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + opt + " expects an integer, got '" + v + "'");
    }
  }

  long longValue(String opt, long def) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      return def;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + opt + " expects an integer, got '" + v + "'");
    }
  }

  double number(String opt, double def) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      return def;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + opt + " expects a number, got '" + v + "'");
    }
  }

  OptionalLong count(String opt) {
    String v = cl.getOptionValue(opt);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(dev.nas.budget.Quantity.parse(v));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + opt + ": " + e.getMessage());
    }
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
    try {
      return FeatureShape.parse(v, rank);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + opt + ": " + e.getMessage());
    }
  }

  List<Integer> integers(String opt, String def) {
    String v = cl.getOptionValue(opt, def);
    List<Integer> out = new ArrayList<>();
    for (String p : v.split(",")) {
      try {
        int n = Integer.parseInt(p.trim());
        if (n <= 0) {
          throw new NumberFormatException();
        }
        out.add(n);
      } catch (NumberFormatException e) {
        throw new UsageException("--" + opt + " expects positive integers separated by commas, got '" + v + "'");
      }
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
