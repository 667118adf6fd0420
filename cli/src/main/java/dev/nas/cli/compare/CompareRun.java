package dev.nas.cli.compare;

import dev.nas.core.bench.Bencher;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.core.run.Progress;
import dev.nas.data.DatasetPair;
import dev.nas.data.Datasets;
import dev.nas.data.ImageDataset;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.lut.LutMeasurement;
import dev.nas.runtime.lut.OrtPartTimer;
import dev.nas.runtime.lut.PartTimer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code nas compare}: runs every (method, seed) into its own folder of {@code out} — the method's
 * proposal (e.g. {@code search/}), the network scaled to the MACs budget and trained with the one
 * recipe ({@code net/} with {@code history.json}), its ONNX export ({@code model.onnx}) and
 * {@code result.json} — then writes {@code results.json}, {@code results.md} and
 * {@code accuracy_vs_macs.svg} over all finished runs. The runs are {@link RunTask}s handed to a
 * {@link CompareExecutor}: this JVM one after another by default, or Spark tasks.
 *
 * <p>Resumable: a run works in {@code <name>.partial} and is renamed to {@code <name>} only once its
 * {@code result.json} is written ({@link RunFolder}), so a finished run is skipped by the next
 * invocation and an interrupted one is started again from scratch. {@code compare.json} holds the
 * settings; a rerun with different settings is refused.
 */
public final class CompareRun {
  public static final String SETTINGS = "compare.json";
  public static final String RESULT = RunFolder.RESULT;
  /** Input size assumed for image folders without --input (only to probe the data). */
  private static final FeatureShape FOLDER_INPUT = FeatureShape.of(3, 32, 32);
  /** Settings of the table a comparison measures, those of nas lut's defaults and the LUT-accuracy benchmark. */
  private static final int TABLE_WARMUP = 10;
  private static final int TABLE_ITERATIONS = 50;
  private static final int TABLE_CALIBRATION = 10;

  private final CompareConfig config;
  private final Path out;
  private final List<Method> methods;
  private final List<Long> seeds;
  private final CompareExecutor executor;
  private final PrintStream console;

  /** What an invocation did: every requested run's result, and which were run now and which were already done. */
  public record Outcome(List<RunResult> results, List<String> ran, List<String> skipped, CompareReport report) {}

