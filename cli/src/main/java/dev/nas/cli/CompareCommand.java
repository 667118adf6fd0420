package dev.nas.cli;

import dev.nas.cli.compare.CompareConfig;
import dev.nas.cli.compare.CompareExecutor;
import dev.nas.cli.compare.CompareReport;
import dev.nas.cli.compare.CompareRun;
import dev.nas.cli.compare.Method;
import dev.nas.cli.compare.Methods;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Options;

/**
 * {@code nas compare}: search methods (plain and budget-aware), random genotypes and a hand-crafted
 * baseline, over seeds, at one MACs and/or measured-latency budget.
 */
final class CompareCommand extends Command {
  String name() {
    return "compare";
  }

  String summary() {
    return "compare search methods, random genotypes and a ResNet over seeds at one MACs or latency budget and training "
        + "recipe";
  }

  String examples() {
    return "nas compare --methods random,darts --seeds 2 --search-epochs 2 --train-epochs 3 --out compare/synthetic\n"
        + "nas compare --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist --space darts "
        + "--methods random,darts,sdas-b --seeds 3 --max-macs 20M --search-epochs 10 --train-epochs 10 "
        + "--train-samples 10000 --out compare/fmnist\n"
        + "nas compare ... --out compare/fmnist       # the same command again: finished runs are skipped\n"
        + "nas-cluster compare --executor spark --spark-master local[2] ...   # two runs at a time, embedded Spark\n"
        + "nas-cluster compare --executor spark --spark-master spark://127.0.0.1:7077 --spark-conf "
        + "spark.task.maxFailures=4 ...";
  }

