package dev.nas.cli.compare;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Scales a proposal to the budget: the largest width (C of a cell macro, in steps of 2 as
 * FactorizedReduce halves it; the ResNet's first-stage width, in steps of 1) whose network needs at
 * most {@code maxMacs} multiply-adds per sample and, under a latency budget, runs in at most
 * {@code maxLatencyMs} as measured by {@link Latency}. Both grow with width, so a doubling then
 * bisection finds it with a few dozen graph builds; MACs are checked first, so only widths within
 * the MACs budget are measured. A measured latency is noisy: a width near the limit may fit on one
 * measurement and not on another, so the fit is the largest width that fitted when it was measured.
 */
public final class WidthFit {
  /** Widths above this are not tried: far beyond what a CPU comparison trains. */
  public static final int MAX_WIDTH = 4096;

  /**
   * The fitted macro, its MACs and its latency as measured while fitting (0 without a latency
   * budget), and whether it is within the budget: false when even the narrowest width is not, and
   * the fit is that narrowest network.
   */
  public record Fit(MacroConfig macro, long macs, double latencyMs, boolean withinBudget) {}

  /** Measures a network's latency in ms (ONNX Runtime in a comparison). */
  @FunctionalInterface
  public interface Latency {
    double ms(Graph graph) throws IOException;
  }

  /**
   * The budget a width must fit.
   *
   * @param maxMacs 0 for none
   * @param maxLatencyMs 0 for none; then {@code latency} may be null
   */
  public record Budget(long maxMacs, double maxLatencyMs, Latency latency) {
    public Budget {
      if (maxLatencyMs > 0 && latency == null) {
        throw new IllegalArgumentException("a latency budget needs a latency measurement");
      }
    }

    /** A MACs budget alone. */
    public static Budget macs(long maxMacs) {
      return new Budget(maxMacs, 0, null);
    }
  }

  private WidthFit() {}

  /**
   * The macro of the largest width within budget, or the narrowest one, marked as not within
   * budget, when no width fits.
   *
   * @param at the network's macro at a width
   */
  public static Fit fit(Genotype g, IntFunction<MacroConfig> at, Budget budget) {
    int step = step(at);
    Fit narrow = measure(g, at.apply(step), budget);
    if (!narrow.withinBudget()) {
      return narrow;
    }
    Fit best = narrow;
    int lo = 1; // in units of step: lo fits, hi does not
    int hi = 2;
    while (hi * step <= MAX_WIDTH) {
      Fit f = measure(g, at.apply(hi * step), budget);
      if (!f.withinBudget()) {
        break;
      }
      best = f;
      lo = hi;
      hi *= 2;
    }
    hi = Math.min(hi, MAX_WIDTH / step + 1);
    while (hi - lo > 1) {
      int mid = (lo + hi) / 2;
      Fit f = measure(g, at.apply(mid * step), budget);
      if (f.withinBudget()) {
        best = f;
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return best;
  }

  /** Whether {@code g}'s network fits the budget at the narrowest width (so at some width). */
  public static boolean fitsAtSomeWidth(Genotype g, IntFunction<MacroConfig> at, Budget budget) {
    return measure(g, at.apply(step(at)), budget).withinBudget();
  }

  /** Whether {@code g}'s network of macro {@code m} fits the budget. */
  public static boolean fitsAt(Genotype g, MacroConfig m, Budget budget) {
    return measure(g, m, budget).withinBudget();
  }

  /** Why a fit is not within budget, in words. */
  public static String overBudget(Fit f, Budget budget) {
    return String.format(Locale.ROOT, "even the narrowest %s network (width %d) needs %s MACs%s, above the budget of %s",
        describe(f.macro()), f.macro().channels(),
        CostReport.human(f.macs()), budget.maxLatencyMs() > 0 ? String.format(Locale.ROOT, " and %.3f ms",
        f.latencyMs()) : "", describe(budget.maxMacs(), budget.maxLatencyMs()));
  }

  private static int step(IntFunction<MacroConfig> at) {
    return at.apply(2).kind().cellFree() ? 1 : 2;
  }

  /** A budget in words, e.g. "20M MACs and 0.5 ms" (0 = no budget of that kind). */
  static String describe(long maxMacs, double maxLatencyMs) {
    String macs = maxMacs > 0 ? CostReport.human(maxMacs) + " MACs" : null;
    String lat = maxLatencyMs > 0 ? String.format(Locale.ROOT, "%.3g ms", maxLatencyMs) : null;
    return macs != null && lat != null ? macs + " and " + lat : macs != null ? macs : lat;
  }

  /** The width's MACs, and its latency only when it is within the MACs budget (else it cannot fit anyway). */
  private static Fit measure(Genotype g, MacroConfig m, Budget b) {
    Graph graph = NetworkBuilder.build(g, m, Preprocessing.identity(m.input().channels()));
    long macs = CostCounter.count(graph, "fit").macs();
    boolean macsFit = b.maxMacs() == 0 || macs <= b.maxMacs();
    if (b.maxLatencyMs() == 0 || !macsFit) {
      return new Fit(m, macs, b.maxLatencyMs() == 0 ? 0 : Double.POSITIVE_INFINITY, macsFit);
    }
    try {
      // the auxiliary head is training-only: the exported network, whose latency counts, has none
      Graph deployed = m.auxiliary() ? NetworkBuilder.build(g, m.withAuxiliary(false),
          Preprocessing.identity(m.input().channels())) : graph;
      double ms = b.latency().ms(deployed);
      return new Fit(m, macs, ms, ms <= b.maxLatencyMs());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(MacroConfig m) {
    return m.hasCells() ? m.kind().id() + "-macro" : m.kind().id();
  }
}
