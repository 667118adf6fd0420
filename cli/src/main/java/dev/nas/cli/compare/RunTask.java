package dev.nas.cli.compare;

import ai.djl.Device;
import dev.nas.core.bench.Bencher;
import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.Devices;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.bench.OrtBenchmark;
import dev.nas.runtime.lut.OrtPartTimer;
import dev.nas.runtime.lut.PartTimer;
import dev.nas.train.TrainResult;
import dev.nas.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One (method, seed) run of a comparison as a plain value, so that an executor can hand it to
 * another thread or JVM: {@link #run} proposes the architecture, scales it to the budget,
 * trains, exports and measures it, and publishes its folder under {@code out} by the
 * {@link RunFolder} rule. Every executor runs exactly this code.
 *
 * @param out the comparison folder (a path every executor sees)
 * @param input the data's per-sample shape as {@link FeatureShape#toString()} writes it
 * @param classes the data's class count
 */
public record RunTask(CompareConfig config, String out, String method, long seed, String input, int classes)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Where and how an attempt runs.
   *
   * @param device cpu, gpu or gpu:N
   * @param threads intra-op threads of ONNX Runtime's latency measurement (libtorch's are fixed per JVM)
   * @param attempt suffix that keeps concurrent attempts' work folders apart; empty for the local executor
   */
  public record Env(String device, int threads, String attempt, PrintStream console) {}

  /** Measurements of one width while fitting; the smallest p50 counts. */
  static final int FIT_ROUNDS = 3;

  /**
   * A width's latency while fitting: the smallest p50 of {@link #FIT_ROUNDS} measurements, since
   * whatever else runs on a shared machine only ever adds time, and a width wrongly found too slow
   * would be narrowed for the rest of the run.
   */
  static double fittingLatency(PartTimer timer, Graph graph, long seed) throws IOException {
    var weights = Initializer.of(graph, seed);
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < FIT_ROUNDS; i++) {
      best = Math.min(best, timer.time(graph, weights).p50Ms());
    }
    return best;
  }

  /** The run's folder name, {@code <method>-seed<seed>}. */
  public String name() {
    return CompareRun.runName(method, seed);
  }

  /** The run's folder. */
  public Path dir() {
    return Path.of(out).resolve(name());
  }

  /**
   * Runs it from scratch in this JVM and returns its result; if the run is already published
   * (another attempt finished first), returns that one's result instead.
   */
  public RunResult run(Env env) throws IOException {
    Path dir = dir();
    if (RunFolder.finished(dir)) {
      return RunFolder.result(dir);
    }
    PrintStream console = env.console();
    Path work = RunFolder.work(Path.of(out), name(), env.attempt());
    RunFolder.delete(work);
    if (Files.exists(dir)) { // a run folder without result.json was not made by a finished run
      console.println("compare: " + dir.getFileName() + " has no " + RunFolder.RESULT + "; it is run again");
      RunFolder.delete(dir);
    }
    Files.createDirectories(work);
    Device device = Devices.parse(env.device());
    Method m = Methods.named(method);
    Path table = config.maxLatencyMs() > 0 && m.usesLatencyTable() ? CompareRun.table(config, Path.of(out)) : null;
    FeatureShape in = FeatureShape.parseSample(input);
    Bencher bencher = Bencher.iterations(config.benchWarmup(), config.benchIterations());
    WidthFit.Fit fit;
    Method.Proposal p;
    // the latency budget's timer serves the proposal (a sampler drawing genotypes that can fit) and the width fit
    try (PartTimer timer = config.maxLatencyMs() > 0 ? OrtPartTimer.open(ExecutionProvider.CPU, env.threads(), 1,
        bencher, seed) : null) {
      WidthFit.Budget budget = timer == null ? WidthFit.Budget.macs(config.maxMacs()) : new WidthFit.Budget(
          config.maxMacs(), config.maxLatencyMs(), gr -> fittingLatency(timer, gr, seed));
      IntFunction<MacroConfig> cells = w -> config.network(config.cellMacro(), w, classes, in);
      java.util.function.BiPredicate<dev.nas.core.genotype.Genotype, Integer> fits = (g, width) -> width == 0
          ? WidthFit.fitsAtSomeWidth(g, cells, budget) : WidthFit.fitsAt(g, cells.apply(width), budget);
      p = m.propose(new Method.Context(config, device, console, table, fits), seed, work);
      IntFunction<MacroConfig> at = w -> config.network(p.macro(), w, classes, in);
      if (p.width() > 0) { // a budget-aware search fitted the budget by its genotype at this width
        MacroConfig macro = at.apply(p.width());
        fit = new WidthFit.Fit(macro, CostCounter.count(NetworkBuilder.build(p.genotype(), macro,
            Preprocessing.identity(in.channels())), "fit").macs(), 0, true);
      } else {
        if (timer != null) {
          console.printf(Locale.ROOT, "%s: fitting the width to %.3f ms by measuring on ONNX Runtime%n", m.name(),
              config.maxLatencyMs());
        }
        fit = WidthFit.fit(p.genotype(), at, budget);
        if (!fit.withinBudget()) {
          console.println("compare: warning: " + m.name() + " seed " + seed + ": " + WidthFit.overBudget(fit, budget)
              + "; it is trained and reported at that width, over the budget");
        }
      }
    }
    int depth = fit.macro().hasCells() ? fit.macro().layers() : config.resnetBlocks();
    NetworkSpec spec = NetworkSpec.of(p.genotype(), fit.macro()).withInfo("trained", false)
        .withInfo("compare", Map.of("method", m.name(), "seed", seed, "maxMacs", config.maxMacs(), "maxLatencyMs",
            config.maxLatencyMs()));
    Graph graph = NetworkBuilder.build(spec);
    Path init = work.resolve("init");
    NetworkFolder.write(init, spec, Initializer.of(graph, seed));
    console.printf(Locale.ROOT, "%s: %s macro at width %d%s (%s MACs%s; budget %s); training%n", m.name(),
        fit.macro().kind().id(), fit.macro().channels(), p.width() > 0 ? ", the budget-aware search's" : "",
        CostReport.human(fit.macs()), fit.latencyMs() > 0 ? String.format(Locale.ROOT, ", %.3f ms when fitted",
        fit.latencyMs()) : "", config.budgetDescription());
    TrainResult trained = new Trainer(config.trainConfig(seed), device, console).train(NetworkFolder.read(init),
        work.resolve("net"));
    RunFolder.delete(init); // reproducible from the seed; the trained network is what matters
    NetworkFolder net = NetworkFolder.read(work.resolve("net"));
    Graph g = net.graph();
    CostReport cost = CostCounter.count(g, name());
    Path onnx = work.resolve("model.onnx");
    OnnxFiles.write(onnx, OnnxExporter.export(net.spec(), g, net.weights()));
    double latency = new OrtBenchmark(env.threads(), bencher, seed).run(onnx, List.of(1)).get(0).latency().p50Ms();
    RunResult r = new RunResult(m.name(), m.kind(), seed,
        p.genotype() == null ? null : p.genotype().describe(), fit.macro().kind().id(), fit.macro().channels(),
        depth, cost.params(), cost.macs(), trained.top1(), trained.top5(), latency, p.searchSeconds(),
        trained.seconds(), p.searchRun(), fit.latencyMs() > 0 ? fit.latencyMs() : null);
    Json.writeFile(work.resolve(RunFolder.RESULT), r);
    if (!RunFolder.publish(work, dir)) {
      console.println("compare: " + name() + " was finished by another attempt; keeping that one");
      return RunFolder.result(dir);
    }
    return r;
  }
}
