package dev.nas.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.cli.PipelinePreset.NetworkShape;
import dev.nas.core.bench.BenchComparison;
import dev.nas.core.bench.BenchReport;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.core.budget.Verdict;
import dev.nas.core.cost.CostReport;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.run.Progress;
import dev.nas.core.viz.CellDiagram;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.djl.Devices;
import dev.nas.djl.DjlBenchmark;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.bench.OrtBenchmark;
import dev.nas.runtime.check.Budgets;
import dev.nas.runtime.lut.LutMeasurement;
import dev.nas.runtime.lut.OrtPartTimer;
import dev.nas.runtime.lut.PartTimer;
import dev.nas.runtime.onnx.OnnxCostCounter;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.cost.CostMetric;
import dev.nas.search.cost.CostPenalty;
import dev.nas.search.cost.CostSettings;
import dev.nas.search.cost.PenaltyCost;
import dev.nas.search.cost.DerivedShape;
import dev.nas.train.LrPolicy;
import dev.nas.train.TrainConfig;
import dev.nas.train.TrainResult;
import dev.nas.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.commons.cli.Options;

/**
 * {@code nas pipeline}: search → derive → train → export → check → bench in one run folder, with
 * a summary report. Its defaults are sized to finish in minutes on two CPU cores.
 */
final class PipelineCommand extends Command {
  String name() {
    return "pipeline";
  }

  String summary() {
    return "search, derive, train, export, check and benchmark in one run folder, with a summary report";
  }

  String examples() {
    return "nas pipeline\n"
        + "nas pipeline --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist --search-epochs 10 "
        + "--train-epochs 10 --out runs/fm";
  }

  /** The small default job: synthetic 3x16x16 shapes, 10 classes. */
  static final String DEFAULT_INPUT = "3x16x16";

