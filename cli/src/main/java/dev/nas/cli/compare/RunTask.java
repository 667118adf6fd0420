package dev.nas.cli.compare;

import ai.djl.Device;
import dev.nas.core.bench.Bencher;
import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.io.Json;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.djl.Devices;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
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

/**
 * One (method, seed) run of a comparison as a plain value, so that an executor can hand it to
 * another thread or JVM: {@link #run} proposes the architecture, scales it to the MACs budget,
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
    Method.Proposal p = m.propose(new Method.Context(config, device, console), seed, work);
    int depth = p.genotype() == null ? config.resnetBlocks() : config.layers();
    WidthFit.Fit fit = WidthFit.fit(p.genotype(), p.macro(), depth, classes, FeatureShape.parseSample(input),
        config.auxiliary(), config.maxMacs());
    NetworkSpec spec = NetworkSpec.of(p.genotype(), fit.macro()).withInfo("trained", false)
        .withInfo("compare", Map.of("method", m.name(), "seed", seed, "maxMacs", config.maxMacs()));
    Graph graph = NetworkBuilder.build(spec);
    Path init = work.resolve("init");
    NetworkFolder.write(init, spec, Initializer.of(graph, seed));
    console.printf(Locale.ROOT, "%s: %s macro at width %d (%s MACs, budget %s); training%n", m.name(),
        fit.macro().kind().id(), fit.macro().channels(), CostReport.human(fit.macs()),
        CostReport.human(config.maxMacs()));
    TrainResult trained = new Trainer(config.trainConfig(seed), device, console).train(NetworkFolder.read(init),
        work.resolve("net"));
    RunFolder.delete(init); // reproducible from the seed; the trained network is what matters
    NetworkFolder net = NetworkFolder.read(work.resolve("net"));
    Graph g = net.graph();
    CostReport cost = CostCounter.count(g, name());
    Path onnx = work.resolve("model.onnx");
    OnnxFiles.write(onnx, OnnxExporter.export(net.spec(), g, net.weights()));
    double latency = new dev.nas.runtime.bench.OrtBenchmark(env.threads(),
        Bencher.iterations(config.benchWarmup(), config.benchIterations()), seed).run(onnx, List.of(1)).get(0)
        .latency().p50Ms();
    RunResult r = new RunResult(m.name(), m.kind(), seed,
        p.genotype() == null ? null : p.genotype().toPythonString(), fit.macro().kind().id(), fit.macro().channels(),
        depth, cost.params(), cost.macs(), trained.top1(), trained.top5(), latency, p.searchSeconds(),
        trained.seconds(), p.searchRun());
    Json.writeFile(work.resolve(RunFolder.RESULT), r);
    if (!RunFolder.publish(work, dir)) {
      console.println("compare: " + name() + " was finished by another attempt; keeping that one");
      return RunFolder.result(dir);
    }
    return r;
  }
}