  Options options() {
    Options o = common(new Options());
    DataOptions.add(o);
    o.addOption(opt("space", "S", "search space: darts (default) or o2d for images; a video space for clips (default "
        + "o3d; o2d-video, oadv, pvnas, ...), whose networks are retrained in its video macro"));
    o.addOption(opt("repeat", "K", "video spaces: normal cells per stage of supernets and networks (default 1)"));
    o.addOption(opt("stem-channels", "C1", "video spaces: stem width of supernets and networks (default 8)"));
    o.addOption(opt("methods", "LIST", "comma-separated methods (default random,darts,sdas-b); known: "
        + String.join(", ", Methods.names().stream().filter(n -> !n.endsWith(Methods.BUDGET_AWARE)).toList())
        + "; every search algorithm also as <algo>" + Methods.BUDGET_AWARE + ", with the budget in its objective"));
    o.addOption(opt("baselines", "LIST", "hand-crafted baselines run as well (default resnet; none for none)"));
    o.addOption(opt("seeds", "N|LIST", "seeds 0..N-1, or a comma-separated list of seeds (default 3)"));
    o.addOption(opt("max-macs", "N", "MACs budget per sample, e.g. 20M: every network's width is scaled to the "
        + "largest that fits (default 10M, none when --max-latency-ms is given alone)"));
    o.addOption(opt("max-latency-ms", "T", "latency budget, ms at batch 1 on ONNX Runtime CPU with --threads: every "
        + "network's width is scaled to the largest whose measured latency fits (with --max-macs: both fit)"));
    o.addOption(opt("budget-channels", "C", "width of the networks of budget-aware methods (<algo>" + Methods.BUDGET_AWARE
        + "), which fit the budget by their genotype at this width (default " + CompareConfig.DEFAULT_BUDGET_CHANNELS
        + ")"));
    o.addOption(opt("lut", "FILE", "latency table of the budget-aware networks (nas lut, ort, batch 1, --threads); "
        + "default: measured into the comparison folder before the first budget-aware run"));
    o.addOption(opt("search-epochs", "E", "search epochs (default 3)"));
    o.addOption(opt("search-layers", "L", "supernet cells (default 5)"));
    o.addOption(opt("search-channels", "C", "supernet width (default 8)"));
    o.addOption(opt("search-batch", "B", "search batch size (default 32)"));
    o.addOption(opt("search-samples", "N", "training samples the searches use, halved into weights and α splits "
        + "(default: --train-samples)"));
    o.addOption(opt("warmup-epochs", "N", "search epochs with α frozen (default 1, or 0 for a one-epoch search)"));
    o.addOption(opt("arch-lr", "X", "Adam learning rate of α and β (default 3e-3, as nas pipeline)"));
    o.addOption(opt("layers", "L", "cells of every derived network (default 8)"));
    o.addOption(opt("resnet-blocks", "N", "basic blocks per stage of the ResNet baseline (default 3: ResNet-20; in "
        + "the nb201 space the baseline is the benchmark's ResNet cell nb201_resnet in its macro)"));
    o.addOption(opt("train-epochs", "E", "training epochs of every network (default 10)"));
    o.addOption(opt("train-batch", "B", "training batch size (default 64)"));
    o.addOption(opt("lr", "X", "training learning rate, cosine-annealed to 0 (default 0.05)"));
    o.addOption(opt("cutout", "N", "cutout square side, 0 for none (default 8)"));
    o.addOption(opt("drop-path", "P", "final drop-path probability of cell networks (default 0)"));
    o.addOption(flag("auxiliary", "train cell networks with DARTS' auxiliary head (weight 0.4; the ResNet has none)"));
    o.addOption(opt("bench-iterations", "N", "timed ONNX Runtime iterations per network (default 20)"));
    o.addOption(opt("bench-warmup", "N", "untimed warm-up iterations (default 3)"));
    o.addOption(opt("device", "D", "cpu (default) or gpu for search and training"));
    o.addOption(opt("out", "DIR", "comparison folder (required); rerun the same command to continue it"));
    o.addOption(opt("executor", "E", "local (default: one run after another in this JVM) or spark (every run a "
        + "Spark task; needs ./nas-cluster)"));
    o.addOption(opt("spark-master", "URL", "with --executor spark: local[N] (embedded, N runs at a time; default "
        + "local[*]) or spark://HOST:PORT of a standalone cluster"));
    o.addOption(opt("spark-conf", "KEY=VALUE", "with --executor spark: a Spark setting, e.g. spark.task.maxFailures=4 "
        + "(repeatable)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    Path dir = a.path("out");
    CompareConfig cfg = config(a);
    List<Method> methods;
    try {
      List<String> names = new ArrayList<>(list(a.str("methods", "random,darts,sdas-b")));
      String baselines = a.str("baselines", "resnet");
      if (!baselines.equals("none")) {
        names.addAll(list(baselines));
      }
      methods = Methods.named(names);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    List<Long> seeds = seeds(a.str("seeds", "3"));
    CompareRun.Outcome o;
    try (CompareExecutor executor = executor(a)) {
      o = new CompareRun(cfg, dir, methods, seeds, executor, System.err).execute();
    }
    out.printf("%d run(s) done now, %d already finished%n", o.ran().size(), o.skipped().size());
    String md = o.report().markdown(dir);
    out.print(md.substring(0, md.indexOf("\n## Runs")));
    out.println();
    out.println("results: " + dir.resolve(CompareReport.MARKDOWN) + ", " + dir.resolve(CompareReport.JSON) + ", "
        + dir.resolve(CompareReport.PLOT) + ", " + dir.resolve(CompareReport.LATENCY_PLOT));
    return 0;
  }

  private static CompareExecutor executor(Args a) {
    Map<String, String> conf = new LinkedHashMap<>();
    for (String kv : a.all("spark-conf")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--spark-conf takes KEY=VALUE, not '" + kv + "'");
      }
      conf.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    CompareExecutor.Settings s = new CompareExecutor.Settings(a.str("device", "cpu"),
        a.has("threads") ? a.integer("threads", 0) : null, a.str("spark-master", null), conf, System.err);
    try {
      return CompareExecutor.open(a.str("executor", "local"), s);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static List<String> list(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  static List<Long> seeds(String s) {
    try {
      if (!s.contains(",")) {
        int n = Integer.parseInt(s.trim());
        if (n < 1) {
          throw new UsageException("--seeds must be at least 1");
        }
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
          out.add(i);
        }
        return out;
      }
      List<Long> out = list(s).stream().map(Long::parseLong).toList();
      if (out.stream().distinct().count() != out.size()) {
        throw new UsageException("--seeds lists a seed twice: " + s);
      }
      return out;
    } catch (NumberFormatException e) {
      throw new UsageException("--seeds takes a count or a comma-separated list of integers, not '" + s + "'");
    }
  }

  static CompareConfig config(Args a) {
    String dataset = DataOptions.dataset(a, "synthetic");
    boolean clips = DataOptions.clips(dataset);
    String space = a.str("space", clips ? "o3d" : "darts");
    DataOptions.checkSpace(dataset, space);
    boolean synthetic = dataset.equals("synthetic");
    String input = DataOptions.input(a, dataset, synthetic ? PipelineCommand.DEFAULT_INPUT : null);
    int trainSamples = a.integer("train-samples", synthetic ? 2000 : 0);
    int searchEpochs = a.integer("search-epochs", 3);
    try {
      return new CompareConfig(dataset, DataOptions.dataDir(a, dataset, null), input, a.integer("classes", 10),
          trainSamples, a.integer("test-samples", synthetic ? 1000 : 0), space,
          a.count("max-macs").orElse(a.has("max-latency-ms") ? 0L : 10_000_000L), searchEpochs, a.integer("search-layers", 5),
          a.integer("search-channels", 8), a.integer("search-batch", 32), a.integer("search-samples", trainSamples),
          a.integer("warmup-epochs", searchEpochs > 1 ? 1 : 0), a.number("arch-lr", 3e-3), a.integer("layers", 8),
          a.integer("resnet-blocks", 3), a.integer("train-epochs", 10), a.integer("train-batch", 64),
          a.number("lr", 0.05), a.integer("cutout", 8), a.number("drop-path", 0), a.has("auxiliary"),
          a.integer("bench-warmup", 3), a.integer("bench-iterations", 20), a.number("max-latency-ms", 0),
          a.integer("budget-channels", 0), a.str("lut", null), a.integer("repeat", 0),
          a.integer("stem-channels", 0)).validated();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
