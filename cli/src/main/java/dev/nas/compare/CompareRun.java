package dev.nas.compare;

import ai.djl.Device;
import dev.nas.bench.Bencher;
import dev.nas.cost.CostCounter;
import dev.nas.cost.CostReport;
import dev.nas.data.DatasetPair;
import dev.nas.data.Datasets;
import dev.nas.data.ImageDataset;
import dev.nas.derive.TrainResult;
import dev.nas.derive.Trainer;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.graph.FeatureShape;
import dev.nas.graph.Graph;
import dev.nas.graph.Initializer;
import dev.nas.io.Json;
import dev.nas.network.NetworkBuilder;
import dev.nas.network.NetworkFolder;
import dev.nas.network.NetworkSpec;
import dev.nas.run.Progress;
import dev.nas.runtime.bench.OrtBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code nas compare}: runs every (method, seed) into its own folder of {@code out} — the method's
 * proposal (e.g. {@code search/}), the network scaled to the MACs budget and trained with the one
 * recipe ({@code net/} with {@code history.json}), its ONNX export ({@code model.onnx}) and
 * {@code result.json} — then writes {@code results.json}, {@code results.md} and
 * {@code accuracy_vs_macs.svg} over all finished runs.
 *
 * <p>Resumable: a run works in {@code <name>.partial} and is renamed to {@code <name>} only once its
 * {@code result.json} is written, so a finished run is skipped by the next invocation and an
 * interrupted one is started again from scratch. {@code compare.json} holds the settings; a rerun
 * with different settings is refused.
 */
public final class CompareRun {
  public static final String SETTINGS = "compare.json";
  public static final String RESULT = "result.json";
  private static final String PARTIAL = ".partial";
  /** Input size assumed for image folders without --input (only to probe the data). */
  private static final FeatureShape FOLDER_INPUT = FeatureShape.of(3, 32, 32);

  private final CompareConfig config;
  private final Path out;
  private final List<Method> methods;
  private final List<Long> seeds;
  private final Device device;
  private final int threads;
  private final PrintStream console;

  /** What an invocation did: every requested run's result, and which were run now and which were already done. */
  public record Outcome(List<RunResult> results, List<String> ran, List<String> skipped, CompareReport report) {}

  public CompareRun(CompareConfig config, Path out, List<Method> methods, List<Long> seeds, Device device, int threads,
      PrintStream console) {
    if (methods.isEmpty() || seeds.isEmpty()) {
      throw new IllegalArgumentException("a comparison needs at least one method and one seed");
    }
    this.config = config.validated();
    this.out = out;
    this.methods = List.copyOf(methods);
    this.seeds = List.copyOf(seeds);
    this.device = device;
    this.threads = threads;
    this.console = console;
  }

  /** The folder name of a (method, seed) run. */
  public static String runName(String method, long seed) {
    return method + "-seed" + seed;
  }

  /** The settings stored in a comparison folder. */
  public static CompareConfig storedConfig(Path out) throws IOException {
    return Json.MAPPER.readValue(out.resolve(SETTINGS).toFile(), CompareConfig.class);
  }

  public Outcome execute() throws IOException {
    // a new comparison reads its data before storing its settings, so that a wrong --data-dir can be
    // corrected on the next try instead of being refused as a change of settings
    DataInfo data = Files.isRegularFile(out.resolve(SETTINGS)) ? null : probe();
    prepareFolder();
    int total = methods.size() * seeds.size();
    List<String> ran = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<RunResult> results = new ArrayList<>();
    List<String> todo = new ArrayList<>();
    for (long seed : seeds) {
      for (Method m : methods) {
        if (!Files.isRegularFile(out.resolve(runName(m.name(), seed)).resolve(RESULT))) {
          todo.add(runName(m.name(), seed));
        }
      }
    }
    if (total > todo.size()) {
      console.printf(Locale.ROOT, "compare: %d of %d runs already finished in %s; running the other %d%n",
          total - todo.size(), total, out, todo.size());
    }
    if (data == null && !todo.isEmpty()) {
      data = probe();
    }
    double spent = 0;
    int index = 0;
    for (long seed : seeds) {
      for (Method m : methods) {
        index++;
        String name = runName(m.name(), seed);
        Path dir = out.resolve(name);
        if (Files.isRegularFile(dir.resolve(RESULT))) {
          skipped.add(name);
          results.add(Json.MAPPER.readValue(dir.resolve(RESULT).toFile(), RunResult.class));
          continue;
        }
        console.printf(Locale.ROOT, "== compare run %d/%d: %s, seed %d%n", index, total, m.name(), seed);
        long t = System.nanoTime();
        RunResult r = runOne(m, seed, dir, data);
        double secs = (System.nanoTime() - t) / 1e9;
        spent += secs;
        ran.add(name);
        results.add(r);
        int left = todo.size() - ran.size();
        Progress.clearLine(console);
        console.printf(Locale.ROOT, "== compare run %d/%d done in %s: %s seed %d, test top-1 %.2f%%, %s MACs (width %d),"
            + " %s params, %.2f ms%s%n", index, total, Progress.duration(secs), m.name(), seed, 100 * r.testTop1(),
            CostReport.human(r.macs()), r.width(), CostReport.human(r.params()), r.latencyMs(),
            left > 0 ? String.format(Locale.ROOT, "; %d run(s) left, ETA %s", left,
                Progress.duration(spent / ran.size() * left)) : "");
      }
    }
    CompareReport report = CompareReport.of(config, methods, seeds, results, threads);
    report.write(out);
    return new Outcome(results, ran, skipped, report);
  }

