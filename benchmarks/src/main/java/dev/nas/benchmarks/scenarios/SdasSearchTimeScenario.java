package dev.nas.benchmarks.scenarios;

import ai.djl.Device;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.bench.MachineInfo;
import dev.nas.core.io.Json;
import dev.nas.core.macro.CellPlan;
import dev.nas.core.macro.MacroBlocks;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.macro.MacroLayout;
import dev.nas.core.ops.SearchSpace;
import dev.nas.djl.NativeRuntime;
import dev.nas.search.EpochRecord;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.SearchRun;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.sdas.Decision;
import dev.nas.search.sdas.Discretization;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Search wall time of DAS vs SDAS-A/B/C with one configuration on the o2d space, all in one JVM
 * so that the ratios compare like with like. An untimed one-epoch search first loads libtorch
 * and warms the JIT; then every round runs the four algorithms, in reverse order on odd rounds,
 * so slow drifts of a shared machine's load fall on all of them alike. Reports per algorithm the
 * whole search's wall time (per-epoch evaluations included), the training loop's time, seconds
 * per step in each epoch, and the DAS/SDAS ratios of the medians over rounds; next to them the
 * ratio a load-free count predicts: operations computed per forward pass, summed over all
 * iterations, replayed from the logged decisions.
 *
 * <p>Usage: {@code SdasSearchTimeScenario rounds epochs samples channels layers batch threads}.
 */
public final class SdasSearchTimeScenario {
  private static final List<String> ALGOS = List.of("das", "sdas-a", "sdas-b", "sdas-c");

