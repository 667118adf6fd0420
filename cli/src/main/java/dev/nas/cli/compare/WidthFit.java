package dev.nas.cli.compare;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;

/**
 * Scales a proposal to the MACs budget: the largest width (C of the cifar macro, in steps of 2 as
 * FactorizedReduce halves it; the ResNet's first-stage width, in steps of 1) whose network needs at
 * most {@code maxMacs} multiply-adds per sample. MACs grow with width, so a doubling then bisection
 * finds it with a few dozen graph builds.
 */
public final class WidthFit {
  /** Widths above this are not tried: far beyond what a CPU comparison trains. */
  public static final int MAX_WIDTH = 4096;

  /** The fitted macro and its MACs. */
  public record Fit(MacroConfig macro, long macs) {}

  private WidthFit() {}

  /** The macro of the largest width within budget; fails when even the narrowest network exceeds it. */
  public static Fit fit(Genotype g, MacroConfig.Kind kind, int layers, int classes, FeatureShape input, boolean aux,
      long maxMacs) {
    int step = kind == MacroConfig.Kind.RESNET ? 1 : 2;
    long narrow = macs(g, macro(kind, step, layers, classes, input, aux));
    if (narrow > maxMacs) {
      throw new IllegalArgumentException(String.format("even the narrowest %s network (width %d) needs %s MACs, "
          + "above the budget of %s; raise --max-macs or use fewer --layers", describe(g, kind), step,
          CostReport.human(narrow), CostReport.human(maxMacs)));
    }
    int lo = 1; // in units of step: lo fits, hi does not
    int hi = 2;
    while (hi * step <= MAX_WIDTH && macs(g, macro(kind, hi * step, layers, classes, input, aux)) <= maxMacs) {
      lo = hi;
      hi *= 2;
    }
    hi = Math.min(hi, MAX_WIDTH / step + 1);
    while (hi - lo > 1) {
      int mid = (lo + hi) / 2;
      if (macs(g, macro(kind, mid * step, layers, classes, input, aux)) <= maxMacs) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    MacroConfig m = macro(kind, lo * step, layers, classes, input, aux);
    return new Fit(m, macs(g, m));
  }

  private static String describe(Genotype g, MacroConfig.Kind kind) {
    return g == null ? kind.id() : kind.id() + "-macro";
  }

  private static MacroConfig macro(MacroConfig.Kind kind, int width, int layers, int classes, FeatureShape input,
      boolean aux) {
    return new MacroConfig(kind, width, layers, classes, input, aux && kind != MacroConfig.Kind.RESNET);
  }

  private static long macs(Genotype g, MacroConfig m) {
    return CostCounter.count(NetworkBuilder.build(g, m, Preprocessing.identity(m.input().channels())), "fit").macs();
  }
}
