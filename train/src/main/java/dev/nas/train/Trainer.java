package dev.nas.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Json;
import dev.nas.core.run.Progress;
import dev.nas.core.run.RunLog;
import dev.nas.data.Augmentation;
import dev.nas.data.ChannelStats;
import dev.nas.data.DatasetPair;
import dev.nas.data.Datasets;
import dev.nas.data.EpochOrder;
import dev.nas.data.ImageDataset;
import dev.nas.data.MultiCrop;
import dev.nas.data.Seeds;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.Batch;
import dev.nas.djl.Batches;
import dev.nas.djl.Evaluation;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Losses;
import dev.nas.djl.NonFiniteLossException;
import dev.nas.djl.Parameters;
import dev.nas.djl.TrainingStep;
import dev.nas.djl.optim.LrSchedule;
import dev.nas.djl.optim.Sgd;
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

/** Trains a derived network from its folder's initial weights and saves the result as a new folder. */
public final class Trainer {
  private final TrainConfig config;
  private final Device device;
  private final PrintStream console;

  public Trainer(TrainConfig config, Device device, PrintStream console) {
    this.config = config;
    this.device = device;
    this.console = console;
  }

  /** Per-epoch metrics written to {@code history.json}. */
  public record EpochMetrics(int epoch, double lr, double dropPath, double trainLoss, double trainAcc, double testLoss,
      double testTop1, double testTop5, double testVideoTop1, double seconds) {}

  /** ", per-video top-1 X% (N clips each)" when the test set has several clips per video, else "". */
  static String videoPart(Evaluation e) {
    return e.views() == 1 ? "" : String.format(Locale.ROOT, " per clip; per-video top-1 %.2f%% (%d videos, softmax "
        + "averaged over %d clips each)", 100 * e.videoTop1(), e.videos(), e.views());
  }

  /** " (softmax averaged over N crops)" for a multi-crop test, else "". */
  static String cropsPart(Evaluation e) {
    return e.crops() == 1 ? "" : " (softmax averaged over " + e.crops() + " crops)";
  }

