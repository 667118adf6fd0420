package dev.nas.cli;

import dev.nas.search.SearchConfig;
import dev.nas.search.cost.CostMetric;
import dev.nas.search.cost.CostPenalty;
import dev.nas.search.cost.CostSettings;
import dev.nas.search.cost.DerivedShape;
import dev.nas.search.cost.PenaltyCost;
import java.util.List;
import org.apache.commons.cli.Options;

/**
 * The options of a cost-aware search ({@code nas search}, and the target options of
 * {@code nas pipeline}): a target the architecture step is penalised towards, the derived network
 * whose cost it is, and hard budgets for the written genotype.
 */
final class CostOptions {
  private CostOptions() {}

  static final List<String> TARGETS = List.of("target-macs", "target-params", "target-latency");
  static final List<String> NET = List.of("net-macro", "net-channels", "net-layers", "net-repeat", "net-stem-channels");
  private static final List<String> BUDGETS = List.of("max-macs", "max-params", "max-latency");

  /** The target options, the penalty and the latency table: what {@code nas search} and {@code nas pipeline} share. */
  static void addTargets(Options o) {
    o.addOption(Command.opt("target-macs", "N", "cost-aware search: penalise the expected MACs of the derived "
        + "network towards N (per sample, nas flops' convention; e.g. 20M)"));
    o.addOption(Command.opt("target-params", "N", "cost-aware search: the same for learned parameters"));
    o.addOption(Command.opt("target-latency", "MS", "cost-aware search: the same for latency in ms as predicted by "
        + "--lut (a table measured here by nas lut)"));
    o.addOption(Command.opt("lut", "FILE", "latency table (nas lut) for --target-latency and --max-latency"));
    o.addOption(Command.opt("cost-penalty", "P", "how the expected cost E enters the architecture loss L: add-linear "
        + "(default; L + λ·max(0, E/target − 1)), add-symmetric (L + λ·|E/target − 1|) or mul-log "
        + "(L·(log E / log target)^β, FBNet)"));
    o.addOption(Command.opt("penalty-cost", "C", "the cost the penalty is taken at: expected (default; the cost "
        + "expected under the mixing weights) or derived (the genotype the current α derives, with the expected "
        + "cost's gradient: the penalty falls silent once the genotype fits the target)"));
    o.addOption(Command.opt("latency-margin", "PCT", "a latency budget holds the table's prediction this many percent "
        + "below the limit (default: the table's largest calibration error; 0 trusts the prediction)"));
    o.addOption(Command.opt("cost-weight", "X", "λ of the additive penalties (default 1), β of mul-log (default 0.6)"));
  }

  /** Every cost option of {@code nas search}. */
  static void addAll(Options o) {
    addTargets(o);
    o.addOption(Command.opt("net-macro", "M", "cost-aware search: macro of the network that will be derived (default:"
        + " the supernet's, at its evaluation size)"));
    o.addOption(Command.opt("net-channels", "C", "width of the network that will be derived (default: the macro's "
        + "evaluation network, e.g. 36 for cifar)"));
    o.addOption(Command.opt("net-layers", "L", "cells of the network that will be derived (image macros; default "
        + "the macro's, 20 for cifar)"));
    o.addOption(Command.opt("net-repeat", "K", "video macros: normal cells per stage of the derived network"));
    o.addOption(Command.opt("net-stem-channels", "C1", "video macros: stem width of the derived network"));
    o.addOption(Command.opt("max-macs", "N", "hard budget: the written genotype's network has at most N MACs (e.g. 20M)"));
    o.addOption(Command.opt("max-params", "N", "hard budget on learned parameters"));
    o.addOption(Command.opt("max-latency", "MS", "hard budget on latency as --lut predicts it, in ms"));
  }

  /** A cost target from the command line. */
  record Target(CostMetric metric, double value) {}

  /** The one target option given ({@code --target-macs|params|latency}), or null; two are refused. */
  static Target target(Args a) {
    Target t = null;
    for (CostMetric m : CostMetric.values()) {
      if (a.has("target-" + m.id())) {
        if (t != null) {
          throw new UsageException("give one of --target-macs, --target-params, --target-latency");
        }
        // counts take suffixes (20M) as nas check's budgets do; latency is a plain number of ms
        t = new Target(m, m == CostMetric.LATENCY ? a.number("target-latency", 0)
            : a.count("target-" + m.id()).getAsLong());
      }
    }
    return t;
  }

  /** Whether any cost option is given. */
  static boolean given(Args a) {
    return TARGETS.stream().anyMatch(a::has) || NET.stream().anyMatch(a::has) || BUDGETS.stream().anyMatch(a::has)
        || a.has("lut") || a.has("cost-penalty") || a.has("cost-weight") || a.has("latency-margin")
        || a.has("penalty-cost");
  }

  /**
   * {@code c} with the cost options of {@code a} over its own cost settings (a stored run's, on
   * resume); unchanged when none is given.
   */
  static SearchConfig apply(Args a, SearchConfig c) {
    if (!given(a)) {
      return c;
    }
    CostSettings old = c.cost();
    Target given = target(a);
    CostMetric metric = given != null ? given.metric() : old == null ? null : old.metric();
    double target = given != null ? given.value() : old == null ? 0 : old.target();
    DerivedShape net = old == null ? new DerivedShape(null, 0, 0, 0, 0) : old.net();
    net = new DerivedShape(a.str("net-macro", net.macro()), a.integer("net-channels", net.channels()),
        a.integer("net-layers", net.layers()), a.integer("net-repeat", net.repeat()),
        a.integer("net-stem-channels", net.stemChannels()));
    try {
      CostPenalty penalty = a.has("cost-penalty") ? CostPenalty.parse(a.str("cost-penalty", null))
          : old == null ? null : old.penalty();
      // a new penalty form starts from its own default weight
      double weight = a.has("cost-weight") ? a.number("cost-weight", 0)
          : old == null || a.has("cost-penalty") ? 0 : old.weight();
      return c.withCost(new CostSettings(metric, target, penalty, weight, net, a.str("lut", old == null ? null
          : old.lut()), a.count("max-macs").orElse(old == null ? 0 : old.maxMacs()), a.count("max-params")
          .orElse(old == null ? 0 : old.maxParams()), a.number("max-latency", old == null ? 0 : old.maxLatency()),
          a.has("latency-margin") ? Double.valueOf(a.number("latency-margin", 0)) : old == null ? null
              : old.latencyMargin(), a.has("penalty-cost") ? PenaltyCost.parse(a.str("penalty-cost", null))
              : old == null ? null : old.penaltyCost()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
