package dev.nas.search.cdarts;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeJson;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.core.run.RunLog;
import dev.nas.data.EpochOrder;
import dev.nas.derive.NetworkSpec;
import dev.nas.djl.Batch;
import dev.nas.djl.BatchNormSnapshot;
import dev.nas.djl.Evaluation;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Losses;
import dev.nas.djl.NonFiniteLossException;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.djl.TrainingStep;
import dev.nas.djl.optim.Adam;
import dev.nas.djl.optim.Grads;
import dev.nas.djl.optim.Sgd;
import dev.nas.search.CollapseMonitor;
import dev.nas.search.EpochLoop;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.RandomStreams;
import dev.nas.search.RunningMean;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchData;
import dev.nas.search.SearchResult;
import dev.nas.search.SearchRun;
import dev.nas.search.algo.ArchObjective;
import dev.nas.search.cost.BudgetFit;
import dev.nas.search.cost.CostRecord;
import dev.nas.search.cost.EdgeSelection;
import dev.nas.search.cost.SearchCosts;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Runs CDARTS (cyclic differentiable architecture search with introspective distillation) into a
 * run folder, in the search's {@link EpochLoop}. Every search step: (stage 1, every S_U steps) α is
 * discretized (DARTS' top-2 rule), the E-Net rebuilt when the genotype changed (inheriting its
 * weights, see {@link EvalNet#rebuild}) and trained S_E steps on the val split; (stage 2, after the
 * warm-up) α and w_E take one step on a val batch for {@code L_val^S + L_val^E + λ·L_distill +
 * λ'·‖α_skip‖₁} (Eqs. 8 and 11); then w_S takes one step on a train batch. In separate learning
 * each network's loss is the cross-entropy summed over its levels (stage heads and classifier); in
 * the joint step the heads feed the distillation only ({@link CdartsSettings.HeadLoss}). The run folder holds
 * {@code config.json}, {@code log.txt}, {@code history.json}, {@code genotype.json} and {@code enet/},
 * the trained E-Net as a static network folder. There is no checkpoint: a CDARTS run cannot be resumed.
 */
public final class CdartsRun {
  private final SearchConfig search;
  private final CdartsSettings config;
  private final Path run;
  private final Device device;
  private final RunLog log;

  /** The joint step's reported terms, each per sample of its val batch. */
  record JointStep(TrainingStep.Outcome snet, double enetLoss, double distill, double skip) {}

  public CdartsRun(SearchConfig search, Path run, Device device, PrintStream console) {
    if (search.cdarts() == null) {
      throw new IllegalArgumentException("a CDARTS run needs --algo cdarts, got " + search.algo());
    }
    this.search = search;
    this.config = search.cdarts();
    this.run = run;
    this.device = device;
    this.log = new RunLog(run.resolve("log.txt"), console);
  }

  /** Runs the whole search. */
  public SearchResult execute() throws IOException {
    long start = System.nanoTime();
    prepareFolder();
    SearchData data = SearchData.load(search, log);
    var full = data.full();
    var val = data.validation();
    SearchSpace space = search.space();
    var shape = search.supernet();
    int batch = search.schedule().batch();
    int epochs = search.schedule().epochs();
    RandomStreams random = search.random();
    SupernetConfig sc = SupernetConfig.of(space, shape.channels(), shape.layers(), shape.repeat(),
        shape.stemChannels(), full.numClasses(), full.shape(), data.preprocessing())
        .withPartialChannels(shape.partialChannels()).withMacro(shape.macroKind());
    // the E-Net is stacked in the S-Net's macro (the space's, or imagenet), deeper
    MacroConfig.Kind kind = sc.macro();
    MacroConfig enetMacro = kind.video()
        ? MacroConfig.video(kind, config.enetChannels(), config.enetRepeat(), shape.stemChannels(), full.numClasses(),
            full.shape(), false)
        : new MacroConfig(kind, config.enetChannels(), config.enetLayers(), full.numClasses(), full.shape(), false);
    // CDARTS derives by DARTS' rule from the S-Net's α: the expected cost follows it
    SearchCosts costs = search.costAware() ? SearchCosts.of(search, EdgeSelection.STRONGEST_OP, sc, log) : null;
    try (Supernet sup = new Supernet(sc, new SoftmaxMixing(space, shape.partial()), device, DataType.FLOAT32, random.supernetInit());
        NDManager root = NDManager.newBaseManager(device)) {
      SearchNet snet = new SearchNet(sup, search.seed());
      Genotype genotype = GenotypeDeriver.derive(space, sup.mixingWeights());
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dataset", search.data().dataset());
      info.put("search", "cdarts");
      NetworkSpec enetSpec = new NetworkSpec(genotype, enetMacro, data.preprocessing(), full.classNames(), info);
      EvalNet enet = EvalNet.create(enetSpec, device, random.enetInit(), search.weights().momentum(),
          search.weights().weightDecay());
      Cycle cycle = new Cycle(snet, enet, space, val.size(), random, root, data, costs);
      try {
        if (enet.heads().size() != snet.heads().size()) {
          throw new SearchRun.SearchFailed("the S-Net has " + (snet.heads().size() + 1) + " stages but the E-Net "
              + (enet.heads().size() + 1) + "; multi-level distillation pairs them stage by stage");
        }
        EpochLoop loop = new EpochLoop(search, data, search.algorithm().lrSchedule(search), root);
        cycle.loop = loop;
        int stepsPerEpoch = loop.stepsPerEpoch();
        log.info(String.format(Locale.ROOT, "search cdarts on %s, space %s: %d train / %d val samples of %s, %d classes;"
            + " S-Net C=%d, %d cells, %,d weights; E-Net C=%d, %d cells, %,d weights; %d stages; λ=%g, λ'=%g→0 on %s, T=%g;"
            + " heads in the joint step: %s; S_U=%d, S_E=%d steps; batch %d, epochs %d (%d of separate learning only), seed %d, device %s",
            search.data().dataset(), space.name(), data.train().size(), val.size(), full.shape(), full.numClasses(),
            shape.channels(), sc.layers(), sup.weightCount(), config.enetChannels(), enetMacro.layers(),
            enet.networkWeightCount(), snet.heads().size() + 1, config.distillWeight(), config.skipWeight(),
            config.skipPenalty() == CdartsSettings.SkipPenalty.ALPHA ? "|α_skip|" : "softmax(α)_skip",
            config.temperature(), config.headLoss().id(), config.updateEvery(stepsPerEpoch), config.enetStepsPerUpdate(stepsPerEpoch), batch,
            epochs, search.schedule().warmupEpochs(), search.seed(), device));
        if (space.cellTypes().stream().noneMatch(t -> t.ops().contains(CdartsLosses.SKIP)) && config.skipWeight() > 0) {
          log.info("space " + space.name() + " has no " + CdartsLosses.SKIP + "; the skip penalty is 0");
        }
        loop.run("cdarts", 0, epochs, cycle);
        genotype = cycle.genotype;
        // α moved after the last update: one more stage-1 update (as at search step S_S), so that enet/
        // is the E-Net of genotype.json
        if (!genotype.equals(cycle.enet.genotype())) {
          cycle.rebuild(genotype);
          double lr = search.algorithm().lrSchedule(search).lr(epochs - 1);
          try (NDManager scope = root.newSubManager()) {
            cycle.trainEnet(lr, random.finalUpdate(), scope);
          }
          EvalNet current = cycle.enet;
          Evaluation enetVal = Evaluation.of(x -> current.logits(x, ExecContext.inference()), val, batch, root,
              DataType.FLOAT32);
          Evaluation enetTest = Evaluation.of(x -> current.logits(x, ExecContext.inference()), data.pair().test(),
              batch, root, DataType.FLOAT32);
          current.write(run.resolve("enet"), Map.of("epochs", epochs, "enetValAcc", enetVal.top1(),
              "enetTestAcc", enetTest.top1()));
          log.info(String.format(Locale.ROOT, "final update: E-Net rebuilt for the final genotype (%d tensors"
              + " inherited), %d steps: val acc %.2f%%, test acc %.2f%%", current.inherited(),
              config.enetStepsPerUpdate(stepsPerEpoch), 100 * enetVal.top1(), 100 * enetTest.top1()));
        }
        log.info(String.format(Locale.ROOT, "search finished after %d epochs; genotype in %s, trained E-Net in %s",
            epochs, run.resolve("genotype.json"), run.resolve("enet")));
        return new SearchResult(run, genotype, epochs, true, (System.nanoTime() - start) / 1e9, full.shape(),
            full.numClasses(), run.resolve("enet"));
      } finally {
        cycle.enet.close();
      }
    }
  }

  /** The epoch loop's body: the cyclic steps, and per epoch the E-Net's evaluation and the records. */
  private final class Cycle implements EpochLoop.Body {
    private final SearchNet snet;
    private final SearchCosts costs;
    private final ArchObjective objective;
    private EvalNet enet;
    private final SearchSpace space;
    private final NDManager root;
    private final SearchData data;
    private final Sgd weightOpt;
    private final Adam archOpt;
    private final List<String> arch;
    private final EpochOrder enetOrder;
    private final int valSteps;
    private final List<CdartsEpoch> history = new ArrayList<>();
    private EpochLoop loop;
    private Genotype genotype;
    private long enetStep;
    private Totals totals = new Totals();

    /** An epoch's running means, by what they measure. */
    private static final class Totals {
      final RunningMean snetTrainLoss = new RunningMean();
      final RunningMean snetTrainAcc = new RunningMean();
      final RunningMean snetValLoss = new RunningMean();
      final RunningMean snetValAcc = new RunningMean();
      final RunningMean enetTrainLoss = new RunningMean();
      final RunningMean enetTrainAcc = new RunningMean();
      final RunningMean enetJointLoss = new RunningMean();
      final RunningMean distill = new RunningMean();
      final RunningMean skip = new RunningMean();
      double snetSeconds;
      double enetSeconds;
      double jointSeconds;
      int rebuilds;
    }

    Cycle(SearchNet snet, EvalNet enet, SearchSpace space, int valSize, RandomStreams random, NDManager root,
        SearchData data, SearchCosts costs) {
      this.snet = snet;
      this.costs = costs;
      this.objective = costs == null ? ArchObjective.ACCURACY : costs.objective(snet.supernet(),
          () -> GenotypeDeriver.derive(space, snet.supernet().mixingWeights()));
      this.enet = enet;
      this.space = space;
      this.root = root;
      this.data = data;
      Supernet sup = snet.supernet();
      this.weightOpt = new Sgd(search.weights().momentum(), search.weights().weightDecay());
      this.archOpt = new Adam(search.arch().beta1(), search.arch().beta2(), 1e-8, search.arch().weightDecay());
      this.arch = sup.params().learnedNames(sup.isArch());
      this.enetOrder = random.enetOrder(valSize);
      this.valSteps = valSize / search.schedule().batch();
      this.genotype = enet.genotype();
    }

    void rebuild(Genotype next) {
      EvalNet rebuilt = enet.rebuild(next);
      enet.close();
      enet = rebuilt;
    }

    @Override
    public void step(EpochLoop.Step s) {
      double lr = s.epoch().lr();
      int stepsPerEpoch = loop.stepsPerEpoch();
      if (s.global() % config.updateEvery(stepsPerEpoch) == 0) {
        Genotype next = GenotypeDeriver.derive(space, snet.supernet().mixingWeights());
        if (!next.equals(enet.genotype())) {
          rebuild(next);
          totals.rebuilds++;
        }
        long t0 = System.nanoTime();
        trainEnet(lr, s.rng(), s.scope());
        totals.enetSeconds += (System.nanoTime() - t0) / 1e9;
      }
      if (!s.epoch().warmup()) {
        long t0 = System.nanoTime();
        JointStep j = jointStep(s.validation(), lr, skipWeight(s.epoch()));
        int n = j.snet().count();
        totals.snetValLoss.add(j.snet().loss(), n);
        totals.snetValAcc.addTotal(j.snet().correct(), n);
        totals.enetJointLoss.add(j.enetLoss(), n);
        totals.distill.add(j.distill(), n);
        totals.skip.add(j.skip(), n);
        totals.jointSeconds += (System.nanoTime() - t0) / 1e9;
      }
      long t0 = System.nanoTime();
      TrainingStep.Outcome w = snetStep(s.train(), lr);
      totals.snetSeconds += (System.nanoTime() - t0) / 1e9;
      totals.snetTrainLoss.add(w.loss(), w.count());
      totals.snetTrainAcc.addTotal(w.correct(), w.count());
    }

    private double skipWeight(EpochLoop.Epoch e) {
      // the decay spans the search epochs: the weight-only pre-training (ImageNet: 10 epochs) comes before it
      int warmup = search.schedule().warmupEpochs();
      return new SkipDecay(config.skipWeight(), search.schedule().epochs() - warmup).at(Math.max(0, e.index() - warmup));
    }

    /** S_E stage-1 steps of the E-Net on val batches, in their own order, continuing its step counter. */
    void trainEnet(double lr, SplittableRandom rng, NDManager parent) {
      int steps = config.enetStepsPerUpdate(loop.stepsPerEpoch());
      int batch = search.schedule().batch();
      for (int j = 0; j < steps; j++, enetStep++) {
        int[] o = enetOrder.order((int) (enetStep / valSteps));
        try (NDManager s = parent.newSubManager()) {
          Batch vb = loop.validationBatches().get(s, o, (int) (enetStep % valSteps) * batch, batch,
              loop.augmentation(), rng);
          TrainingStep.Outcome r = enetStep(enet, vb, lr);
          totals.enetTrainLoss.add(r.loss(), r.count());
          totals.enetTrainAcc.addTotal(r.correct(), r.count());
        }
      }
    }

    @Override
    public String progress(EpochLoop.Epoch e) {
      return String.format(Locale.ROOT, "epoch %d/%d S-Net loss %.3f acc %.1f%%%s", e.index() + 1,
          search.schedule().epochs(), totals.snetTrainLoss.mean(), 100 * totals.snetTrainAcc.mean(),
          totals.snetValLoss.weight() == 0 ? "" : String.format(Locale.ROOT, " | E-Net val loss %.3f distill %.3f",
              totals.enetJointLoss.mean(), totals.distill.mean()));
    }

    @Override
    public String stopped(NonFiniteLossException e, EpochLoop.Epoch epoch, int step) {
      return String.format(Locale.ROOT, "%s loss is %s at epoch %d step %d (learning rate %.4g); stopped. Lower --lr"
          + " or --arch-lr and start again.", e.what(), e.value(), epoch.index() + 1, step + 1, epoch.lr());
    }

    @Override
    public void endEpoch(EpochLoop.Epoch e) throws IOException {
      int epoch = e.index();
      int epochs = search.schedule().epochs();
      int batch = search.schedule().batch();
      int stepsPerEpoch = loop.stepsPerEpoch();
      genotype = GenotypeDeriver.derive(space, snet.supernet().mixingWeights());
      BudgetFit.Fit fit = null;
      if (costs != null && costs.budgeted()) {
        fit = costs.fit(genotype, snet.supernet());
        genotype = fit.genotype();
      }
      CostRecord cost = costs == null ? null : costs.record(snet.supernet(), genotype, fit);
      EvalNet current = enet;
      Evaluation enetVal = Evaluation.of(x -> current.logits(x, ExecContext.inference()), data.validation(), batch,
          root, DataType.FLOAT32);
      Evaluation enetTest = Evaluation.of(x -> current.logits(x, ExecContext.inference()), data.pair().test(), batch,
          root, DataType.FLOAT32);
      double seconds = (System.nanoTime() - e.startNanos()) / 1e9;
      Totals t = totals;
      double jointSteps = t.snetValLoss.weight() / batch;
      double enetSteps = t.enetTrainLoss.weight() / batch;
      CdartsEpoch last = new CdartsEpoch(epoch + 1, e.lr(), skipWeight(e), t.snetTrainLoss.mean(),
          t.snetTrainAcc.mean(), t.snetValLoss.mean(), t.snetValAcc.mean(), t.enetTrainLoss.mean(),
          t.enetTrainAcc.mean(), t.enetJointLoss.mean(), t.distill.mean(), t.skip.mean(), enetVal.loss(),
          enetVal.top1(), enetTest.top1(), t.rebuilds, enet.inherited(), enet.networkWeightCount(),
          genotype.describe(), CollapseMonitor.normalCellCounts(genotype)[0], t.snetSeconds / stepsPerEpoch,
          enetSteps == 0 ? Double.NaN : t.enetSeconds / enetSteps,
          jointSteps == 0 ? Double.NaN : t.jointSeconds / jointSteps, seconds, cost);
      history.add(last);
      Json.writeFile(run.resolve("history.json"), history);
      AtomicFiles.writeString(run.resolve("genotype.json"), GenotypeJson.write(genotype));
      enet.write(run.resolve("enet"), Map.of("epochs", epoch + 1, "enetValAcc", enetVal.top1(),
          "enetTestAcc", enetTest.top1()));
      boolean joint = !e.warmup();
      log.info(String.format(Locale.ROOT, "epoch %d/%d  lr %.5f  λ' %.3f  S-Net train loss %.4f acc %.2f%%  %s"
          + "E-Net val loss %.4f acc %.2f%%, test acc %.2f%% (%d rebuilds, %d tensors inherited)  %.1fs"
          + " (s/step: S-Net %.3f, E-Net %.3f, joint %.3f)", epoch + 1, epochs, e.lr(), skipWeight(e),
          last.snetTrainLoss(), 100 * last.snetTrainAcc(), joint ? String.format(Locale.ROOT,
              "joint: S-Net val loss %.4f, E-Net val loss %.4f, distill %.4f, skip %.4f  ", last.snetValLoss(),
              last.enetJointLoss(), last.distillLoss(), last.skipPenalty()) : "(separate learning only)  ",
          last.enetValLoss(), 100 * last.enetValAcc(), 100 * last.enetTestAcc(), t.rebuilds, enet.inherited(),
          seconds, last.snetSecondsPerStep(), last.enetSecondsPerStep(), last.jointSecondsPerStep()));
      log.info("  genotype " + genotype.describe());
      if (costs != null) {
        log.info("  " + costs.describe(cost, fit));
      }
      CollapseMonitor.warnings(genotype).forEach(log::warn);
      totals = new Totals();
    }

    /** w_S: one SGD step on a train batch (α fixed). */
    TrainingStep.Outcome snetStep(Batch b, double lr) {
      Parameters p = snet.params();
      p.track(snet.supernet().isArch(), false);
      try {
        return TrainingStep.descend("S-Net", b, multiLevel(x -> snet.forward(x, ExecContext.search()), b), p,
            snet.weights(), search.weights().gradClip(), weightOpt, lr);
      } finally {
        p.track(snet.supernet().isArch(), true);
      }
    }

    /**
     * Stage 2: one step of α (Adam) and w_E (SGD) on a val batch for Eq. 8 plus Eq. 11,
     * {@code L^S + L^E + λ·L_distill + λ'·‖α_skip‖₁} (the final classifiers' cross-entropies, the
     * distillation over every level; {@link CdartsSettings.HeadLoss} and {@link CdartsSettings.SkipPenalty}
     * name the variants); w_S and the S-Net's BN statistics stay as they were.
     */
    JointStep jointStep(Batch b, double lr, double skipWeight) {
      Parameters p = snet.params();
      List<NDArray> a = arch.stream().map(p::get).toList();
      List<NDArray> we = enet.weights().stream().map(enet.params()::get).toList();
      double[] terms = new double[3]; // E-Net loss, distillation, skip penalty: read back before the backward pass
      TrainingStep.Outcome s;
      BatchNormSnapshot bn = new BatchNormSnapshot(p, b.x().getManager());
      p.track(snet.supernet().isWeight(), false);
      try {
        Grads.zero(a);
        Grads.zero(we);
        s = TrainingStep.backward("joint", b, x -> {
          List<NDArray> sl = snet.forward(x, ExecContext.search());
          List<NDArray> el = enet.forward(x, ExecContext.search());
          boolean heads = config.headLoss() == CdartsSettings.HeadLoss.DISTILL_CE;
          NDArray ls = heads ? CdartsLosses.multiLevelCrossEntropy(sl, b.y())
              : Losses.crossEntropy(sl.get(sl.size() - 1), b.y(), 0);
          NDArray le = heads ? CdartsLosses.multiLevelCrossEntropy(el, b.y())
              : Losses.crossEntropy(el.get(el.size() - 1), b.y(), 0);
          NDArray ld = CdartsLosses.multiLevelDistillation(sl, el, config.temperature());
          NDArray total = ls.add(le).add(ld.mul(config.distillWeight()));
          NDArray penalty = CdartsLosses.skipPenalty(p, snet.supernet().config().space(), x, config.skipPenalty());
          terms[2] = penalty == null ? 0 : Tensors.scalar(penalty);
          if (penalty != null && skipWeight > 0) {
            total = total.add(penalty.mul(skipWeight));
          }
          NDArray logits = sl.get(sl.size() - 1);
          // a cost target penalises the whole joint loss (only α and w_E learn from it)
          total = objective.loss(total, logits).loss();
          terms[0] = Tensors.scalar(Losses.crossEntropy(el.get(el.size() - 1), b.y(), 0));
          terms[1] = Tensors.scalar(ld);
          return new TrainingStep.Forward(total, logits, Losses.crossEntropy(logits, b.y(), 0));
        });
      } finally {
        p.track(snet.supernet().isWeight(), true);
        bn.restore();
      }
      Grads.clipNorm(we, search.weights().gradClip());
      enet.optimizer().step(enet.params(), enet.weights(), lr);
      archOpt.step(p, arch, search.arch().lr());
      return new JointStep(s, terms[0], terms[1], terms[2]);
    }
  }

  private void prepareFolder() throws IOException {
    if (Files.exists(run.resolve("config.json"))) {
      throw new SearchRun.SearchFailed(run + " already holds a search; choose another --out (CDARTS runs cannot"
          + " be resumed)");
    }
    Files.createDirectories(run);
    Json.writeFile(run.resolve("config.json"), search);
  }

  /** Stage 1 for the E-Net: one SGD step of w_E on a val batch. */
  TrainingStep.Outcome enetStep(EvalNet enet, Batch b, double lr) {
    return TrainingStep.descend("E-Net", b, multiLevel(x -> enet.forward(x, ExecContext.search()), b), enet.params(),
        enet.weights(), search.weights().gradClip(), enet.optimizer(), lr);
  }

  /** A network's multi-level cross-entropy as the loss to minimise; the final classifier's as the one reported. */
  private static Function<NDArray, TrainingStep.Forward> multiLevel(Function<NDArray, List<NDArray>> forward,
      Batch b) {
    return x -> {
      List<NDArray> levels = forward.apply(x);
      NDArray logits = levels.get(levels.size() - 1);
      return new TrainingStep.Forward(CdartsLosses.multiLevelCrossEntropy(levels, b.y()), logits,
          Losses.crossEntropy(logits, b.y(), 0));
    };
  }
}
