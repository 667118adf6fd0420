package dev.nas.search;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeJson;
import dev.nas.core.io.Json;
import dev.nas.core.io.Tensor;
import dev.nas.core.ops.SearchSpace;
import dev.nas.core.run.RunLog;
import dev.nas.data.ImageDataset;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Batch;
import dev.nas.djl.Evaluation;
import dev.nas.djl.ExecContext;
import dev.nas.djl.NonFiniteLossException;
import dev.nas.search.algo.ArchObjective;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchOptimizer;
import dev.nas.search.algo.StepStats;
import dev.nas.search.algo.SupernetAlgorithm;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.cost.BudgetFit;
import dev.nas.search.cost.CostRecord;
import dev.nas.search.cost.SearchCosts;
import dev.nas.search.sdas.Decision;
import dev.nas.search.sdas.DecisionQueue;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.sdas.Scheduler;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.GenotypeMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs a search into a run folder: {@code config.json}, {@code log.txt}, {@code history.json}
 * (per-epoch metrics, genotypes and, for SDAS, decisions and search-space size),
 * {@code alphas.json} (architecture parameters per epoch), {@code genotype.json} (the current
 * derivation) and {@code checkpoint.safetensors} (the state after the last completed epoch, SDAS'
 * decisions included, from which {@code --resume} continues exactly). Algorithms: DARTS first and
 * second order, DAS (DARTS first order with edge strengths β), SDAS (DAS discretized on a
 * schedule, see {@link Scheduler}) and PV-NAS' one-level optimisation (no validation split, see
 * {@link dev.nas.search.algo.OneLevelOptimizer}).
 */
public final class SearchRun {
  private final SearchConfig config;
  private final SupernetAlgorithm algorithm;
  private final Path run;
  private final Device device;
  private final PrintStream console;
  private final RunLog log;
  private PublicationHook hook = (step, epoch) -> { };

  /**
   * Called just before each step that publishes a completed epoch: {@code checkpoint} (the
   * commit), then {@code history}, {@code alphas} and {@code genotype}. Tests throw from it to
   * stop a search at exactly that point, as a kill there would.
   */
  @FunctionalInterface
  interface PublicationHook {
    void reached(String step, int epoch) throws IOException;
  }

