package dev.nas.search.cdarts;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.nas.data.Augmentation;
import dev.nas.data.ChannelStats;
import dev.nas.data.DatasetPair;
import dev.nas.data.Datasets;
import dev.nas.data.EpochOrder;
import dev.nas.data.ImageDataset;
import dev.nas.data.Seeds;
import dev.nas.data.Splits;
import dev.nas.data.TrainValidation;
import dev.nas.djl.Batch;
import dev.nas.djl.Batches;
import dev.nas.djl.Evaluation;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Losses;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.djl.optim.Adam;
import dev.nas.djl.optim.CosineSchedule;
import dev.nas.djl.optim.Grads;
import dev.nas.djl.optim.Sgd;
import dev.nas.genotype.Genotype;
import dev.nas.genotype.GenotypeJson;
import dev.nas.io.AtomicFiles;
import dev.nas.io.Json;
import dev.nas.macro.MacroConfig;
import dev.nas.network.NetworkSpec;
import dev.nas.network.Preprocessing;
import dev.nas.ops.SearchSpace;
import dev.nas.run.Progress;
import dev.nas.run.RunLog;
import dev.nas.search.CollapseMonitor;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchRun;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Runs CDARTS (cyclic differentiable architecture search with introspective distillation) into a
 * run folder. Every search step: (stage 1, every S_U steps) α is discretized (DARTS' top-2 rule),
 * the E-Net rebuilt when the genotype changed (inheriting its weights, see {@link EvalNet#rebuild})
 * and trained S_E steps on the val split; (stage 2, after the warm-up) α and w_E take one step on a
 * val batch for {@code L_val^S + L_val^E + λ·L_distill + λ'·Σ softmax(α)_skip}; then w_S takes one
 * step on a train batch. Each network's loss is the cross-entropy summed over its levels (stage
 * heads and classifier). The run folder holds {@code config.json}, {@code log.txt},
 * {@code history.json}, {@code genotype.json} and {@code enet/}, the trained E-Net as a static
 * network folder. There is no checkpoint: a CDARTS run cannot be resumed.
 */
public final class CdartsRun {
  private final CdartsConfig config;
  private final SearchConfig search;
  private final Path run;
  private final Device device;
  private final RunLog log;

  private record Step(double loss, int correct, int count) {}

  private record JointStep(double snetLoss, int snetCorrect, double enetLoss, double distill, double skip, int count) {}

  public CdartsRun(CdartsConfig config, Path run, Device device, PrintStream console) {
    this.config = config;
    this.search = config.search();
    this.run = run;
    this.device = device;
    this.log = new RunLog(run.resolve("log.txt"), console);
  }

  /** Whether {@code run} holds a CDARTS search (its {@code config.json} says so). */
  public static boolean isCdartsRun(Path run) {
    Path f = run.resolve("config.json");
    if (!Files.isRegularFile(f)) {
      return false;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(f.toFile());
      return CdartsConfig.ALGO.equals(root.path("search").path("algo").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs the whole search. */
  public CdartsResult execute() throws IOException {
    long start = System.nanoTime();
    prepareFolder();
    DatasetPair data = Datasets.load(search.datasetSpec());
    data.warnings().forEach(log::warn);
    ImageDataset full = data.train();
    TrainValidation split = Splits.trainValidation(full, 1 - search.trainPortion(), search.seed());
    ImageDataset train = split.train();
    ImageDataset val = split.validation();
    if (train.size() < search.batch() || val.size() < search.batch()) {
      throw new SearchRun.SearchFailed("the training split has " + train.size() + " and the validation split "
          + val.size() + " samples, fewer than one batch of " + search.batch()
          + "; use more samples or a smaller --batch");
    }
    Preprocessing pre = ChannelStats.preprocessing(full);
    SearchSpace space = SearchSpace.named(search.space());
    SupernetConfig sc = SupernetConfig.of(space, search.channels(), search.layers(), search.repeat(),
        search.stemChannels(), full.numClasses(), full.shape(), pre);
    // the E-Net is stacked in the macro the space is searched in, deeper and wider
    MacroConfig.Kind kind = MacroConfig.Kind.parse(space.macro());
    MacroConfig enetMacro = kind.video()
        ? MacroConfig.video(kind, config.enetChannels(), config.enetRepeat(), search.stemChannels(), full.numClasses(),
            full.shape(), false)
        : new MacroConfig(kind, config.enetChannels(), config.enetLayers(), full.numClasses(), full.shape(), false);
    try (Supernet sup = new Supernet(sc, new SoftmaxMixing(space), device, DataType.FLOAT32, search.seed());
        NDManager root = NDManager.newBaseManager(device)) {
      SearchNet snet = new SearchNet(sup, search.seed());
      Genotype genotype = GenotypeDeriver.derive(space, sup.mixingWeights());
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dataset", search.dataset());
      info.put("search", "cdarts");
      NetworkSpec enetSpec = new NetworkSpec(genotype, enetMacro, pre, full.classNames(), info);
      EvalNet enet = EvalNet.create(enetSpec, device, search.seed() + 1, search.momentum(), search.weightDecay());
      try {
        if (enet.heads().size() != snet.heads().size()) {
          throw new SearchRun.SearchFailed("the S-Net has " + (snet.heads().size() + 1) + " stages but the E-Net "
              + (enet.heads().size() + 1) + "; multi-level distillation pairs them stage by stage");
        }
        BilevelSettings bs = search.bilevelSettings();
        Sgd weightOpt = new Sgd(search.momentum(), search.weightDecay());
        Adam archOpt = new Adam(bs.archBeta1(), bs.archBeta2(), 1e-8, bs.archWeightDecay());
        List<String> arch = sup.params().learnedNames(sup.isArch());
        int stepsPerEpoch = train.size() / search.batch();
        int valSteps = val.size() / search.batch();
        int updateEvery = config.updateEvery(stepsPerEpoch);
        int enetSteps = config.enetStepsPerUpdate(stepsPerEpoch);
        log.info(String.format(Locale.ROOT, "search cdarts on %s, space %s: %d train / %d val samples of %s, %d classes;"
            + " S-Net C=%d, %d cells, %,d weights; E-Net C=%d, %d cells, %,d weights; %d stages; λ=%g, λ'=%g→0, T=%g;"
            + " S_U=%d, S_E=%d steps; batch %d, epochs %d (%d of separate learning only), seed %d, device %s",
            search.dataset(), space.name(), train.size(), val.size(), full.shape(), full.numClasses(),
            search.channels(), sc.layers(), sup.weightCount(), config.enetChannels(), enetMacro.layers(),
            enet.networkWeightCount(), snet.heads().size() + 1, config.distillWeight(), config.skipWeight(),
            config.temperature(), updateEvery, enetSteps, search.batch(), search.epochs(), search.warmupEpochs(),
            search.seed(), device));
        if (space.cellTypes().stream().noneMatch(t -> t.ops().contains(CdartsLosses.SKIP)) && config.skipWeight() > 0) {
          log.info("space " + space.name() + " has no " + CdartsLosses.SKIP + "; the skip penalty is 0");
        }
        CosineSchedule schedule = new CosineSchedule(search.lr(), search.lrMin(), search.epochs());
        SkipDecay decay = new SkipDecay(config.skipWeight(), search.epochs());
        Batches trainBatches = new Batches(train, search.batch(), DataType.FLOAT32);
        Batches valBatches = new Batches(val, search.batch(), DataType.FLOAT32);
        Augmentation aug = search.augment() ? Augmentation.training(search.dataset(), full, 0) : Augmentation.NONE;
        EpochOrder enetOrder = new EpochOrder(val.size(), search.seed() + 2);
        long enetStep = 0;
        List<CdartsEpoch> history = new ArrayList<>();
        CdartsEpoch last = null;
        Progress progress = Progress.console("cdarts", (long) search.epochs() * stepsPerEpoch);
        for (int epoch = 0; epoch < search.epochs(); epoch++) {
          long epochStart = System.nanoTime();
          double lr = schedule.lr(epoch);
          double skipWeight = decay.at(epoch);
          boolean joint = epoch >= search.warmupEpochs();
          int[] trainOrder = new EpochOrder(train.size(), search.seed()).order(epoch);
          int[] valOrder = new EpochOrder(val.size(), search.seed() + 1).order(epoch);
          SplittableRandom rng = Seeds.random(search.seed(), 1000L + epoch);
          double[] sums = new double[15];
          int rebuilds = 0;
          for (int step = 0; step < stepsPerEpoch; step++) {
            long g = (long) epoch * stepsPerEpoch + step;
            try (NDManager scope = root.newSubManager()) {
              if (g % updateEvery == 0) {
                Genotype next = GenotypeDeriver.derive(space, sup.mixingWeights());
                if (!next.equals(enet.genotype())) {
                  EvalNet rebuilt = enet.rebuild(next);
                  enet.close();
                  enet = rebuilt;
                  rebuilds++;
                }
                long t0 = System.nanoTime();
                enetStep = trainEnet(enet, valBatches, enetOrder, enetStep, enetSteps, valSteps, lr, aug, rng, scope,
                    sums);
                sums[11] += (System.nanoTime() - t0) / 1e9;
              }
              if (joint) {
                long t0 = System.nanoTime();
                int vFrom = (step * search.batch()) % (val.size() - search.batch() + 1);
                Batch vb = valBatches.get(scope, valOrder, vFrom, search.batch(), aug, rng);
                JointStep j = jointStep(snet, enet, archOpt, arch, vb, lr, skipWeight);
                sums[0] += j.snetLoss() * j.count();
                sums[1] += j.snetCorrect();
                sums[2] += j.count();
                sums[3] += j.enetLoss() * j.count();
                sums[7] += j.distill() * j.count();
                sums[8] += j.skip() * j.count();
                sums[9] += (System.nanoTime() - t0) / 1e9;
              }
              long t0 = System.nanoTime();
              Batch tb = trainBatches.get(scope, trainOrder, step * search.batch(), search.batch(), aug, rng);
              Step w = snetStep(snet, weightOpt, tb, lr);
              sums[10] += (System.nanoTime() - t0) / 1e9;
              sums[12] += w.loss() * w.count();
              sums[13] += w.correct();
              sums[14] += w.count();
            } catch (dev.nas.search.algo.NonFiniteLossException e) {
              throw new SearchRun.SearchFailed(String.format(Locale.ROOT, "%s loss is %s at epoch %d step %d "
                  + "(learning rate %.4g); stopped. Lower --lr or --arch-lr and start again.", e.what(),
                  e.value(), epoch + 1, step + 1, lr));
            }
            progress.update(1, String.format(Locale.ROOT, "epoch %d/%d S-Net loss %.3f acc %.1f%%%s", epoch + 1,
                search.epochs(), sums[12] / sums[14], 100 * sums[13] / sums[14], sums[2] == 0 ? ""
                    : String.format(Locale.ROOT, " | E-Net val loss %.3f distill %.3f", sums[3] / sums[2],
                        sums[7] / sums[2])));
          }
          genotype = GenotypeDeriver.derive(space, sup.mixingWeights());
          EvalNet current = enet;
          Evaluation enetVal = Evaluation.of(x -> current.logits(x, ExecContext.inference()), val, search.batch(),
              root, DataType.FLOAT32);
          Evaluation enetTest = Evaluation.of(x -> current.logits(x, ExecContext.inference()), data.test(),
              search.batch(), root, DataType.FLOAT32);
          double seconds = (System.nanoTime() - epochStart) / 1e9;
          double jointCount = sums[2];
          last = new CdartsEpoch(epoch + 1, lr, skipWeight, sums[12] / sums[14], sums[13] / sums[14],
              ratio(sums[0], jointCount), ratio(sums[1], jointCount), ratio(sums[4], sums[6]),
              ratio(sums[5], sums[6]), ratio(sums[3], jointCount), ratio(sums[7], jointCount),
              ratio(sums[8], jointCount), enetVal.loss(), enetVal.top1(), enetTest.top1(), rebuilds,
              enet.inherited(), enet.networkWeightCount(), genotype.toPythonString(),
              CollapseMonitor.normalCellCounts(genotype)[0], sums[10] / stepsPerEpoch,
              ratio(sums[11], sums[6] / search.batch()), ratio(sums[9], jointCount / search.batch()), seconds);
          history.add(last);
          Json.writeFile(run.resolve("history.json"), history);
          AtomicFiles.writeString(run.resolve("genotype.json"), GenotypeJson.write(genotype));
          enet.write(run.resolve("enet"), Map.of("epochs", epoch + 1, "enetValAcc", enetVal.top1(),
              "enetTestAcc", enetTest.top1()));
          log.info(String.format(Locale.ROOT, "epoch %d/%d  lr %.5f  λ' %.3f  S-Net train loss %.4f acc %.2f%%  %s"
              + "E-Net val loss %.4f acc %.2f%%, test acc %.2f%% (%d rebuilds, %d tensors inherited)  %.1fs"
              + " (s/step: S-Net %.3f, E-Net %.3f, joint %.3f)", epoch + 1, search.epochs(), lr, skipWeight,
              last.snetTrainLoss(), 100 * last.snetTrainAcc(), joint ? String.format(Locale.ROOT,
                  "joint: S-Net val loss %.4f, E-Net val loss %.4f, distill %.4f, skip %.4f  ", last.snetValLoss(),
                  last.enetJointLoss(), last.distillLoss(), last.skipPenalty()) : "(separate learning only)  ",
              last.enetValLoss(), 100 * last.enetValAcc(), 100 * last.enetTestAcc(), rebuilds, enet.inherited(),
              seconds, last.snetSecondsPerStep(), last.enetSecondsPerStep(), last.jointSecondsPerStep()));
          log.info("  genotype " + genotype.toPythonString());
          CollapseMonitor.warnings(genotype).forEach(log::warn);
        }
        // α moved after the last update: one more stage-1 update (as at search step S_S), so that enet/
        // is the E-Net of genotype.json
        if (!genotype.equals(enet.genotype())) {
          EvalNet rebuilt = enet.rebuild(genotype);
          enet.close();
          enet = rebuilt;
          double lr = schedule.lr(search.epochs() - 1);
          double[] sums = new double[7];
          try (NDManager scope = root.newSubManager()) {
            trainEnet(enet, valBatches, enetOrder, enetStep, enetSteps, valSteps, lr, aug,
                Seeds.random(search.seed(), 999L), scope, sums);
          }
          EvalNet current = enet;
          Evaluation enetVal = Evaluation.of(x -> current.logits(x, ExecContext.inference()), val, search.batch(),
              root, DataType.FLOAT32);
          Evaluation enetTest = Evaluation.of(x -> current.logits(x, ExecContext.inference()), data.test(),
              search.batch(), root, DataType.FLOAT32);
          enet.write(run.resolve("enet"), Map.of("epochs", search.epochs(), "enetValAcc", enetVal.top1(),
              "enetTestAcc", enetTest.top1()));
          log.info(String.format(Locale.ROOT, "final update: E-Net rebuilt for the final genotype (%d tensors"
              + " inherited), %d steps: val acc %.2f%%, test acc %.2f%%", enet.inherited(), enetSteps,
              100 * enetVal.top1(), 100 * enetTest.top1()));
        }
        log.info(String.format(Locale.ROOT, "search finished after %d epochs; genotype in %s, trained E-Net in %s",
            search.epochs(), run.resolve("genotype.json"), run.resolve("enet")));
        return new CdartsResult(run, genotype, run.resolve("enet"), (System.nanoTime() - start) / 1e9, last);
      } finally {
        enet.close();
      }
    }
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  private void prepareFolder() throws IOException {
    if (Files.exists(run.resolve("config.json"))) {
      throw new SearchRun.SearchFailed(run + " already holds a search; choose another --out (CDARTS runs cannot"
          + " be resumed)");
    }
    Files.createDirectories(run);
    Json.writeFile(run.resolve("config.json"), config);
  }

  private static double finite(String which, NDArray loss) {
    double v = Tensors.scalar(loss);
    if (!Double.isFinite(v)) {
      throw new dev.nas.search.algo.NonFiniteLossException(which, v);
    }
    return v;
  }

  /** S_E stage-1 steps of the E-Net on val batches; adds loss, correct, count to sums[4..6]; returns the step counter. */
  private long trainEnet(EvalNet enet, Batches valBatches, EpochOrder order, long counter, int steps, int valSteps,
      double lr, Augmentation aug, SplittableRandom rng, NDManager parent, double[] sums) {
    long c = counter;
    for (int j = 0; j < steps; j++, c++) {
      int[] o = order.order((int) (c / valSteps));
      try (NDManager s = parent.newSubManager()) {
        Batch vb = valBatches.get(s, o, (int) (c % valSteps) * search.batch(), search.batch(), aug, rng);
        Step r = enetStep(enet, vb, lr);
        sums[4] += r.loss() * r.count();
        sums[5] += r.correct();
        sums[6] += r.count();
      }
    }
    return c;
  }

  /** Stage 1 for the E-Net: one SGD step of w_E on a val batch. */
  Step enetStep(EvalNet enet, Batch b, double lr) {
    List<NDArray> w = enet.weights().stream().map(enet.params()::get).toList();
    Step s = backwardMultiLevel("E-Net", x -> enet.forward(x, ExecContext.search()), w, b);
    enet.optimizer().step(enet.params(), enet.weights(), lr);
    return s;
  }

  /** w_S: one SGD step on a train batch (α fixed). */
  Step snetStep(SearchNet snet, Sgd opt, Batch b, double lr) {
    Parameters p = snet.params();
    List<String> names = snet.weights();
    List<NDArray> w = names.stream().map(p::get).toList();
    p.track(snet.supernet().isArch(), false);
    Step s;
    try {
      s = backwardMultiLevel("S-Net", x -> snet.forward(x, ExecContext.search()), w, b);
    } finally {
      p.track(snet.supernet().isArch(), true);
    }
    opt.step(p, names, lr);
    return s;
  }

  /**
   * Gradients of one network's multi-level cross-entropy on {@code b} into {@code w} (zeroed
   * first, clipped after); the returned loss and accuracy are the final classifier's.
   */
  private Step backwardMultiLevel(String net, java.util.function.Function<NDArray, List<NDArray>> forward,
      List<NDArray> w, Batch b) {
    Grads.zero(w);
    double loss;
    int correct;
    try (NDManager scope = b.x().getManager().newSubManager()) {
      b.x().tempAttach(scope);
      b.y().tempAttach(scope);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        List<NDArray> levels = forward.apply(b.x());
        NDArray l = CdartsLosses.multiLevelCrossEntropy(levels, b.y());
        finite(net, l);
        NDArray logits = levels.get(levels.size() - 1);
        loss = Tensors.scalar(Losses.crossEntropy(logits, b.y(), 0));
        correct = Losses.correctTopK(logits, b.labels(), 1);
        gc.backward(l);
      }
    }
    Grads.clipNorm(w, search.gradClip());
    return new Step(loss, correct, b.size());
  }

  /**
   * Stage 2: one step of α (Adam) and w_E (SGD) on a val batch for
   * {@code L^S + L^E + λ·L_distill + λ'·Σ softmax(α)_skip}; w_S and the S-Net's BN statistics stay as they were.
   */
  JointStep jointStep(SearchNet snet, EvalNet enet, Adam archOpt, List<String> arch, Batch b, double lr,
      double skipWeight) {
    Parameters p = snet.params();
    List<NDArray> a = arch.stream().map(p::get).toList();
    List<NDArray> we = enet.weights().stream().map(enet.params()::get).toList();
    Map<String, NDArray> bn = new LinkedHashMap<>();
    double sLoss;
    int sCorrect;
    double eLoss;
    double distill;
    double skip;
    try (NDManager scope = b.x().getManager().newSubManager()) {
      p.buffers().forEach((k, v) -> {
        NDArray c = v.duplicate();
        c.attach(scope);
        bn.put(k, c);
      });
      b.x().tempAttach(scope);
      b.y().tempAttach(scope);
      p.track(snet.supernet().isWeight(), false);
      Grads.zero(a);
      Grads.zero(we);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        List<NDArray> s = snet.forward(b.x(), ExecContext.search());
        List<NDArray> e = enet.forward(b.x(), ExecContext.search());
        NDArray ls = CdartsLosses.multiLevelCrossEntropy(s, b.y());
        NDArray le = CdartsLosses.multiLevelCrossEntropy(e, b.y());
        NDArray ld = CdartsLosses.multiLevelDistillation(s, e, config.temperature());
        NDArray total = ls.add(le).add(ld.mul(config.distillWeight()));
        NDArray penalty = CdartsLosses.skipPenalty(p, snet.supernet().config().space(), b.x());
        skip = penalty == null ? 0 : Tensors.scalar(penalty);
        if (penalty != null && skipWeight > 0) {
          total = total.add(penalty.mul(skipWeight));
        }
        finite("joint", total);
        sLoss = Tensors.scalar(Losses.crossEntropy(s.get(s.size() - 1), b.y(), 0));
        sCorrect = Losses.correctTopK(s.get(s.size() - 1), b.labels(), 1);
        eLoss = Tensors.scalar(Losses.crossEntropy(e.get(e.size() - 1), b.y(), 0));
        distill = Tensors.scalar(ld);
        gc.backward(total);
      } finally {
        p.track(snet.supernet().isWeight(), true);
        p.buffers().forEach((k, v) -> v.muli(0).addi(bn.get(k)));
      }
    }
    Grads.clipNorm(we, search.gradClip());
    enet.optimizer().step(enet.params(), enet.weights(), lr);
    archOpt.step(p, arch, search.archLr());
    return new JointStep(sLoss, sCorrect, eLoss, distill, skip, b.size());
  }
}