  public TrainResult train(NetworkFolder net, Path out) throws IOException {
    long start = System.nanoTime();
    if (Files.exists(out.resolve(NetworkFolder.SPEC)) && !out.toAbsolutePath().equals(net.dir().toAbsolutePath())) {
      throw new IOException(out + " already holds a network; choose another --out");
    }
    Files.createDirectories(out);
    RunLog log = new RunLog(out.resolve("train_log.txt"), console);
    NetworkSpec spec = net.spec();
    DatasetPair data = Datasets.load(config.datasetSpec(spec.macro().input(), spec.macro().classes()));
    data.warnings().forEach(log::warn);
    ImageDataset train = data.train();
    ImageDataset test = data.test();
    if (!train.shape().equals(spec.macro().input()) || train.numClasses() != spec.macro().classes()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the network takes %s inputs with %d classes but "
          + "dataset %s gives %s with %d classes; derive it with --input %s --classes %d", spec.macro().input(),
          spec.macro().classes(), config.dataset(), train.shape(), train.numClasses(), train.shape(),
          train.numClasses()));
    }
    Preprocessing pre = ChannelStats.preprocessing(train);
    spec = new NetworkSpec(spec.genotype(), spec.macro(), pre, train.classNames(), spec.info());
    Graph graph = dev.nas.derive.NetworkBuilder.build(spec);
    GraphExecutor exec = new GraphExecutor(graph);
    List<EpochMetrics> history = new ArrayList<>();
    try (Parameters params = new Parameters(device, DataType.FLOAT32); NDManager root = NDManager.newBaseManager(device)) {
      params.init(graph.params(), config.seed());
      params.load(net.weights(), true);
      List<String> names = new ArrayList<>(params.learned().keySet());
      Sgd sgd = new Sgd(config.momentum(), config.weightDecay());
      LrSchedule schedule = config.schedule();
      int steps = train.size() / config.batch();
      if (steps == 0) {
        throw new IllegalArgumentException("the training set (" + train.size() + ") is smaller than one batch ("
            + config.batch() + ")");
      }
      Augmentation aug = config.augment() ? Augmentation.training(config.dataset(), train, config.cutout())
          : Augmentation.NONE;
      Batches batches = new Batches(train, config.batch(), DataType.FLOAT32);
      // video folders cut their test crops as clips at load time; images are cropped here, at evaluation
      MultiCrop crops = config.testCrops() > 1 && !Datasets.clips(config.dataset())
          ? MultiCrop.of(config.testCrops(), test) : MultiCrop.NONE;
      log.info(String.format(Locale.ROOT, "training %s on %s: %d train / %d test samples, %d epochs x %d steps, batch "
          + "%d, lr %.4g (%s%s), cutout %d, aux %.2f, drop-path %.2f, label smoothing %.2f%s", out, config.dataset(),
          train.size(), test.size(), config.epochs(), steps, config.batch(), config.lr(),
          config.lrPolicy().kind() == LrPolicy.Kind.COSINE ? "cosine to " + config.lrMin()
              : "×" + config.lrPolicy().decay() + " per epoch",
          config.lrPolicy().warmupEpochs() > 0 ? ", after " + config.lrPolicy().warmupEpochs() + " warm-up epochs" : "",
          config.cutout(),
          graph.hasAuxOutput() ? config.auxWeight() : 0, config.dropPath(), config.labelSmoothing(),
          crops.views() == 1 ? "" : ", test over " + crops.views() + " crops per image (centre and corners of the image "
              + "padded by " + crops.padding() + (crops.views() == 10 ? ", and their mirror images)" : ")")));
      Progress progress = Progress.console("train", (long) steps * config.epochs());
      Evaluation eval = null;
      for (int epoch = 0; epoch < config.epochs(); epoch++) {
        long t0 = System.nanoTime();
        double lr = schedule.lr(epoch);
        double drop = config.dropPath() * epoch / config.epochs();
        int[] order = new EpochOrder(train.size(), config.seed()).order(epoch);
        if (data.variesByEpoch() && epoch > 0) {
          // a video folder's training clips are cut afresh every epoch; same videos, order and labels
          batches = new Batches(data.train(epoch), config.batch(), DataType.FLOAT32);
        }
        SplittableRandom rng = Seeds.random(config.seed(), 2000L + epoch);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        for (int step = 0; step < steps; step++) {
          try (NDManager scope = root.newSubManager()) {
            Batch b = batches.get(scope, order, step * config.batch(), config.batch(), aug, rng);
            ExecContext ctx = ExecContext.training(drop, rng);
            TrainingStep.Outcome o;
            try {
              o = TrainingStep.descend("training", b, x -> {
                GraphExecutor.Outputs f = exec.forward(params, x, ctx);
                NDArray l = Losses.crossEntropy(f.logits(), b.y(), config.labelSmoothing());
                if (f.aux() != null && config.auxWeight() > 0) {
                  l = l.add(Losses.crossEntropy(f.aux(), b.y(), config.labelSmoothing()).mul(config.auxWeight()));
                }
                return new TrainingStep.Forward(l, f.logits());
              }, params, names, config.gradClip(), sgd, lr);
            } catch (NonFiniteLossException e) {
              throw new IllegalStateException(String.format(Locale.ROOT, "training loss became %s at epoch %d step "
                  + "%d (lr %.4g); nothing was saved to %s; lower --lr", e.value(), epoch + 1, step + 1, lr, out));
            }
            double loss = o.loss();
            correct += o.correct();
            lossSum += loss * b.size();
            seen += b.size();
          }
          progress.update(1, String.format(Locale.ROOT, "epoch %d/%d loss %.3f acc %.1f%%", epoch + 1, config.epochs(),
              lossSum / seen, 100.0 * correct / seen));
        }
        eval = Evaluation.of(x -> exec.apply(params, x, ExecContext.inference()), test, config.batch(), root,
            DataType.FLOAT32, data.testViews(), crops);
        double secs = (System.nanoTime() - t0) / 1e9;
        history.add(new EpochMetrics(epoch + 1, lr, drop, lossSum / seen, (double) correct / seen, eval.loss(),
            eval.top1(), eval.top5(), eval.videoTop1(), secs));
        log.info(String.format(Locale.ROOT, "epoch %d/%d  lr %.5f  train loss %.4f acc %.2f%%  test loss %.4f top-1 "
            + "%.2f%% top-5 %.2f%%%s%s  %.1fs", epoch + 1, config.epochs(), lr, lossSum / seen, 100.0 * correct / seen,
            eval.loss(), 100 * eval.top1(), 100 * eval.top5(), videoPart(eval), cropsPart(eval), secs));
      }
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("dataset", config.dataset());
      training.put("epochs", config.epochs());
      training.put("trainSamples", train.size());
      training.put("testSamples", test.size());
      training.put("testTop1", eval.top1());
      training.put("testTop5", eval.top5());
      training.put("testLoss", eval.loss());
      training.put("testViews", eval.views());
      // spatial crops per test sample: a video folder's are among testViews, an image's averaged in evaluation
      training.put("testCrops", Math.max(1, config.testCrops()));
      training.put("testVideoTop1", eval.videoTop1());
      training.put("config", config);
      NetworkSpec trained = spec.withInfo("trained", true).withInfo("training", training);
      NetworkFolder.write(out, trained, params.toTensors());
      Json.writeFile(out.resolve("history.json"), history);
      double seconds = (System.nanoTime() - start) / 1e9;
      log.info(String.format(Locale.ROOT, "test top-1 %.2f%%, top-5 %.2f%%%s%s after %d epochs (%s); saved to %s",
          100 * eval.top1(), 100 * eval.top5(), videoPart(eval), cropsPart(eval), config.epochs(),
          Progress.duration(seconds), out));
      return new TrainResult(out, eval.top1(), eval.top5(), eval.loss(), config.epochs(), seconds, eval.videoTop1(),
          eval.views(), eval.crops());
    }
  }
}
