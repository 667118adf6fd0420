package dev.nas.cli;

import dev.nas.core.io.Json;
import dev.nas.djl.Devices;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.SearchRun;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.config.SearchPreset;
import dev.nas.search.config.SupernetShape;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.Options;

/** {@code nas search}: differentiable architecture search into a run folder. */
final class SearchCommand extends Command {
  String name() {
    return "search";
  }

  String summary() {
    return "search a cell architecture with DARTS (first or second order), DAS, scheduled SDAS or CDARTS on DJL/PyTorch";
  }

  String examples() {
    return "nas search --algo darts --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 --batch 32 "
        + "--out runs/s1\n"
        + "nas search --algo sdas-c --space o2d --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 "
        + "--batch 32 --out runs/s2\n"
        + "nas search --algo pvnas --dataset synthetic --input 3x16x16 --epochs 6 --lr-step 2 --layers 5 --channels 8 "
        + "--batch 32 --out runs/s3\n"
        + "nas search --algo cdarts --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 "
        + "--enet-layers 8 --enet-channels 8 --batch 32 --out runs/c1\n"
        + "nas search --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist --out runs/fm\n"
        + "nas search --out runs/fm --resume";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("algo", "A", SearchOptions.algorithmHelp()));
    o.addOption(opt("preset", "NAME", "start from a paper's search setting; options given override it: "
        + presetHelp()));
    o.addOption(flag("print-config", "print the resolved configuration (JSON) and exit without searching"));
    o.addOption(opt("space", "S", "search space: darts (default; DARTS' 8 operations) or o2d (SDAS' image space: the "
        + "same without none); video spaces (" + String.join(", ", videoSpaces()) + ") take clip datasets"));
    DataOptions.add(o);
    SearchOptions.add(o);
    DataOptions.addScaleJitter(o);
    o.addOption(flag("no-augment", "no random crop / flip during search"));
    o.addOption(opt("device", "D", "cpu (default) or gpu"));
    o.addOption(opt("out", "RUN", "run folder (required)"));
    o.addOption(flag("resume", "continue the search in --out from its last checkpoint"));
    o.addOption(opt("stop-after", "N", "stop after N epochs of this invocation (resume later)"));
    CostOptions.addAll(o);
    o.addOption(flag("ignore-memory-estimate", "start even if the estimated peak memory exceeds what is available"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    boolean resume = a.has("resume");
    SearchAlgorithm named;
    SearchConfig base;
    try {
      SearchPreset preset = a.has("preset") ? SearchPreset.named(a.str("preset", null)) : null;
      if (preset != null && resume) {
        throw new UsageException("--preset starts a new search; --resume continues the stored configuration");
      }
      if (preset != null && a.has("algo") && !a.str("algo", null).equals(preset.algo())) {
        throw new UsageException("--preset " + preset.name() + " runs --algo " + preset.algo() + ", not "
            + a.str("algo", null));
      }
      named = SearchAlgorithms.named(a.str("algo", preset != null ? preset.algo() : "darts"));
      base = preset != null ? preset.config() : null;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (a.has("print-config") && !resume) {
      out.println(Json.write(config(a, base != null ? base : named.defaults())));
      return 0;
    }
    Path run = a.path("out");
    refuseUnresumable(a.has("algo") ? named : null, a);
    SearchConfig cfg = config(a, resume ? SearchRun.storedConfig(run) : base != null ? base : named.defaults());
    if (a.has("print-config")) {
      out.println(Json.write(cfg));
      return 0;
    }
    SearchAlgorithm algorithm = cfg.algorithm();
    refuseUnresumable(algorithm, a);
    SearchResult r = algorithm.run(cfg, run, Devices.parse(a.str("device", "cpu")), System.err,
        new SearchAlgorithm.RunControl(resume, a.integer("stop-after", 0), a.has("ignore-memory-estimate")));
    out.println(r.genotype().describe());
    out.println(r.finished() ? "genotype: " + run.resolve("genotype.json")
        : "paused after epoch " + r.epochsDone() + "; continue with: nas search --out " + run + " --resume");
    if (r.evaluationNetwork() != null) {
      out.println("trained E-Net: " + r.evaluationNetwork() + " (nas export --net " + r.evaluationNetwork()
          + " --format onnx --out model.onnx)");
    }
    return 0;
  }

  private static void refuseUnresumable(SearchAlgorithm algorithm, Args a) {
    for (String o : new String[] {"resume", "stop-after"}) {
      if (algorithm != null && !algorithm.resumable() && a.has(o)) {
        throw new UsageException("--" + o + " is not supported for --algo " + algorithm.name()
            + " (its runs keep no checkpoint, so they cannot be resumed); start a new search with another --out");
      }
    }
  }

  private static String presetHelp() {
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (SearchPreset p : SearchPreset.all()) {
      parts.add(p.name() + " (--algo " + p.algo() + "; " + p.source() + ")");
    }
    return String.join("; ", parts);
  }

  private static java.util.List<String> videoSpaces() {
    return dev.nas.core.ops.SearchSpace.names().stream().filter(n -> dev.nas.core.ops.SearchSpace.named(n).video()).toList();
  }

  /**
   * The configuration from {@code base} (an algorithm's defaults, or a stored configuration on
   * resume), overridden by every option given; another {@code --algo} than base's starts from that
   * algorithm's defaults.
   */
  static SearchConfig config(Args a, SearchConfig b) {
    String algo = a.str("algo", b.algo());
    try {
      if (!algo.equals(b.algo())) {
        SearchConfig d = SearchAlgorithms.named(algo).defaults();
        // a stored configuration keeps its data and shape; the algorithm's own settings are its defaults
        b = d.withSeed(b.seed()).withDataAndSupernet(b.data(), b.supernet()).withSchedule(d.schedule()
            .withEpochs(b.schedule().epochs(), Math.min(b.schedule().warmupEpochs(), b.schedule().epochs() - 1)));
      }
      String dataset = DataOptions.dataset(a, b.data().dataset());
      String space = a.str("space", b.supernet().space());
      DataOptions.checkSpace(dataset, space);
      SupernetShape s = b.supernet();
      // data and space change together: a clip dataset needs a video space and the other way round
      b = b.withDataAndSupernet(b.data().withDataset(dataset, DataOptions.dataDir(a, dataset, b.data().dataDir()),
          DataOptions.input(a, dataset, b.data().input()), DataOptions.classes(a, dataset, b.data().classes()))
          .withSamples(a.integer("train-samples", b.data().trainSamples()),
              a.integer("test-samples", b.data().testSamples())),
          space.equals(s.space()) ? s : s.withSpace(space));
      return CostOptions.apply(a, SearchOptions.apply(a, b));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