  /** Thrown when a search cannot continue; the message says why and what was kept. */
  public static final class SearchFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SearchFailed(String message) {
      super(message);
    }
  }

  public SearchRun(SearchConfig config, Path run, Device device, PrintStream console) {
    if (!(config.algorithm() instanceof SupernetAlgorithm a)) {
      throw new IllegalArgumentException(config.algo() + " does not search a single supernet; run it with "
          + "SearchConfig.algorithm().run(...)");
    }
    this.algorithm = a;
    this.config = config;
    this.run = run;
    this.device = device;
    this.console = console;
    this.log = new RunLog(run.resolve("log.txt"), console);
  }

  /** Installs {@code h} as the publication hook (tests only); returns this run. */
  SearchRun onPublication(PublicationHook h) {
    this.hook = h;
    return this;
  }

  /** The configuration stored in a run folder; a damaged one fails with one clear message. */
  public static SearchConfig storedConfig(Path run) throws IOException {
    Path f = run.resolve("config.json");
    if (!Files.isRegularFile(f)) {
      throw new IOException(run + " holds no search (config.json is missing)");
    }
    if (Files.size(f) > 1 << 20) {
      throw new IOException(f + " is damaged: " + Files.size(f) + " bytes, far more than a search configuration");
    }
    try {
      SearchConfig c = SearchConfig.fromJson(Json.MAPPER.readTree(f.toFile()));
      if (c == null) {
        throw new IOException("empty");
      }
      return c;
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new IOException(f + " is damaged (" + why + "); restore it or start the search again in another --out");
    }
  }

  /** Intra-op CPU threads of this process: {@code --threads}, else all cores. */
  static int threads() {
    String p = System.getProperty("ai.djl.pytorch.num_threads");
    try {
      return p != null ? Integer.parseInt(p.trim()) : Runtime.getRuntime().availableProcessors();
    } catch (NumberFormatException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * Runs (or, with {@code control.resume()}, continues) the search; {@code control.stopAfter()} > 0
   * stops after that many epochs of this invocation (the run can be resumed later).
   */
  public SearchResult execute(SearchAlgorithm.RunControl control) throws IOException {
    long start = System.nanoTime();
    prepareFolder(control.resume());
    SearchData data = SearchData.load(config, log);
    ImageDataset full = data.full();
    ImageDataset train = data.train();
    ImageDataset val = data.validation();
    SearchSpace space = config.space();
    SupernetShape shape = config.supernet();
    SupernetConfig sc = SupernetConfig.of(space, shape.channels(), shape.layers(), shape.repeat(),
        shape.stemChannels(), full.numClasses(), full.shape(), data.preprocessing())
        .withPartialChannels(shape.partialChannels()).withMacro(shape.macroKind());
    SearchCosts costs = costs(sc, control.resume());
    // stays empty unless the algorithm discretizes on a schedule
    Discretization discretization = new Discretization(space);
    int batch = config.schedule().batch();
    int warmupEpochs = config.schedule().warmupEpochs();
    int epochs = config.schedule().epochs();
    try (Supernet net = new Supernet(sc, algorithm.mixing(space, discretization, shape.partial()), device, DataType.FLOAT32,
        config.random().supernetInit());
        NDManager root = NDManager.newBaseManager(device)) {
      checkMemory(net, control.ignoreMemoryEstimate());
      if (shape.partial()) {
        log.info(String.format(java.util.Locale.ROOT, "partial channel connections (PC-DARTS): K=%d, each mixed edge"
            + " computes 1/%d of its channels, nodes weight their edges (edge normalisation)",
            shape.partialChannels(), shape.partialChannels()));
      }
      SearchOptimizer opt = algorithm.optimizer(net, config, costs == null ? ArchObjective.ACCURACY
          // the iteration only stamps the decisions a completion adds; the genotype does not depend on it
          : costs.objective(net, () -> algorithm.derive(net, 0, config)));
      EpochLoop loop = new EpochLoop(config, data, algorithm.lrSchedule(config), root);
      int stepsPerEpoch = loop.stepsPerEpoch();
      // T counts the iterations that update α and β; decisions during the α-frozen warm-up would
      // rest on the random initial α and β
      long totalIterations = (long) (epochs - warmupEpochs) * stepsPerEpoch;
      Scheduler scheduler = algorithm.decisionSchedule()
          .map(s -> new Scheduler(s, totalIterations, discretization, config.sdas().queue())).orElse(null);
      int startEpoch = 0;
      List<EpochRecord> history = new ArrayList<>();
      ArrayNode alphas = Json.MAPPER.createArrayNode();
      Genotype restored = null;
      if (control.resume()) {
        SearchCheckpoint ck = restore(net, opt, discretization, scheduler, stepsPerEpoch);
        if (ck != null) {
          startEpoch = ck.epochsDone();
          history.addAll(ck.history());
          alphas = ck.alphas();
          restored = ck.genotype().isEmpty() ? null : dev.nas.core.genotype.Genotypes.parseJson(ck.genotype());
          // the records may lag the checkpoint (a kill after its rename): republish them from it
          publish(ck, false);
        }
      }
      log.info(String.format(Locale.ROOT, "search %s on %s, space %s: %d train / %d val samples of %s, %d classes;"
          + " supernet %s C=%d, %d cells, %,d weights; batch %d, epochs %d, seed %d, device %s", config.algo(),
          config.data().dataset(), space.name(), train.size(), val.size(), full.shape(), full.numClasses(),
          sc.macro().id(), shape.channels(), sc.layers(), net.weightCount(), batch, epochs, config.seed(), device));
      algorithm.describe(config, data).ifPresent(log::info);
      int endEpoch = control.stopAfter() > 0 ? Math.min(epochs, startEpoch + control.stopAfter()) : epochs;
      if (scheduler != null) {
        log.info(String.format(Locale.ROOT, "SDAS schedule %s: %d decisions (%s, %d edges + %d nodes each) over"
            + " %d iterations%s; search space %s architectures", scheduler.schedule(), scheduler.decisionsNeeded(),
            scheduler.queue() == DecisionQueue.SHARED ? "one queue for all " + space.cellTypes().size()
                + " cell types" : "per cell type, in lockstep", space.edgesPerCell(), space.intermediateNodes(),
            totalIterations,
            warmupEpochs > 0 ? " (after " + warmupEpochs + " warm-up epochs)" : "",
            sci(new Discretization(space).searchSpaceSize())));
      }
      Epochs body = new Epochs(net, opt, scheduler, discretization, val, root, stepsPerEpoch, history, alphas,
          restored != null ? restored : algorithm.derive(net, 0, config), costs);
      loop.run("search", startEpoch, endEpoch, body);
      boolean finished = endEpoch == epochs;
      OptionalLong peak = MemoryEstimate.peakResident();
      log.info(String.format(Locale.ROOT, "%s after %d/%d epochs; genotype in %s%s", finished ? "search finished"
          : "search paused", endEpoch, epochs, run.resolve("genotype.json"),
          peak.isPresent() ? "; peak resident memory " + MemoryEstimate.gib(peak.getAsLong()) : ""));
      return new SearchResult(run, body.genotype, endEpoch, finished, (System.nanoTime() - start) / 1e9,
          full.shape(), full.numClasses(), null);
    }
  }

  /** The loop body of a supernet search: its iterations, and per epoch the evaluation, record and checkpoint. */
  private final class Epochs implements EpochLoop.Body {
    private final Supernet net;
    private final SearchOptimizer opt;
    private final Scheduler scheduler;
    private final Discretization discretization;
    private final ImageDataset val;
    private final NDManager root;
    private final int stepsPerEpoch;
    private final List<EpochRecord> history;
    private final ArrayNode alphas;
    private Genotype genotype;
    private final List<Decision> taken = new ArrayList<>();
    private final SearchCosts costs;
    private RunningMean trainLoss = new RunningMean();
    private RunningMean trainAcc = new RunningMean();
    private RunningMean valLoss = new RunningMean();
    private RunningMean valAcc = new RunningMean();

    Epochs(Supernet net, SearchOptimizer opt, Scheduler scheduler, Discretization discretization, ImageDataset val,
        NDManager root, int stepsPerEpoch, List<EpochRecord> history, ArrayNode alphas, Genotype genotype,
        SearchCosts costs) {
      this.costs = costs;
      this.net = net;
      this.opt = opt;
      this.scheduler = scheduler;
      this.discretization = discretization;
      this.val = val;
      this.root = root;
      this.stepsPerEpoch = stepsPerEpoch;
      this.history = history;
      this.alphas = alphas;
      this.genotype = genotype;
    }

    @Override
    public void step(EpochLoop.Step s) {
      Batch tb = s.train();
      Batch vb = opt.usesValidation() ? s.validation() : null;
      StepStats stats;
      double lr = s.epoch().lr();
      if (s.epoch().warmup()) {
        stats = new StepStats(opt.weightStep(tb, lr), null);
      } else {
        stats = opt.step(tb, vb, lr);
        if (scheduler != null) {
          long t = (long) (s.epoch().index() - config.schedule().warmupEpochs()) * stepsPerEpoch + s.index() + 1;
          BetaMixing beta = (BetaMixing) net.mixing();
          taken.addAll(scheduler.advance(t, () -> beta.archWeights(net.params())));
        }
      }
      trainLoss.add(stats.train().loss(), stats.train().count());
      trainAcc.addTotal(stats.train().correct(), stats.train().count());
      if (stats.validation() != null) {
        valLoss.add(stats.validation().loss(), stats.validation().count());
        valAcc.addTotal(stats.validation().correct(), stats.validation().count());
      }
    }

    @Override
    public String progress(EpochLoop.Epoch e) {
      return String.format(Locale.ROOT, "epoch %d/%d loss %.3f acc %.1f%% | %s%s", e.index() + 1,
          config.schedule().epochs(), trainLoss.mean(), 100.0 * trainAcc.mean(), e.warmup()
              ? "warm-up, α frozen" : valLoss.weight() == 0 ? "one-level"
              : String.format(Locale.ROOT, "val loss %.3f acc %.1f%%", valLoss.mean(), 100.0 * valAcc.mean()),
          scheduler == null ? "" : String.format(Locale.ROOT, " | decisions %d/%d", scheduler.decisionsMade(),
              scheduler.decisionsNeeded()));
    }

    @Override
    public String stopped(NonFiniteLossException e, EpochLoop.Epoch epoch, int step) {
      return String.format(Locale.ROOT, "%s at epoch %d step %d (learning rate %.4g); stopped. The last good state "
          + "(%d completed epochs) is kept in %s; lower --lr or --arch-lr and resume with --resume, or start again.",
          e.getMessage(), epoch.index() + 1, step + 1, epoch.lr(), epoch.index(), SearchCheckpoint.path(run));
    }

    @Override
    public void endEpoch(EpochLoop.Epoch e) throws IOException {
      int epoch = e.index();
      int batch = config.schedule().batch();
      Evaluation eval = Evaluation.of(x -> net.forward(x, ExecContext.inference()), val, batch, root,
          DataType.FLOAT32);
      long iteration = Math.max(0, (long) (epoch + 1 - config.schedule().warmupEpochs()) * stepsPerEpoch);
      genotype = algorithm.derive(net, iteration, config);
      BudgetFit.Fit fit = null;
      if (costs != null && costs.budgeted()) {
        fit = costs.fit(genotype, net);
        genotype = fit.genotype();
      }
      GenotypeMixing discrete = new GenotypeMixing(config.space(), genotype);
      Evaluation discreteEval = Evaluation.of(x -> net.forward(x, ExecContext.inference(), discrete), val, batch,
          root, DataType.FLOAT32);
      double seconds = (System.nanoTime() - e.startNanos()) / 1e9;
      EpochRecord last = record(epoch, e.lr(), trainLoss.mean(), trainAcc.mean(), valLoss.mean(), valAcc.mean(),
          eval, discreteEval, seconds, e.loopSeconds() / stepsPerEpoch, genotype, net, discretization,
          scheduler, costs == null ? null : costs.record(net, genotype, fit));
      history.add(last);
      alphas.add(alphaEntry(net, epoch));
      hook.reached("checkpoint", epoch + 1);
      SearchCheckpoint ck = new SearchCheckpoint(epoch + 1, config, discretization.decisions(), threads(), history,
          alphas, GenotypeJson.write(genotype), state(net, opt));
      ck.write(run);
      publish(ck, true);
      boolean oneLevel = !algorithm.usesValidation();
      log.info(String.format(Locale.ROOT, "epoch %d/%d  lr %.5f  train loss %.4f acc %.2f%%  %s  "
          + "eval-%s loss %.4f acc %.2f%% (relaxed), %.4f / %.2f%% (discrete)  %.1fs (%.3fs/step)", epoch + 1,
          config.schedule().epochs(), e.lr(), last.trainLoss(), 100 * last.trainAcc(), e.warmup()
              ? "(warm-up: α frozen)" : valLoss.weight() == 0 ? "(one-level: α on the training loss)"
              : String.format(Locale.ROOT, "search-val acc %.2f%%", 100 * last.searchValAcc()),
          oneLevel ? "train" : "val", eval.loss(), 100 * eval.top1(), discreteEval.loss(), 100 * discreteEval.top1(),
          seconds, last.secondsPerStep()));
      log.info("  genotype " + genotype.describe());
      if (costs != null) {
        log.info("  " + costs.describe(last.cost(), fit));
      }
      log.info(String.format(Locale.ROOT, "  normal cells: %d skip_connect, %d parameter-free of %d edges",
          last.normalSkips(), last.normalParameterFree(), CollapseMonitor.normalCellCounts(genotype)[2]));
      if (scheduler != null) {
        String made = scheduler.queue() == DecisionQueue.SHARED ? config.space().cellTypes().stream()
            .map(c -> c.name() + " " + discretization.made(c.name())).collect(java.util.stream.Collectors.joining(", "))
            : "per cell type";
        log.info(String.format(Locale.ROOT, "  decisions %d/%d (%s; %d this epoch); search space %s",
            last.decisionsMade(), last.decisionsNeeded(), made, taken.size(), sci(last.searchSpaceSize())));
        taken.forEach(d -> log.info("    " + d.describe()));
      }
      last.warnings().forEach(log::warn);
      taken.clear();
      trainLoss = new RunningMean();
      trainAcc = new RunningMean();
      valLoss = new RunningMean();
      valAcc = new RunningMean();
    }
  }

  /**
   * The search's costs, or null for an accuracy-only search. A fresh run refused for its costs (an
   * impossible budget, a latency table for another network) leaves no run folder behind.
   */
  private SearchCosts costs(SupernetConfig sc, boolean resume) throws IOException {
    if (!config.costAware()) {
      return null;
    }
    try {
      return SearchCosts.of(config, algorithm.edgeSelection(config), sc, log);
    } catch (IllegalArgumentException | IOException e) {
      if (!resume) {
        for (String f : List.of("config.json", "log.txt")) {
          Files.deleteIfExists(run.resolve(f));
        }
        try (var left = Files.list(run)) {
          if (left.findAny().isEmpty()) {
            Files.delete(run);
          }
        }
      }
      throw e;
    }
  }

  private void prepareFolder(boolean resume) throws IOException {
    Path cfg = run.resolve("config.json");
    if (resume) {
      SearchConfig stored = storedConfig(run);
      List<String> diff = stored.differences(config);
      if (!diff.isEmpty()) {
        throw new SearchFailed("cannot resume " + run + " with a different configuration (stored vs given): "
            + String.join("; ", diff));
      }
      dev.nas.core.io.AtomicFiles.removeStale(SearchCheckpoint.path(run));
      return;
    }
    if (Files.exists(cfg) || Files.exists(SearchCheckpoint.path(run))) {
      throw new SearchFailed(run + " already holds a search; continue it with --resume (also when it stopped before"
          + " its first checkpoint) or choose another --out");
    }
    if (Files.exists(run) && !Files.isDirectory(run)) {
      throw new SearchFailed("--out " + run + " is a file, not a folder; choose another --out");
    }
    Files.createDirectories(run);
    Json.writeFile(cfg, config);
  }

  /** A count in scientific notation for the log, e.g. {@code 1.08e+18}; small counts in full. */
  static String sci(BigInteger n) {
    return n.compareTo(BigInteger.valueOf(100_000)) < 0 ? n.toString()
        : String.format(Locale.ROOT, "%.3g", new java.math.BigDecimal(n));
  }

  /**
   * Restores the state of the checkpoint in the run folder after checking it against this
   * configuration; null when the search stopped before writing its first one (it then starts
   * from the first epoch).
   */
  private SearchCheckpoint restore(Supernet net, SearchOptimizer opt, Discretization discretization,
      Scheduler scheduler, int stepsPerEpoch) throws IOException {
    if (!Files.exists(SearchCheckpoint.path(run))) {
      log.info("no checkpoint in " + run + " yet (the search stopped during its first epoch): starting from the "
          + "first epoch");
      return null;
    }
    SearchCheckpoint ck = SearchCheckpoint.read(run);
    List<String> diff = ck.config().differences(config);
    if (!diff.isEmpty()) {
      throw new SearchFailed("checkpoint in " + run + " was written by a different configuration: "
          + String.join("; ", diff));
    }
    String damaged = SearchCheckpoint.path(run) + " is damaged: ";
    if (ck.epochsDone() < 1 || ck.epochsDone() > config.schedule().epochs()) {
      throw new SearchFailed(damaged + "it claims " + ck.epochsDone() + " completed epochs of a " + config.schedule().epochs()
          + "-epoch search");
    }
    if (ck.history().size() != ck.epochsDone() || ck.alphas().size() != ck.epochsDone()) {
      throw new SearchFailed(damaged + "it holds " + ck.history().size() + " epoch records and " + ck.alphas().size()
          + " α entries for " + ck.epochsDone() + " completed epochs");
    }
    for (int i = 0; i < ck.history().size(); i++) {
      if (ck.history().get(i).epoch() != i + 1) {
        throw new SearchFailed(damaged + "its epoch record " + (i + 1) + " says epoch " + ck.history().get(i).epoch());
      }
    }
    Map<String, Tensor> params = new LinkedHashMap<>();
    Map<String, Tensor> optState = new LinkedHashMap<>();
    ck.tensors().forEach((k, v) -> (k.startsWith(TensorNames.OPTIMIZER) ? optState : params).put(k, v));
    try {
      net.params().load(params, true);
    } catch (IllegalArgumentException e) {
      String shared = config.supernet().space() + SearchSpace.SHARED_REDUCTION;
      boolean legacy = params.containsKey(TensorNames.alpha(Genotype.REDUCE)) && SearchSpace.names().contains(shared);
      throw new SearchFailed("checkpoint does not fit the supernet of this configuration: " + e.getMessage() + (legacy
          ? "; it was searched with one reduce cell at both the ST- and the S-reductions, before space "
              + config.supernet().space() + " had cells of each (SDAS Section 4): its genotype.json still reads (as space "
              + shared + ") and derives, but the search cannot be resumed by this version" : ""));
    }
    opt.load(optState);
    try {
      ck.decisions().forEach(discretization::apply);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new SearchFailed("checkpoint in " + run + " holds an SDAS decision that does not apply: " + e.getMessage());
    }
    checkDecisions(ck, discretization, scheduler, stepsPerEpoch, damaged);
    if (ck.threads() != threads()) {
      log.warn("the checkpoint was written with " + ck.threads() + " CPU threads and this run uses " + threads()
          + "; the result will differ slightly from an uninterrupted run (sums are split differently across threads)."
          + " Resume with --threads " + ck.threads() + " for an exact continuation");
    }
    if (ck.epochsDone() >= config.schedule().epochs()) {
      log.info("search in " + run + " already completed " + ck.epochsDone() + " epochs");
    } else {
      log.info("resuming " + run + " after epoch " + ck.epochsDone());
    }
    return ck;
  }

  /**
   * SDAS' decisions are replayed, not recomputed, on resume: refuses a list that is not the one
   * the schedule takes by the checkpoint's iteration (emptied, cut or extended) or that disagrees
   * with the last epoch record; other algorithms take none.
   */
  private void checkDecisions(SearchCheckpoint ck, Discretization discretization, Scheduler scheduler,
      int stepsPerEpoch, String damaged) {
    if (scheduler == null) {
      if (!ck.decisions().isEmpty()) {
        throw new SearchFailed(damaged + "it holds " + ck.decisions().size() + " SDAS decisions, but --algo "
            + config.algo() + " takes none");
      }
      return;
    }
    long t = Math.max(0, (long) (ck.epochsDone() - config.schedule().warmupEpochs()) * stepsPerEpoch);
    if (!scheduler.onSchedule(t)) {
      throw new SearchFailed(damaged + "it holds " + discretization.decisions().size() + " SDAS decisions, but the "
          + config.algo() + " schedule (" + scheduler.queue().id() + " queue) has taken "
          + (t == 0 ? 0 : scheduler.target(t)) + (scheduler.queue() == DecisionQueue.SHARED ? "" : " per cell type")
          + " after epoch " + ck.epochsDone() + " (the decision list was edited or emptied)");
    }
    if (!ck.history().get(ck.history().size() - 1).decisions().equals(ck.decisions())) {
      throw new SearchFailed(damaged + "its SDAS decisions differ from those of its last epoch record");
    }
  }

  private static Map<String, Tensor> state(Supernet net, SearchOptimizer opt) {
    Map<String, Tensor> out = new LinkedHashMap<>(net.params().toTensors());
    out.putAll(opt.state());
    return out;
  }

  private EpochRecord record(int epoch, double lr, double trainLoss, double trainAcc, double valLoss, double valAcc,
      Evaluation eval, Evaluation discrete, double seconds, double perStep, Genotype g, Supernet net,
      Discretization discretization, Scheduler scheduler, CostRecord cost) {
    int[] counts = CollapseMonitor.normalCellCounts(g);
    SearchSpace space = net.config().space();
    // mean weight of each operation over the edges of the normal-type cells that offer it
    Map<String, Double> mean = new LinkedHashMap<>();
    Map<String, Integer> edges = new LinkedHashMap<>();
    Map<String, float[]> weights = net.mixingWeights();
    for (SearchSpace.CellType t : space.cellTypes()) {
      if (t.reduction()) {
        continue;
      }
      float[] w = weights.get(t.name());
      int ops = t.ops().size();
      for (int o = 0; o < ops; o++) {
        double s = 0;
        for (int e = 0; e < space.edgesPerCell(); e++) {
          s += w[e * ops + o];
        }
        mean.merge(t.ops().get(o), s, Double::sum);
        edges.merge(t.ops().get(o), space.edgesPerCell(), Integer::sum);
      }
    }
    mean.replaceAll((op, s) -> s / edges.get(op));
    return new EpochRecord(epoch + 1, lr, trainLoss, trainAcc, valLoss, valAcc, eval.loss(), eval.top1(),
        discrete.loss(), discrete.top1(), seconds, perStep, g.describe(), counts[0], counts[1], mean,
        scheduler == null ? 0 : scheduler.decisionsMade(), scheduler == null ? 0 : scheduler.decisionsNeeded(),
        discretization.searchSpaceSize(), discretization.decisions(), CollapseMonitor.warnings(g), cost);
  }

  /** The {@code alphas.json} entry of an epoch: α, the mixing weights and, where present, β and σ(β). */
  private static ObjectNode alphaEntry(Supernet net, int epoch) {
    ObjectNode entry = Json.MAPPER.createObjectNode();
    entry.put("epoch", epoch + 1);
    SearchSpace space = net.config().space();
    boolean uniform = space.cellTypes().stream().allMatch(t -> t.ops().equals(space.cellTypes().get(0).ops()));
    if (uniform) {
      entry.set("ops", Json.MAPPER.valueToTree(space.cellTypes().get(0).ops()));
    }
    ObjectNode cells = entry.putObject("cells");
    Map<String, float[]> weights = net.mixingWeights();
    for (SearchSpace.CellType t : space.cellTypes()) {
      ObjectNode c = cells.putObject(t.name());
      if (!uniform) {
        c.set("ops", Json.MAPPER.valueToTree(t.ops()));
      }
      c.set("alpha", matrix(dev.nas.djl.Tensors.toHost(net.params().get(TensorNames.alpha(t.name()))).data(),
          t.ops().size()));
      c.set("weights", matrix(weights.get(t.name()), t.ops().size()));
      if (net.params().contains(TensorNames.beta(t.name()))) {
        float[] b = dev.nas.djl.Tensors.toHost(net.params().get(TensorNames.beta(t.name()))).data();
        ArrayNode beta = c.putArray("beta");
        ArrayNode strength = c.putArray("strength");
        for (float v : b) {
          beta.add(v);
          strength.add((float) (1 / (1 + Math.exp(-v))));
        }
      }
    }
    return entry;
  }

  /**
   * Writes the run records ({@code history.json}, {@code alphas.json}, {@code genotype.json}) from
   * a checkpoint already committed, so they never claim more than it holds; {@code hooked} calls
   * the publication hook before each.
   */
  private void publish(SearchCheckpoint ck, boolean hooked) throws IOException {
    if (hooked) {
      hook.reached("history", ck.epochsDone());
    }
    Json.writeFile(run.resolve("history.json"), ck.history());
    if (hooked) {
      hook.reached("alphas", ck.epochsDone());
    }
    Json.writeFile(run.resolve("alphas.json"), ck.alphas());
    if (hooked) {
      hook.reached("genotype", ck.epochsDone());
    }
    dev.nas.core.io.AtomicFiles.writeString(run.resolve("genotype.json"), ck.genotype());
  }

  private static ArrayNode matrix(float[] v, int cols) {
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (int r = 0; r < v.length / cols; r++) {
      ArrayNode row = rows.addArray();
      for (int c = 0; c < cols; c++) {
        row.add(v[r * cols + c]);
      }
    }
    return rows;
  }

  private void checkMemory(Supernet net, boolean ignore) {
    MemoryEstimate est = MemoryEstimate.forSearch(net.fragments(), net.plumbingValuesPerSample(), net.weightCount(), config.schedule().batch(), 4,
        algorithm.secondOrder());
    log.info(est.describe());
    OptionalLong avail = MemoryEstimate.available();
    if (avail.isPresent() && est.total() > 0.9 * avail.getAsLong() && !ignore) {
      throw new SearchFailed("the search would need about " + MemoryEstimate.gib(est.total()) + " but only "
          + MemoryEstimate.gib(avail.getAsLong()) + " is available; reduce --batch, --channels or --layers (activation"
          + " memory grows linearly with each), or pass --ignore-memory-estimate to try anyway");
    }
  }
}