  /** A comparison whose runs {@code executor} executes (the caller closes it). */
  public CompareRun(CompareConfig config, Path out, List<Method> methods, List<Long> seeds, CompareExecutor executor,
      PrintStream console) {
    if (methods.isEmpty() || seeds.isEmpty()) {
      throw new IllegalArgumentException("a comparison needs at least one method and one seed");
    }
    this.config = config.validated();
    this.out = out;
    this.methods = List.copyOf(methods);
    this.seeds = List.copyOf(seeds);
    this.executor = executor;
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
    List<String> todo = new ArrayList<>();
    for (long seed : seeds) {
      for (Method m : methods) {
        if (!RunFolder.finished(out.resolve(runName(m.name(), seed)))) {
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
    List<RunTask> tasks = new ArrayList<>();
    for (long seed : seeds) {
      for (Method m : methods) {
        if (todo.contains(runName(m.name(), seed))) {
          tasks.add(new RunTask(config, out.toString(), m.name(), seed, data.input().toString(), data.classes()));
        }
      }
    }
    if (config.maxLatencyMs() > 0 && tasks.stream().anyMatch(t -> Methods.named(t.method()).usesLatencyTable())) {
      prepareTable(data);
    }
    List<RunResult> fresh = tasks.isEmpty() ? List.of() : executor.run(tasks, total - tasks.size());
    removeWorkFolders(); // what attempts lost with their executor left behind
    List<String> ran = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<RunResult> results = new ArrayList<>();
    for (long seed : seeds) {
      for (Method m : methods) {
        String name = runName(m.name(), seed);
        int i = todo.indexOf(name);
        if (i >= 0) {
          ran.add(name);
          results.add(fresh.get(i));
        } else {
          skipped.add(name);
          results.add(RunFolder.result(out.resolve(name)));
        }
      }
    }
    CompareReport report = CompareReport.of(config, methods, seeds, results, executor.threads());
    report.write(out);
    return new Outcome(results, ran, skipped, report);
  }

  /** The latency table budget-aware searches use under a latency budget: {@code --lut}, else the folder's own. */
  static Path table(CompareConfig c, Path out) {
    return c.lut() != null ? Path.of(c.lut()) : out.resolve(CompareConfig.TABLE);
  }

  /**
   * Makes sure the latency table of the budget-aware networks (the space's macro at the budget
   * width, the comparison's cells, input and classes) is there, measured as every network of the comparison is
   * measured: ONNX Runtime CPU, batch 1, the executor's threads. The folder's own table is measured
   * (or completed, after an interruption) and calibrated on 10 networks; a given one is checked.
   */
  private void prepareTable(DataInfo data) throws IOException {
    Path file = table(config, out);
    LatencyTable existing = Files.isRegularFile(file) ? LatencyTable.read(file) : null;
    if (existing != null && (config.lut() != null || existing.calibration() != null)) {
      LatencyTable.Provenance p = existing.provenance();
      if (!p.runtime().equals("ort") || p.batch() != 1 || p.threads() != executor.threads()) {
        throw new IllegalArgumentException("nas compare measures every network on ONNX Runtime CPU (ort) at batch 1 with "
            + executor.threads() + " thread(s); latency table " + file + " was measured with " + p.runtime() + ", "
            + p.threads() + " thread(s), batch " + p.batch());
      }
      return;
    }
    if (config.lut() != null) {
      throw new IllegalArgumentException("--lut " + file + " does not exist (build it with nas lut, or leave --lut out "
          + "and the comparison measures its own)");
    }
    MacroConfig macro = config.network(config.cellMacro(), config.budgetChannels(), data.classes(), data.input())
        .withAuxiliary(false);
    Preprocessing pre = Preprocessing.identity(data.input().channels());
    CostPositions positions = CostPositions.of(SearchSpace.named(config.space()), macro, pre);
    LatencyTable.Settings settings = new LatencyTable.Settings(TABLE_WARMUP, TABLE_ITERATIONS);
    console.printf(Locale.ROOT, "compare: measuring the latency table of the budget-aware networks (C=%d, %d cells) "
        + "into %s%n", macro.channels(), macro.layers(), file);
    try (PartTimer timer = OrtPartTimer.open(ExecutionProvider.CPU, executor.threads(), 1,
        Bencher.iterations(settings.warmup(), settings.iterations()), 0)) {
      LutMeasurement.Calibrated t = LutMeasurement.measureCalibrated(positions, pre, timer, settings,
          TABLE_CALIBRATION, 0, file);
      Progress.clearLine(console);
      console.printf(Locale.ROOT, "compare: latency table %s: %d parts; calibrated on %d networks, mean error %.1f%% "
          + "-> %.1f%%%n", file, t.table().entries().size(), TABLE_CALIBRATION,
          t.calibration().calibration().mapeBefore(), t.calibration().calibration().mapeAfter());
    }
  }

  private record DataInfo(FeatureShape input, int classes) {}

  /** The data's sample shape and class count, which every network is built for. */
  private DataInfo probe() {
    DatasetPair d = Datasets.load(config.trainConfig(0).datasetSpec(FOLDER_INPUT, config.classes()));
    ImageDataset train = d.train();
    return new DataInfo(train.shape(), train.numClasses());
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
      for (Path p : s.filter(RunFolder::isWork).toList()) {
        console.println("compare: removing " + p.getFileName() + ", left by an interrupted run; it is run again");
        RunFolder.delete(p);
      }
    }
  }

  private void removeWorkFolders() throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.filter(RunFolder::isWork).toList()) {
        RunFolder.delete(p);
      }
    }
  }
}