  private SdasSearchTimeScenario() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int epochs = Integer.parseInt(args[1]);
    int samples = Integer.parseInt(args[2]);
    int channels = Integer.parseInt(args[3]);
    int layers = Integer.parseInt(args[4]);
    int batch = Integer.parseInt(args[5]);
    int threads = Integer.parseInt(args[6]);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    NativeRuntime.init();
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    Path tmp = Files.createTempDirectory("nas-sdas-bench");
    try {
      new SearchRun(config("das", 1, 64, 4, 3, 16), tmp.resolve("warmup"), Device.cpu(), quiet).execute(SearchAlgorithm.RunControl.FRESH);
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      ALGOS.forEach(a -> runs.put(a, new ArrayList<>()));
      for (int r = 0; r < rounds; r++) {
        List<String> order = new ArrayList<>(ALGOS);
        if (r % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (String algo : order) {
          Path dir = tmp.resolve(algo + "-" + r);
          SearchConfig c = config(algo, epochs, samples, channels, layers, batch);
          long t0 = System.nanoTime();
          SearchResult res = new SearchRun(c, dir, Device.cpu(), quiet).execute(SearchAlgorithm.RunControl.FRESH);
          double wall = (System.nanoTime() - t0) / 1e9;
          List<EpochRecord> h = Json.MAPPER.readValue(dir.resolve("history.json").toFile(),
              new TypeReference<List<EpochRecord>>() { });
          // SearchRun holds out round(samples × (1 − train portion)) for validation
          int steps = (int) (samples - Math.round(samples * (1 - c.data().trainPortion()))) / batch;
          Run run = new Run(wall, h, steps, res.genotype().describe(),
              operations(h.get(h.size() - 1).decisions(), (long) steps * epochs, layers));
          runs.get(algo).add(run);
          System.err.printf(Locale.ROOT, "round %d %-7s %6.1f s wall, %6.1f s training loop, s/step per epoch %s, "
              + "final val acc relaxed %.1f%% / discrete %.1f%%%n", r + 1, algo, wall, run.loopSeconds(),
              run.perStep(), 100 * run.last().evalValAcc(), 100 * run.last().discreteValAcc());
        }
      }
      ObjectNode out = Json.MAPPER.createObjectNode();
      out.put("space", "o2d");
      out.put("epochs", epochs);
      out.put("samples", samples);
      out.put("channels", channels);
      out.put("layers", layers);
      out.put("batch", batch);
      out.put("threads", threads);
      out.put("rounds", rounds);
      out.put("machine", MachineInfo.current().describe());
      ObjectNode algos = out.putObject("algorithms");
      double dasWall = median(runs.get("das").stream().map(Run::wall).toList());
      double dasLoop = median(runs.get("das").stream().map(Run::loopSeconds).toList());
      long dasOps = runs.get("das").get(0).operations();
      System.err.printf(Locale.ROOT, "%n| algorithm | wall s (median) | training loop s | DAS/this wall | DAS/this loop |"
          + " DAS/this operations | s/step first → last epoch | relaxed / discrete val acc |%n"
          + "|---|---:|---:|---:|---:|---:|---|---|%n");
      for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
        List<Run> rs = e.getValue();
        double wall = median(rs.stream().map(Run::wall).toList());
        double loop = median(rs.stream().map(Run::loopSeconds).toList());
        ObjectNode a = algos.putObject(e.getKey());
        ArrayNode walls = a.putArray("wallSeconds");
        rs.forEach(x -> walls.add(x.wall()));
        ArrayNode loops = a.putArray("loopSeconds");
        rs.forEach(x -> loops.add(x.loopSeconds()));
        a.put("medianWallSeconds", wall);
        a.put("medianLoopSeconds", loop);
        a.put("dasOverThisWall", dasWall / wall);
        a.put("dasOverThisLoop", dasLoop / loop);
        a.put("operations", rs.get(0).operations());
        a.put("dasOverThisOperations", (double) dasOps / rs.get(0).operations());
        a.set("secondsPerStepByEpoch", Json.MAPPER.valueToTree(rs.get(0).perStep()));
        a.put("relaxedValAcc", rs.get(0).last().evalValAcc());
        a.put("discreteValAcc", rs.get(0).last().discreteValAcc());
        a.put("genotype", rs.get(0).genotype());
        List<Double> ps = rs.get(0).perStep();
        System.err.printf(Locale.ROOT, "| `%s` | %.1f | %.1f | %.2f× | %.2f× | %.2f× | %.2f → %.2f | %.1f%% / %.1f%% |%n",
            e.getKey(), wall, loop, dasWall / wall, dasLoop / loop, (double) dasOps / rs.get(0).operations(), ps.get(0),
            ps.get(ps.size() - 1),
            100 * rs.get(0).last().evalValAcc(), 100 * rs.get(0).last().discreteValAcc());
      }
      System.out.print(Json.write(out));
    } finally {
      try (var walk = Files.walk(tmp)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static SearchConfig config(String algo, int epochs, int samples, int channels, int layers, int batch) {
    // the pipeline's short-search settings: α and β learn ten times faster than in DARTS' 50 epochs
    SearchConfig d = SearchAlgorithms.named(algo).defaults();
    return d.withData(new DataSettings("synthetic", null, "3x16x16", 10, samples, 64, d.data().trainPortion(),
        d.data().augment(), 0)).withSupernet(new SupernetShape("o2d", layers, channels, 0, 0, 1, null))
        .withSchedule(new EpochSchedule(epochs, batch, 0)).withArch(d.arch().withLr(3e-3));
  }

  /**
   * Operation fragments one forward pass computes, summed over iterations 1..T: at iteration t the
   * decisions taken after earlier iterations apply (a decision taken after iteration t shapes t + 1).
   */
  static long operations(List<Decision> decisions, long total, int layers) {
    SearchSpace space = SearchSpace.O2D;
    List<CellPlan> cells = MacroLayout.plan(MacroConfig.Kind.CIFAR, layers, 0, MacroLayout.Stage.SEARCH,
        new MacroBlocks.StemOutputs(0, 0, 1, 1, List.of(1, 1)), 2, t -> space.intermediateNodes(),
        space.cellTypeNames());
    Discretization state = new Discretization(space);
    long sum = 0;
    int next = 0;
    for (long t = 1; t <= total; t++) {
      while (next < decisions.size() && decisions.get(next).iteration() < t) {
        state.apply(decisions.get(next++));
      }
      for (CellPlan c : cells) {
        for (int e = 0; e < space.edgesPerCell(); e++) {
          sum += switch (state.status(c.type(), e)) {
            case MIXED -> space.keepableOps(c.type()).length;
            case CHOSEN, KEPT -> 1;
            case DROPPED -> 0;
          };
        }
      }
    }
    return sum;
  }

  private record Run(double wall, List<EpochRecord> history, int steps, String genotype, long operations) {
    double loopSeconds() {
      return history.stream().mapToDouble(r -> r.secondsPerStep() * steps).sum();
    }

    List<Double> perStep() {
      return history.stream().map(r -> Math.round(r.secondsPerStep() * 1000) / 1000.0).toList();
    }

    EpochRecord last() {
      return history.get(history.size() - 1);
    }
  }

  private static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