  Options options() {
    Options o = common(new Options());
    DataOptions.add(o);
    DataOptions.addFrameStride(o);
    DataOptions.addScaleJitter(o);
    DataOptions.addClipWindows(o);
    o.addOption(opt("algo", "A", "search algorithm (see nas search): " + SearchOptions.algorithmHelp()));
    o.addOption(opt("space", "S", "search space: darts (default) or o2d"));
    o.addOption(opt("search-epochs", "E", "search epochs (default 3)"));
    o.addOption(opt("search-layers", "L", "supernet cells (default 5)"));
    o.addOption(opt("search-channels", "C", "supernet width (default 4)"));
    o.addOption(opt("search-batch", "B", "search batch size (default 32)"));
    o.addOption(opt("partial-channels", "K", "PC-DARTS partial channel connections of the search: 1/K of each "
        + "edge's channels computed (default 1: all)"));
    o.addOption(opt("warmup-epochs", "N", "search epochs that train only the weights before α starts to learn "
        + "(default 1, or 0 when the search has a single epoch)"));
    o.addOption(opt("search-samples", "N", "training samples the search uses, split in half for weights and α "
        + "(default: --train-samples)"));
    o.addOption(opt("arch-lr", "X", "Adam learning rate of α (default 3e-3: ten times DARTS', as the default search "
        + "is about a hundred times shorter)"));
    o.addOption(opt("train-epochs", "E", "training epochs of the derived network (default 16)"));
    o.addOption(opt("macro", "M", "macro of the derived network: cifar, imagenet, video-sdas or video-pvnas (default: "
        + "the space's, cifar for image spaces)"));
    o.addOption(opt("layers", "L", "cells of the derived network (default " + NetworkShape.SMALL.layers()
        + "; image macros)"));
    o.addOption(opt("repeat", "K", "video macros: normal cells per stage of the derived network (default "
        + NetworkShape.SMALL.repeat() + ")"));
    o.addOption(opt("stem-channels", "C1", "video macros: stem width of the search and derived networks (default "
        + NetworkShape.SMALL.stemChannels() + ")"));
    o.addOption(opt("channels", "C", "width of the derived network (default " + NetworkShape.SMALL.channels() + ")"));
    o.addOption(opt("dropout", "P", "dropout before the derived network's classifier while training (default 0)"));
    o.addOption(opt("train-batch", "B", "training batch size (default 64)"));
    o.addOption(opt("train-lr-schedule", "S", "training learning rate: cosine (default) or exponential"));
    o.addOption(opt("train-lr-decay", "X", "factor per epoch of the exponential schedule (default 0.97)"));
    o.addOption(opt("train-warmup-epochs", "N", "epochs of linear learning-rate warm-up in training (default 0)"));
    o.addOption(opt("train-test-crops", "N", "testing the trained network, as nas train --test-crops: "
        + DataOptions.TEST_CROPS_HELP));
    o.addOption(opt("train-clips", "N", "video-folder: test clips per video of the trained network, as nas train "
        + "--clips (default 3)"));
    o.addOption(opt("seed", "S", "random seed (default 2)"));
    CostOptions.addTargets(o);
    o.addOption(opt("max-macs", "N", "MACs budget checked at the end (default 600M); given explicitly, also a hard "
        + "budget of the search's genotype"));
    o.addOption(opt("max-params", "N", "parameter budget (default 6M); given explicitly, also a hard budget of the "
        + "search's genotype"));
    o.addOption(opt("max-latency-ms", "MS", "ONNX Runtime p50 latency budget at batch 1 (default 50)"));
    o.addOption(opt("bench-batch", "B", "batch sizes of the benchmark (default 1,32)"));
    o.addOption(opt("device", "D", "cpu (default) or gpu for search and training"));
    o.addOption(opt("out", "RUN", "run folder (default runs/pipeline-<time>)"));
    o.addOption(flag("print-config", "print the resolved configuration of every stage (JSON) and exit without running"));
    o.addOption(opt("preset", "NAME", "a paper's experiment end to end (search setting, evaluation network, retraining"
        + " recipe); options given override it: " + String.join(", ", PipelinePreset.all().stream()
            .map(PipelinePreset::name).toList())));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    long start = System.nanoTime();
    Path run = a.has("out") ? a.path("out")
        : Path.of("runs", "pipeline-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()));
    if (!a.has("print-config") && Files.exists(run) && Files.list(run).findAny().isPresent()) {
      throw new UsageException(run + " already exists and is not empty; choose another --out");
    }
    PipelinePreset preset;
    try {
      preset = a.has("preset") ? PipelinePreset.named(a.str("preset", null)) : null;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (preset != null && a.has("algo") && !a.str("algo", null).equals(preset.search().algo())) {
      throw new UsageException("--preset " + preset.name() + " runs --algo " + preset.search().algo() + ", not "
          + a.str("algo", null));
    }
    SearchConfig base = preset == null ? null : preset.search().config();
    String dataset = DataOptions.dataset(a, base == null ? "synthetic" : base.data().dataset());
    boolean synthetic = dataset.equals("synthetic");
    String input = DataOptions.input(a, dataset, base != null ? base.data().input() : synthetic ? DEFAULT_INPUT : null);
    String algo = a.str("algo", base == null ? "darts" : base.algo());
    long seed = a.longValue("seed", 2);
    int trainSamples = a.integer("train-samples", synthetic ? 2000 : 0);
    int testSamples = a.integer("test-samples", synthetic ? 1000 : 0);
    var device = Devices.parse(a.str("device", "cpu"));
    Map<String, Double> stageSeconds = new LinkedHashMap<>();

    // 1. search
    long t = System.nanoTime();
    SearchConfig sc;
    try {
      sc = base == null ? smallSearch(a, algo, dataset, input, trainSamples, testSamples, seed)
          : presetSearch(a, base, dataset, input, trainSamples, testSamples, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    sc = withCosts(a, sc, preset, run, a.has("print-config"));
    if (a.has("print-config")) {
      out.println(Json.write(printedConfig(a, sc, dataset, input, trainSamples, testSamples, seed, preset)));
      return 0;
    }
    FeatureShape known = derivedInput(a, sc, preset, input);
    if (known != null) {
      // the training stage's settings are refused now rather than after the search
      trainConfig(a, dataset, sc, trainSamples, testSamples, seed, known, preset);
    }
    Files.createDirectories(run);
    stage(out, "1/6 search (" + sc.algo() + ")");
    SearchResult search = sc.algorithm().run(sc, run.resolve("search"), device, System.err,
        SearchAlgorithm.RunControl.FRESH);
    CellDiagram.write(search.genotype(), run.resolve("cells.svg"));
    stageSeconds.put("search", secs(t));

    // 2. derive: the found cells in the space's macro (or --macro) at the dataset's input size
    t = System.nanoTime();
    stage(out, "2/6 derive");
    MacroConfig macro;
    try {
      macro = network(a, sc, preset).config(search.classes(), search.input());
      NetworkBuilder.requireFits(sc.space(), macro);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    FeatureShape in = macro.input();
    Path netDir = run.resolve("net");
    DeriveCommand.write(netDir, NetworkSpec.of(search.genotype(), macro), seed);
    stageSeconds.put("derive", secs(t));

    // 3. train
    t = System.nanoTime();
    stage(out, "3/6 train");
    TrainConfig tc = trainConfig(a, dataset, sc, trainSamples, testSamples, seed, in, preset);
    TrainResult trained = new Trainer(tc, device, System.err).train(NetworkFolder.read(netDir), run.resolve("trained"));
    stageSeconds.put("train", secs(t));

    // 4. export
    t = System.nanoTime();
    stage(out, "4/6 export");
    NetworkFolder net = NetworkFolder.read(run.resolve("trained"));
    Path onnx = run.resolve("model.onnx");
    OnnxFiles.write(onnx, OnnxExporter.export(net.spec(), net.graph(), net.weights()));
    CostReport cost = OnnxCostCounter.count(onnx);
    stageSeconds.put("export", secs(t));

    // 5. check and 6. bench
    t = System.nanoTime();
    stage(out, "5/6 check");
    List<Integer> benchBatches = a.integers("bench-batch", "1,32");
    Bencher bencher = Bencher.iterations(5, 30);
    List<BenchResult> ort = new OrtBenchmark(Nas.threads(), bencher, 0).run(onnx, benchBatches);
    double p50 = ort.stream().filter(r -> r.batchSize() == 1).findFirst().orElse(ort.get(0)).latency().p50Ms();
    Budgets budgets = new Budgets(java.util.OptionalLong.of(a.count("max-macs").orElse(600_000_000L)),
        java.util.OptionalLong.of(a.count("max-params").orElse(6_000_000L)),
        OptionalDouble.of(a.optionalNumber("max-latency-ms").orElse(50)));
    List<Verdict> verdicts = budgets.evaluate(cost, OptionalDouble.of(p50));
    stageSeconds.put("check", secs(t));
    t = System.nanoTime();
    stage(out, "6/6 bench (ONNX Runtime vs DJL)");
    List<BenchResult> all = new ArrayList<>(ort);
    all.addAll(new DjlBenchmark(bencher, device, 0).run(net, benchBatches));
    BenchReport report = BenchReport.of(all);
    report.writeJson(run.resolve("bench.json"));
    stageSeconds.put("bench", secs(t));
    double total = secs(start);

    List<CostOutcome> outcomes = costOutcomes(sc, search, cost, p50);
    ObjectNode summary = summary(run, sc, search, trained, cost, verdicts, report, stageSeconds, total);
    ArrayNode targets = summary.putArray("costTargets");
    outcomes.forEach(o -> targets.add(Json.MAPPER.valueToTree(o)));
    Json.writeFile(run.resolve("summary.json"), summary);
    String md = markdown(run, sc, search, macro, trained, cost, verdicts, report, stageSeconds, total, outcomes);
    AtomicFiles.writeString(run.resolve("summary.md"), md);
    out.println();
    out.print(md);
    return verdicts.stream().allMatch(Verdict::passed) ? 0 : CheckCommand.OVER_BUDGET;
  }

  /**
   * The search's cost settings from the target options, for the network this pipeline derives
   * (its --macro, --channels, --layers / --repeat, --stem-channels); the budgets given explicitly
   * also bind the search's genotype. Unchanged without a target or explicit budget.
   */
  private static SearchConfig withCosts(Args a, SearchConfig sc, PipelinePreset preset, Path run, boolean dryRun)
      throws java.io.IOException {
    boolean target = CostOptions.TARGETS.stream().anyMatch(a::has);
    if (!target && !a.has("max-macs") && !a.has("max-params")) {
      if (a.has("lut") || a.has("cost-penalty") || a.has("cost-weight") || a.has("latency-margin")
          || a.has("penalty-cost")) {
        throw new UsageException("--lut, --cost-penalty, --cost-weight, --penalty-cost and --latency-margin go with a target: "
            + "--target-macs, --target-params or --target-latency");
      }
      return sc;
    }
    NetworkShape shape = network(a, sc, preset);
    if (shape.input() != null) {
      throw new UsageException("a cost target or budget is counted for the network at the search's input, but --preset "
          + preset.name() + " retrains at " + shape.input() + "; give --input to derive at the search's size");
    }
    DerivedShape net = shape.derivedShape();
    CostOptions.Target given = CostOptions.target(a);
    CostMetric metric = given == null ? null : given.metric();
    double value = given == null ? 0 : given.value();
    String lut = a.str("lut", null);
    if (lut == null && metric == CostMetric.LATENCY) {
      lut = run.resolve("lut.json").toString();
      if (!dryRun) {
        measureTable(sc, net, Path.of(lut));
      }
    }
    if (lut != null && !dryRun) {
      requireMeasuredLikeTheCheck(Path.of(lut));
    }
    try {
      return sc.withCost(new CostSettings(metric, value, a.has("cost-penalty")
          ? CostPenalty.parse(a.str("cost-penalty", null)) : null, a.number("cost-weight", 0), net, lut,
          a.count("max-macs").orElse(0), a.count("max-params").orElse(0),
          lut != null && a.has("max-latency-ms") ? a.number("max-latency-ms", 0) : 0,
          a.has("latency-margin") ? Double.valueOf(a.number("latency-margin", 0)) : null,
          a.has("penalty-cost") ? PenaltyCost.parse(a.str("penalty-cost", null)) : null));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The latency table of the network this pipeline derives, measured as its check measures the
   * exported network (ONNX Runtime CPU, --threads, batch 1) and calibrated on five random networks.
   */
  private static void measureTable(SearchConfig sc, DerivedShape shape, Path file) throws java.io.IOException {
    if (sc.data().input() == null) {
      throw new UsageException("--target-latency measures a latency table before the search, which needs the input "
          + "size: give --input, or a table with --lut");
    }
    MacroConfig.Kind supernet = sc.supernet().macroKind();
    FeatureShape in = supernet.parseInput(sc.data().input());
    MacroConfig macro = shape.macro(supernet, in, sc.data().classes());
    dev.nas.derive.cost.CostPositions positions = dev.nas.derive.cost.CostPositions.of(sc.space(), macro,
        dev.nas.derive.Preprocessing.identity(in.channels()));
    Files.createDirectories(file.toAbsolutePath().getParent());
    LatencyTable.Settings settings = new LatencyTable.Settings(5, 30);
    try (PartTimer timer = OrtPartTimer.open(ExecutionProvider.CPU, Nas.threads(), 1,
        Bencher.iterations(settings.warmup(), settings.iterations()), 0)) {
      LutMeasurement.Calibrated t = LutMeasurement.measureCalibrated(positions,
          dev.nas.derive.Preprocessing.identity(in.channels()), timer, settings, 5, 0, file);
      Progress.clearLine(System.err);
      System.err.printf(Locale.ROOT, "latency table %s: %d parts; calibrated on 5 random networks, mean error %.1f%% "
          + "-> %.1f%%%n", file, t.table().entries().size(), t.calibration().calibration().mapeBefore(),
          t.calibration().calibration().mapeAfter());
    }
  }

  /** The check measures on ONNX Runtime CPU at batch 1 with --threads: a table of anything else would not compare. */
  private static void requireMeasuredLikeTheCheck(Path lut) throws java.io.IOException {
    LatencyTable.Provenance p = LatencyTable.read(lut).provenance();
    if (!p.runtime().equals("ort") || p.threads() != Nas.threads() || p.batch() != 1) {
      throw new UsageException("nas pipeline checks latency on ONNX Runtime CPU (ort) at batch 1 with " + Nas.threads()
          + " thread(s); --lut " + lut + " was measured with " + p.runtime() + ", " + p.threads() + " thread(s), batch "
          + p.batch() + " (measure one with nas lut --runtime ort --threads " + Nas.threads() + ")");
    }
  }

  /**
   * The network this pipeline derives: the preset's evaluation network (or the default job's small
   * one) in the space's macro unless the preset or {@code --macro} names another, with
   * {@code --channels}, {@code --layers}, {@code --repeat}, {@code --stem-channels} and
   * {@code --dropout} applied. A preset's own retraining size (PV-NAS' 224×224) gives way to the
   * search's when the sample size is given ({@code --input}, {@code --frames}, {@code --size}).
   */
  private static NetworkShape network(Args a, SearchConfig sc, PipelinePreset preset) {
    NetworkShape d = preset != null ? preset.network() : NetworkShape.SMALL;
    MacroConfig.Kind kind;
    try {
      kind = MacroConfig.Kind.parse(a.str("macro", d.macro() != null ? d.macro().id() : sc.space().macro()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    boolean sized = a.has("input") || a.has("frames") || a.has("size");
    return new NetworkShape(kind, a.integer("channels", d.channels()), a.integer("layers", d.layers()),
        a.integer("repeat", d.repeat()), a.integer("stem-channels", d.stemChannels()), d.auxiliary(),
        a.number("dropout", d.dropout()), sized ? null : d.input());
  }

  private static void stage(PrintStream out, String name) {
    Progress.clearLine(System.err);
    out.println("== " + name);
  }

  private static double secs(long from) {
    return (System.nanoTime() - from) / 1e9;
  }

  /** The default job's search: the algorithm's own defaults with a small supernet and a short search. */
  private static SearchConfig smallSearch(Args a, String algo, String dataset, String input, int trainSamples,
      int testSamples, long seed) {
    int searchEpochs = a.integer("search-epochs", 3);
    String space = a.str("space", "darts");
    DataOptions.checkSpace(dataset, space);
    SearchConfig d = SearchAlgorithms.named(algo).defaults();
    // data and space change together: a clip dataset needs a video space and the other way round
    SearchConfig sc = d.withSeed(seed)
        .withDataAndSupernet(new DataSettings(dataset, DataOptions.dataDir(a, dataset, null), input,
            a.integer("classes", 10), a.integer("search-samples", trainSamples), testSamples, d.data().trainPortion(),
            d.data().augment(), a.integer("frame-stride", 0), DataOptions.scaleJitter(a, null),
            DataOptions.clipWindows(a, null)),
            new SupernetShape(space, a.integer("search-layers", 5), a.integer("search-channels", 4), 0,
                a.integer("stem-channels", NetworkShape.SMALL.stemChannels()), a.integer("partial-channels", 1), null))
        .withSchedule(new EpochSchedule(searchEpochs, a.integer("search-batch", 32),
            a.integer("warmup-epochs", searchEpochs > 1 ? 1 : 0), 0, d.schedule().lrSchedule()))
        .withArch(d.arch().withLr(a.number("arch-lr", 3e-3)));
    if (sc.cdarts() != null) {
      // CDARTS' E-Net: the network this pipeline derives and trains
      sc = sc.withCdarts(sc.cdarts().withEnet(a.integer("layers", 8), a.integer("channels", 16)));
    }
    return sc;
  }

  /** A preset's search, with the options given applied on top. */
  private static SearchConfig presetSearch(Args a, SearchConfig p, String dataset, String input, int trainSamples,
      int testSamples, long seed) {
    SupernetShape s = p.supernet();
    EpochSchedule e = p.schedule();
    int epochs = a.integer("search-epochs", e.epochs());
    // a preset's video-folder sampling is dropped for another dataset (DataSettings.withDataset)
    DataSettings d = p.data().withDataset(dataset, DataOptions.dataDir(a, dataset, p.data().dataDir()), input,
        DataOptions.classes(a, dataset, p.data().classes()));
    SearchConfig sc = p.withSeed(seed)
        .withDataAndSupernet(new DataSettings(d.dataset(), d.dataDir(), d.input(), d.classes(),
            a.integer("search-samples", trainSamples), testSamples, d.trainPortion(), d.augment(),
            a.integer("frame-stride", d.frameStride()), DataOptions.scaleJitter(a, d.scaleJitter()),
            DataOptions.clipWindows(a, d.clipWindows())),
            new SupernetShape(s.space(), a.integer("search-layers", s.layers()),
                a.integer("search-channels", s.channels()), s.repeat(), a.integer("stem-channels", s.stemChannels()),
                a.integer("partial-channels", s.partialChannels()), s.macro()))
        .withSchedule(new EpochSchedule(epochs, a.integer("search-batch", e.batch()),
            a.integer("warmup-epochs", Math.min(e.warmupEpochs(), epochs - 1)), e.lrStep(), e.lrSchedule()))
        .withArch(p.arch().withLr(a.number("arch-lr", p.arch().lr())));
    return sc;
  }

  /**
   * The training stage's settings: the preset's recipe, or the default job's with a cutout of a
   * quarter of the image's (or frame's) height. The clip sampling options given ({@code --frame-stride},
   * {@code --scale-jitter}, {@code --clip-windows}) apply to both stages; without them each stage
   * takes its own preset's.
   */
  private static TrainConfig trainConfig(Args a, String dataset, SearchConfig sc, int trainSamples, int testSamples,
      long seed, FeatureShape in, PipelinePreset preset) {
    try {
      TrainConfig tc = trainRecipe(a, dataset, sc, trainSamples, testSamples, seed, in, preset);
      if (tc.lrPolicy().warmupEpochs() >= tc.epochs()) {
        throw new UsageException("--train-warmup-epochs (" + tc.lrPolicy().warmupEpochs() + ") must be below "
            + "--train-epochs (" + tc.epochs() + ")");
      }
      if (tc.scaleJitter() != null) {
        tc.scaleJitter().checkCrop(in.spatial(in.rank() - 1));
      }
      return tc;
    } catch (IllegalArgumentException | dev.nas.data.DatasetException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static TrainConfig trainRecipe(Args a, String dataset, SearchConfig sc, int trainSamples, int testSamples,
      long seed, FeatureShape in, PipelinePreset preset) {
    if (a.has("train-clips") && !dataset.equals("video-folder")) {
      throw new UsageException("--train-clips (test clips per video) applies to --dataset video-folder, not " + dataset);
    }
    if (a.has("train-test-crops")) {
      try {
        TrainConfig.requireTestCrops("--train-test-crops", a.integer("train-test-crops", 0), dataset);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (preset != null) {
      // a preset's video-folder sampling and test views are dropped for another dataset (TrainConfig.onDataset)
      TrainConfig p = preset.train().config().onDataset(dataset);
      LrPolicy l = p.lrPolicy();
      int epochs = a.integer("train-epochs", p.epochs());
      // a shorter training keeps at most all but one epoch of the recipe's warm-up, as the search's does
      return new TrainConfig(dataset, sc.data().dataDir(), null, trainSamples, testSamples, epochs,
          a.integer("train-batch", p.batch()), p.lr(), p.lrMin(), p.momentum(), p.weightDecay(), p.gradClip(),
          p.cutout(), p.auxWeight(), p.dropPath(), p.labelSmoothing(), p.augment(), seed,
          a.integer("train-clips", p.testClips()),
          new LrPolicy(LrPolicy.Kind.parse(a.str("train-lr-schedule", l.kind().id())),
              a.integer("train-warmup-epochs", Math.min(l.warmupEpochs(), epochs - 1)),
              a.number("train-lr-decay", l.decay())),
          a.integer("frame-stride", p.frameStride()), a.integer("train-test-crops", p.testCrops()),
          DataOptions.scaleJitter(a, p.scaleJitter()),
          DataOptions.clipWindows(a, p.clipWindows()));
    }
    return new TrainConfig(dataset, sc.data().dataDir(), null, trainSamples, testSamples, a.integer("train-epochs", 16),
        a.integer("train-batch", 64), 0.05, 0, 0.9, 3e-4, 5.0, Math.max(1, in.spatial(in.rank() - 2) / 4), 0.4, 0.1, 0,
        true, seed, a.integer("train-clips", 0), new LrPolicy(LrPolicy.Kind.parse(a.str("train-lr-schedule", "cosine")),
            a.integer("train-warmup-epochs", 0), a.number("train-lr-decay", 0.97)), a.integer("frame-stride", 0),
        a.integer("train-test-crops", 0), sc.data().scaleJitter(), sc.data().clipWindows());
  }

  /**
   * What {@code --print-config} shows: the search configuration, the derived network's macro
   * settings and the training configuration; where the input's shape comes from the data only
   * (folders), the settings that depend on it say so.
   */
  private static ObjectNode printedConfig(Args a, SearchConfig sc, String dataset, String input, int trainSamples,
      int testSamples, long seed, PipelinePreset preset) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.set("search", Json.MAPPER.valueToTree(sc));
    ObjectNode derive = root.putObject("derive");
    NetworkShape net = network(a, sc, preset);
    derive.put("macro", net.macro().id());
    derive.put("channels", net.channels());
    if (net.macro().video()) {
      derive.put("repeat", net.repeat());
      derive.put("stemChannels", net.stemChannels());
    } else {
      derive.put("layers", net.layers());
    }
    if (preset != null) {
      derive.put("network", preset.description());
    }
    derive.put("auxiliary", net.auxiliary());
    derive.put("dropout", net.dropout());
    FeatureShape in = derivedInput(a, sc, preset, input);
    if (in != null) {
      derive.put("input", in.toString());
      root.set("train", Json.MAPPER.valueToTree(trainConfig(a, dataset, sc, trainSamples, testSamples, seed, in,
          preset)));
    } else {
      ObjectNode train = root.putObject("train");
      train.put("note", "the input's shape (and with it the cutout size) comes from the data at run time");
      train.put("epochs", a.integer("train-epochs", 16));
      train.put("batch", a.integer("train-batch", 64));
    }
    return root;
  }

  private static ObjectNode summary(Path run, SearchConfig sc, SearchResult search, TrainResult trained,
      CostReport cost, List<Verdict> verdicts, BenchReport report, Map<String, Double> stages, double total) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("run", run.toString());
    root.put("totalSeconds", total);
    root.set("stageSeconds", Json.MAPPER.valueToTree(stages));
    root.set("search", Json.MAPPER.valueToTree(sc));
    root.put("genotype", search.genotype().describe());
    root.put("testTop1", trained.top1());
    root.put("testTop5", trained.top5());
    root.put("testViews", trained.testViews());
    root.put("testVideoTop1", trained.videoTop1());
    root.put("testCrops", trained.testCrops());
    root.put("params", cost.params());
    root.put("macs", cost.macs());
    root.put("costConvention", CostReport.CONVENTION);
    ArrayNode v = root.putArray("budgets");
    verdicts.forEach(x -> v.addObject().put("budget", x.budget()).put("limit", x.limit()).put("actual", x.actual())
        .put("passed", x.passed()));
    root.set("bench", Json.MAPPER.valueToTree(report.results()));
    root.put("machine", report.machine().describe());
    return root;
  }

  /**
   * A cost the search aimed at or was bound by, against the exported network's measurement.
   *
   * @param kind target or budget
   * @param predicted what the search's tables gave for the written genotype
   * @param measured the exported network's: the ONNX counter's count, or ONNX Runtime's p50
   */
  record CostOutcome(String kind, CostMetric metric, double limit, double predicted, double measured) {
    double errorPercent() {
      return 100 * (predicted - measured) / measured;
    }

    boolean held() {
      return measured <= limit;
    }

    String describe() {
      return String.format(Locale.ROOT, "| %s %s | %s | %s | %s | %+.2f%% | %s |", kind, metric.id(),
          metric.format(limit), metric.format(predicted), metric.format(measured), errorPercent(),
          held() ? "yes" : "**no**");
    }
  }

  /** Target and budgets of a cost-aware search, each with the predicted and the measured cost. */
  private static List<CostOutcome> costOutcomes(SearchConfig sc, SearchResult search, CostReport cost, double p50)
      throws java.io.IOException {
    List<CostOutcome> out = new ArrayList<>();
    if (sc.cost() == null) {
      return out;
    }
    com.fasterxml.jackson.databind.JsonNode history = Json.MAPPER.readTree(search.run().resolve("history.json")
        .toFile());
    com.fasterxml.jackson.databind.JsonNode predicted = history.get(history.size() - 1).path("cost").path("predicted");
    for (CostMetric m : CostMetric.values()) {
      double measured = switch (m) {
        case MACS -> cost.macs();
        case PARAMS -> cost.params();
        case LATENCY -> p50;
      };
      if (m == sc.cost().metric()) {
        out.add(new CostOutcome("target", m, sc.cost().target(), predicted.path(m.id()).asDouble(), measured));
      }
      if (sc.cost().budget(m) > 0) {
        out.add(new CostOutcome("budget", m, sc.cost().budget(m), predicted.path(m.id()).asDouble(), measured));
      }
    }
    return out;
  }

  /** The derived network's input where it is known before any data is read (null: from the data). */
  private static FeatureShape derivedInput(Args a, SearchConfig sc, PipelinePreset preset, String input) {
    NetworkShape net = network(a, sc, preset);
    return net.input() != null ? net.input() : input == null ? null : sc.supernet().macroKind().parseInput(input);
  }

  private static String markdown(Path run, SearchConfig sc, SearchResult search, MacroConfig net, TrainResult trained,
      CostReport cost,
      List<Verdict> verdicts, BenchReport report, Map<String, Double> stages, double total, List<CostOutcome> costs) {
    StringBuilder sb = new StringBuilder();
    sb.append("# nas pipeline: ").append(run).append("\n\n");
    sb.append(String.format(Locale.ROOT, "Total time %s on %s.%n%n", Progress.duration(total),
        report.machine().describe()));
    sb.append("| stage | seconds |\n|---|---:|\n");
    stages.forEach((k, s) -> sb.append(String.format(Locale.ROOT, "| %s | %.1f |%n", k, s)));
    SupernetShape s = sc.supernet();
    MacroConfig.Kind supernet = s.macroKind();
    String stack = !supernet.video() ? s.layers() + " cells"
        : supernet == MacroConfig.Kind.VIDEO_SDAS ? "K=" + s.repeat() + ", C1=" + s.stemChannels() + " (" + supernet.id()
            + ")" : "one cell of each type, C1=" + s.stemChannels() + " (" + supernet.id() + ")";
    sb.append(String.format(Locale.ROOT, "%n## Search%n%n%s on %s (%s), %d epochs, supernet C=%d with %s.%n%n"
        + "Genotype (also `search/genotype.json`, drawn in `cells.svg`):%n%n```%n%s%n```%n", sc.algo(), sc.data().dataset(),
        sc.data().input() == null ? "native size" : sc.data().input(), sc.schedule().epochs(), s.channels(), stack,
        search.genotype().describe()));
    List<String> warnings = dev.nas.search.CollapseMonitor.warnings(search.genotype());
    if (!warnings.isEmpty()) {
      sb.append("\nWarnings: ").append(String.join("; ", warnings)).append("\n");
    }
    String size = net.kind().video() ? "K=" + net.repeat() + ", C1=" + net.stemChannels() + ", C=" + net.channels()
        : net.layers() + " cells, C=" + net.channels();
    sb.append(String.format(Locale.ROOT, "%n## Trained network%n%n%s macro, %s, at %s%s (`net/`).%n%n"
        + "Test top-1 **%.2f%%**, top-5 %.2f%%%s after %d epochs (`trained/`).%n%nParams %s, MACs %s (conv+FC "
        + "multiply-adds per sample; FLOPs = 2 x MACs).%n", net.kind().id(), size, net.input(),
        net.dropout() > 0 ? String.format(Locale.ROOT, ", dropout %.2f", net.dropout()) : "",
        100 * trained.top1(), 100 * trained.top5(), trained.testViews() == 1 ? trained.cropsPart()
            : String.format(Locale.ROOT, " per clip; per-video top-1 **%.2f%%** (softmax averaged over %d views: "
                + "clips × crops)", 100 * trained.videoTop1(), trained.testViews()),
        trained.epochs(), CostReport.human(cost.params()), CostReport.human(cost.macs())));
    if (!costs.isEmpty()) {
      sb.append("\n## Cost-aware search\n\nThe search optimised the cost of this network (predicted by the search's "
          + "tables for the written genotype) against the exported network's measurement:\n\n"
          + "| | target / budget | predicted | measured | error | held |\n|---|---:|---:|---:|---:|---|\n");
      costs.forEach(c -> sb.append(c.describe()).append("\n"));
    }
    sb.append("\n## Budgets\n\n");
    verdicts.forEach(v -> sb.append("- ").append(v.describe()).append("\n"));
    sb.append("\n## Latency (`bench.json`)\n\n```\n").append(report.toText()).append("```\n");
    for (BenchComparison c : report.compare(OrtBenchmark.RUNTIME, DjlBenchmark.RUNTIME)) {
      sb.append(String.format(Locale.ROOT, "- batch %d: ONNX Runtime p50 %.2f ms vs DJL p50 %.2f ms (DJL/ORT = %.2fx)%n",
          c.batchSize(), c.a().latency().p50Ms(), c.b().latency().p50Ms(), 1 / c.p50Ratio()));
    }
    return sb.toString();
  }
}