  private record DataInfo(FeatureShape input, int classes) {}

  /** The data's sample shape and class count, which every network is built for. */
  private DataInfo probe() {
    DatasetPair d = Datasets.load(config.trainConfig(0).datasetSpec(FOLDER_INPUT, config.classes()));
    ImageDataset train = d.train();
    return new DataInfo(train.shape(), train.numClasses());
  }

  private RunResult runOne(Method m, long seed, Path dir, DataInfo data) throws IOException {
    Path work = out.resolve(dir.getFileName() + PARTIAL);
    deleteTree(work);
    if (Files.exists(dir)) { // a run folder without result.json was not made by a finished run
      console.println("compare: " + dir.getFileName() + " has no " + RESULT + "; it is run again");
      deleteTree(dir);
    }
    Files.createDirectories(work);
    Method.Proposal p = m.propose(new Method.Context(config, device, console), seed, work);
    int depth = p.genotype() == null ? config.resnetBlocks() : config.layers();
    WidthFit.Fit fit = WidthFit.fit(p.genotype(), p.macro(), depth, data.classes(), data.input(), config.auxiliary(),
        config.maxMacs());
    NetworkSpec spec = NetworkSpec.of(p.genotype(), fit.macro()).withInfo("trained", false)
        .withInfo("compare", java.util.Map.of("method", m.name(), "seed", seed, "maxMacs", config.maxMacs()));
    Graph graph = NetworkBuilder.build(spec);
    Path init = work.resolve("init");
    NetworkFolder.write(init, spec, Initializer.of(graph, seed));
    console.printf(Locale.ROOT, "%s: %s macro at width %d (%s MACs, budget %s); training%n", m.name(),
        fit.macro().kind().id(), fit.macro().channels(), CostReport.human(fit.macs()),
        CostReport.human(config.maxMacs()));
    TrainResult trained = new Trainer(config.trainConfig(seed), device, console).train(NetworkFolder.read(init),
        work.resolve("net"));
    deleteTree(init); // reproducible from the seed; the trained network is what matters
    NetworkFolder net = NetworkFolder.read(work.resolve("net"));
    Graph g = net.graph();
    CostReport cost = CostCounter.count(g, name(m, seed));
    Path onnx = work.resolve("model.onnx");
    OnnxFiles.write(onnx, OnnxExporter.export(net.spec(), g, net.weights()));
    double latency = new OrtBenchmark(threads, Bencher.iterations(config.benchWarmup(), config.benchIterations()), seed)
        .run(onnx, List.of(1)).get(0).latency().p50Ms();
    RunResult r = new RunResult(m.name(), m.kind(), seed,
        p.genotype() == null ? null : p.genotype().toPythonString(), fit.macro().kind().id(), fit.macro().channels(),
        depth, cost.params(), cost.macs(), trained.top1(), trained.top5(), latency, p.searchSeconds(),
        trained.seconds(), p.searchRun());
    Json.writeFile(work.resolve(RESULT), r);
    Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
    return r;
  }

  private static String name(Method m, long seed) {
    return runName(m.name(), seed);
  }

  /**
   * Creates the folder and its {@code compare.json}, or checks the stored settings against these;
   * removes what interrupted runs left behind.
   */
  private void prepareFolder() throws IOException {
    Path settings = out.resolve(SETTINGS);
    if (Files.isRegularFile(settings)) {
      CompareConfig stored;
      try {
        stored = storedConfig(out);
      } catch (IOException e) {
        throw new IOException(settings + " is unreadable: " + e.getMessage(), e);
      }
      List<String> diff = stored.differences(config);
      if (!diff.isEmpty()) {
        throw new IllegalStateException("cannot continue the comparison in " + out + " with different settings "
            + "(stored vs given): " + String.join("; ", diff) + "; rerun with the stored settings or choose another "
            + "--out");
      }
    } else {
      if (Files.isDirectory(out)) {
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw new IllegalStateException(out + " is not empty and holds no " + SETTINGS + "; choose another --out");
          }
        }
      }
      Files.createDirectories(out);
      Json.writeFile(settings, config);
    }
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(PARTIAL)).toList()) {
        console.println("compare: removing " + p.getFileName() + ", left by an interrupted run; it is run again");
        deleteTree(p);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
