package dev.nas.cli.compare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.cost.CostReport;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.io.Json;
import dev.nas.core.viz.ScatterPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The comparison's results: per method the mean ± sample standard deviation over its finished
 * seeds of test top-1, parameters, MACs, latency and search time, with every run and genotype;
 * written as {@code results.json}, {@code results.md}, {@code accuracy_vs_macs.svg} and
 * {@code accuracy_vs_latency.svg}.
 */
public record CompareReport(CompareConfig config, List<Long> seeds, List<Summary> summaries, List<RunResult> runs,
    String widthRule, String latencyRule) {
  public static final String JSON = "results.json";
  public static final String MARKDOWN = "results.md";
  public static final String PLOT = "accuracy_vs_macs.svg";
  public static final String LATENCY_PLOT = "accuracy_vs_latency.svg";

  /** Mean and sample standard deviation (0 for a single value). */
  public record Stat(double mean, double std) {
    static Stat of(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
      double[] v = runs.stream().mapToDouble(f).toArray();
      double mean = 0;
      for (double x : v) {
        mean += x / v.length;
      }
      double ss = 0;
      for (double x : v) {
        ss += (x - mean) * (x - mean);
      }
      return new Stat(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0);
    }
  }

  /** One method's row. */
  public record Summary(String method, String kind, int runs, Stat testTop1, Stat params, Stat macs, Stat latencyMs,
      Stat searchSeconds, List<String> genotypes) {}

  /** The report over {@code runs} (those of the requested methods and seeds), methods in the order given. */
  public static CompareReport of(CompareConfig c, List<Method> methods, List<Long> seeds, List<RunResult> runs,
      int threads) {
    List<Summary> summaries = new ArrayList<>();
    for (Method m : methods) {
      List<RunResult> mine = runs.stream().filter(r -> r.method().equals(m.name())).toList();
      if (mine.isEmpty()) {
        continue;
      }
      summaries.add(new Summary(m.name(), m.kind(), mine.size(), Stat.of(mine, RunResult::testTop1),
          Stat.of(mine, RunResult::params), Stat.of(mine, RunResult::macs), Stat.of(mine, RunResult::latencyMs),
          Stat.of(mine, RunResult::searchSeconds),
          mine.stream().map(r -> r.genotype() == null ? r.macro() : r.genotype()).toList()));
    }
    String width = widthRule(c, methods.stream().anyMatch(Method::budgetAware));
    String latency = String.format(Locale.ROOT, "Latency: ONNX Runtime on this machine's CPU, batch 1, %d thread(s), "
        + "p50 of %d iterations after %d warm-up.", threads, c.benchIterations(), c.benchWarmup());
    return new CompareReport(c, List.copyOf(seeds), summaries, List.copyOf(runs), width, latency);
  }

  /** How the networks were brought to the budget, in words. */
  private static String widthRule(CompareConfig c, boolean budgetAware) {
    String cells = c.cellMacro().video() ? String.format(Locale.ROOT, "the %s macro with K=%d, C1=%d",
        c.cellMacro().id(), c.repeat(), c.stemChannels()) : String.format(Locale.ROOT, "the %d-cell %s macro",
        c.layers(), c.cellMacro().id());
    String scaled = String.format(Locale.ROOT, "the width of every network is scaled to the largest whose %s — C of %s "
        + "for genotypes (steps of 2), %s — so methods are "
        + "compared at similar cost, not at equal width", c.maxLatencyMs() > 0 && c.maxMacs() > 0
        ? "MACs per sample fit and whose untrained network's latency, measured as below, fits" : c.maxLatencyMs() > 0
        ? "untrained network's latency, measured as below, fits" : "MACs per sample fit", cells,
        c.baselineGenotype().isPresent() ? "the same C for the baseline, the " + c.baselineDescription()
            : "the first-stage width of the " + c.baselineDescription());
    if (!budgetAware) {
      return String.format(Locale.ROOT, "Budget %s: %s.", c.budgetDescription(), scaled);
    }
    return String.format(Locale.ROOT, "Budget %s: %s. Budget-aware methods (`<algo>%s`) instead search with the budget "
        + "as their cost target and hard budget (%s) and keep the width C=%d they searched for.", c.budgetDescription(),
        scaled, Methods.BUDGET_AWARE, c.maxLatencyMs() > 0 ? "latency predicted by the latency table " + (c.lut() == null
        ? "the comparison measured (`" + CompareConfig.TABLE + "`)" : "`" + c.lut() + "`") : "MACs counted exactly",
        c.budgetChannels());
  }

  /** Writes the four files into {@code dir}, each atomically. */
  public void write(Path dir) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.set("settings", Json.MAPPER.valueToTree(config));
    root.set("seeds", Json.MAPPER.valueToTree(seeds));
    root.put("widthRule", widthRule);
    root.put("latency", latencyRule);
    root.put("costConvention", CostReport.CONVENTION);
    root.set("summary", Json.MAPPER.valueToTree(summaries));
    root.set("runs", Json.MAPPER.valueToTree(runs));
    Json.writeFile(dir.resolve(JSON), root);
    AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(dir));
    List<ScatterPlot.Series> series = new ArrayList<>();
    for (Summary s : summaries) {
      series.add(new ScatterPlot.Series(s.method(), runs.stream().filter(r -> r.method().equals(s.method()))
          .map(r -> new double[] {r.macs() / 1e6, 100 * r.testTop1()}).toList()));
    }
    ScatterPlot.write(dir.resolve(PLOT), "test top-1 vs MACs on " + config.dataset() + " (one marker per run)",
        "MACs per sample (millions)", "test top-1 (%)", series);
    List<ScatterPlot.Series> latency = new ArrayList<>();
    for (Summary s : summaries) {
      latency.add(new ScatterPlot.Series(s.method(), runs.stream().filter(r -> r.method().equals(s.method()))
          .map(r -> new double[] {r.latencyMs(), 100 * r.testTop1()}).toList()));
    }
    ScatterPlot.write(dir.resolve(LATENCY_PLOT), "test top-1 vs measured latency on " + config.dataset()
        + " (one marker per run)", "ONNX Runtime latency, batch 1 (ms)", "test top-1 (%)", latency);
  }

  /** The Markdown report. */
  public String markdown(Path dir) {
    CompareConfig c = config;
    StringBuilder sb = new StringBuilder();
    sb.append("# nas compare: ").append(dir).append("\n\n");
    sb.append(String.format(Locale.ROOT, "Dataset %s%s, space %s, seeds %s.%n%n", c.dataset(),
        c.input() == null ? "" : " at " + c.input(), c.space(), seeds));
    sb.append(String.format(Locale.ROOT, "Search: epochs %d (warm-up %d), supernet C=%d %s, batch %d, "
        + "%s search samples, arch lr %.3g. Training (the same recipe for every network, seed = run seed): epochs "
        + "%d, batch %d, SGD lr %.3g cosine to 0, cutout %d, drop-path %.2f, auxiliary head %s.%n%n",
        c.searchEpochs(), c.warmupEpochs(), c.searchChannels(), c.clips() ? String.format(Locale.ROOT,
        "in the %s macro (K=%d, C1=%d)", c.cellMacro().id(), c.repeat(), c.stemChannels()) : "with " + c.searchLayers()
        + " cells", c.searchBatch(),
        c.searchSamples() == 0 ? "all" : Integer.toString(c.searchSamples()), c.archLr(), c.trainEpochs(),
        c.trainBatch(), c.lr(), c.cutout(), c.dropPath(), c.auxiliary() ? "on (weight 0.4, cell networks only)"
        : "off"));
    sb.append(widthRule).append("\n\n").append(latencyRule).append(" MACs and parameters: ")
        .append("conv+FC multiply-adds per sample, learned tensors (`nas flops`' convention).\n\n");
    sb.append("| method | kind | runs | test top-1 (%) | params | MACs | latency (ms) | search time (s) |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Summary s : summaries) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f ± %.2f | %s ± %s | %s ± %s | %.2f ± %.2f | %s |%n",
          s.method(), s.kind(), s.runs(), 100 * s.testTop1().mean(), 100 * s.testTop1().std(),
          CostReport.human(Math.round(s.params().mean())), CostReport.human(Math.round(s.params().std())),
          CostReport.human(Math.round(s.macs().mean())), CostReport.human(Math.round(s.macs().std())),
          s.latencyMs().mean(), s.latencyMs().std(), s.kind().equals("baseline") ? "—"
          : String.format(Locale.ROOT, "%.1f ± %.1f", s.searchSeconds().mean(), s.searchSeconds().std())));
    }
    verdict(sb);
    sb.append("\n## Runs\n\n| method | seed | test top-1 (%) | macro | width | params | MACs | latency (ms) | "
        + "within budget | search (s) | train (s) |\n|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|\n");
    for (RunResult r : runs) {
      sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %d | %s | %s | %.3f | %s | %.1f | %.1f |%n",
          r.method(), r.seed(), 100 * r.testTop1(), r.macro(), r.width(), CostReport.human(r.params()),
          CostReport.human(r.macs()), r.latencyMs(), withinBudget(r) ? "yes" : "**no**", r.searchSeconds(),
          r.trainSeconds()));
    }
    sb.append("\n## Genotypes\n\n");
    for (RunResult r : runs) {
      sb.append(String.format(Locale.ROOT, "- %s, seed %d: %s%n", r.method(), r.seed(), r.genotype() == null
          ? "(hand-crafted " + r.macro() + ", " + r.depth() + " basic blocks per stage)"
          : "`" + r.genotype() + "`"));
    }
    sb.append("\nPlots: `").append(PLOT).append("`, `").append(LATENCY_PLOT).append("`; per-run folders "
        + "`<method>-seed<seed>/` hold the search run, the trained network (`net/`, with `history.json`), `model.onnx` and `result.json`.\n");
    return sb.toString();
  }

  /** Whether the trained network's MACs and its latency measured after training are within the budget. */
  private boolean withinBudget(RunResult r) {
    return (config.maxMacs() == 0 || r.macs() <= config.maxMacs())
        && (config.maxLatencyMs() == 0 || r.latencyMs() <= config.maxLatencyMs());
  }

  /** Which method has the highest mean test top-1, and by how much it beats random sampling. */
  private void verdict(StringBuilder sb) {
    Summary best = summaries.stream().max(java.util.Comparator.comparingDouble(s -> s.testTop1().mean()))
        .orElse(null);
    if (best == null || summaries.size() < 2) {
      return;
    }
    sb.append(String.format(Locale.ROOT, "%nHighest mean test top-1: **%s** (%.2f%%).", best.method(),
        100 * best.testTop1().mean()));
    summaries.stream().filter(s -> s.method().equals("random")).findFirst().ifPresent(r -> {
      for (Summary s : summaries) {
        if (!s.method().equals("random")) {
          double d = 100 * (s.testTop1().mean() - r.testTop1().mean());
          sb.append(String.format(Locale.ROOT, " %s vs random: %+.2f points%s.", s.method(), d,
              s.runs() > 1 && r.runs() > 1 ? String.format(Locale.ROOT, " (std %.2f / %.2f)",
                  100 * s.testTop1().std(), 100 * r.testTop1().std()) : ""));
        }
      }
    });
    sb.append("\n");
    for (Summary b : summaries) {
      if (!b.method().endsWith(Methods.BUDGET_AWARE)) {
        continue;
      }
      String plain = b.method().substring(0, b.method().length() - Methods.BUDGET_AWARE.length());
      for (Summary o : summaries) {
        String versus = o.method().equals(plain) ? (plain.equals("random") ? "random genotypes, width-scaled"
            : "the same search without the budget, width-scaled")
            : o.method().equals("random") ? "random genotypes, width-scaled"
            : o.method().equals("random" + Methods.BUDGET_AWARE) && !b.method().equals(o.method())
            ? "random genotypes that meet the budget at the same width" : null;
        if (versus != null) {
          sb.append(String.format(Locale.ROOT, "%n%s vs %s (%s): %s.", b.method(), o.method(), versus, duel(b, o)));
        }
      }
      sb.append("\n");
    }
  }

  /**
   * Whether {@code a} beat {@code b} in mean test top-1, stated plainly: won or lost when the
   * difference exceeds the larger of the two seeds' standard deviations, else no clear winner; with
   * the mean latencies, since a method under the budget may also have spent less of it.
   */
  static String duel(Summary a, Summary b) {
    double d = 100 * (a.testTop1().mean() - b.testTop1().mean());
    double spread = 100 * Math.max(a.testTop1().std(), b.testTop1().std());
    String verdict = a.runs() < 2 || b.runs() < 2 ? "one seed each, no spread to judge by"
        : Math.abs(d) > spread ? (d > 0 ? "**won**" : "**lost**") + String.format(Locale.ROOT,
            " (the difference exceeds the larger std, %.2f)", spread)
        : String.format(Locale.ROOT, "no clear winner (the difference is within the larger std, %.2f)", spread);
    return String.format(Locale.ROOT, "%+.2f points of test top-1 (%.2f%% vs %.2f%%), %s; latency %.3f vs %.3f ms",
        d, 100 * a.testTop1().mean(), 100 * b.testTop1().mean(), verdict, a.latencyMs().mean(), b.latencyMs().mean());
  }
}
