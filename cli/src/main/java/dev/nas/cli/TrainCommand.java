package dev.nas.cli;

import dev.nas.core.graph.FeatureShape;
import dev.nas.derive.NetworkFolder;
import dev.nas.djl.Devices;
import dev.nas.train.LrPolicy;
import dev.nas.train.TrainConfig;
import dev.nas.train.TrainPreset;
import dev.nas.train.TrainResult;
import dev.nas.train.Trainer;
import java.io.PrintStream;
import org.apache.commons.cli.Options;

/** {@code nas train}: trains a derived network from scratch and reports test accuracy. */
final class TrainCommand extends Command {
  String name() {
    return "train";
  }

  String summary() {
    return "train a derived network from scratch (SGD, cosine LR, cutout, auxiliary loss, drop-path)";
  }

  String examples() {
    return "nas train --net nets/fm --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist --epochs 10 "
        + "--out nets/fm-trained\n"
        + "nas train --net nets/small --dataset synthetic --input 3x16x16 --epochs 5 --batch 64 --out nets/small-trained";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("net", "NET", "network folder from nas derive (required)"));
    DataOptions.add(o);
    DataOptions.addClips(o);
    DataOptions.addFrameStride(o);
    DataOptions.addScaleJitter(o);
    DataOptions.addClipWindows(o);
    o.addOption(opt("epochs", "E", "epochs (default 20; DARTS trains 600)"));
    o.addOption(opt("batch", "B", "batch size (default 96)"));
    o.addOption(opt("lr", "X", "initial learning rate (default 0.025)"));
    o.addOption(opt("lr-min", "X", "final learning rate of the cosine schedule (default 0)"));
    o.addOption(opt("lr-schedule", "S", "cosine (default) or exponential (×--lr-decay per epoch, SDAS' ImageNet "
        + "recipe)"));
    o.addOption(opt("lr-decay", "X", "factor per epoch of the exponential schedule (default 0.97)"));
    o.addOption(opt("warmup-epochs", "N", "epochs of linear learning-rate warm-up before the schedule (default 0; "
        + "CDARTS' ImageNet recipe: 5)"));
    o.addOption(opt("momentum", "X", "SGD momentum (default 0.9)"));
    o.addOption(opt("weight-decay", "X", "weight decay (default 3e-4)"));
    o.addOption(opt("grad-clip", "X", "gradient norm clip (default 5)"));
    o.addOption(opt("cutout", "N", "cutout square side, 0 for none (default 16)"));
    o.addOption(opt("aux-weight", "X", "weight of the auxiliary head's loss (default 0.4)"));
    o.addOption(opt("drop-path", "P", "final drop-path probability, grown linearly from 0 (default 0.2)"));
    o.addOption(opt("label-smoothing", "X", "label smoothing (default 0)"));
    o.addOption(flag("no-augment", "no random crop / flip / cutout"));
    o.addOption(opt("seed", "S", "random seed (default 0)"));
    o.addOption(opt("device", "D", "cpu (default) or gpu"));
    o.addOption(opt("out", "NET2", "folder for the trained network (required)"));
    o.addOption(flag("print-config", "print the resolved training configuration (JSON) and exit without training"));
    o.addOption(opt("preset", "NAME", "start from a paper's retraining recipe; options given override it: "
        + String.join("; ", TrainPreset.all().stream().map(p -> p.name() + " (" + p.source() + ")").toList())));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    TrainConfig base;
    try {
      base = a.has("preset") ? TrainPreset.named(a.str("preset", null)).config() : TrainConfig.defaults("synthetic");
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    TrainConfig cfg = config(a, base);
    if (a.has("print-config")) {
      out.println(dev.nas.core.io.Json.write(cfg));
      return 0;
    }
    NetworkFolder net = NetworkFolder.read(a.path("net"));
    boolean clipNet = net.spec().macro().input().rank() == FeatureShape.CLIP;
    if (clipNet != DataOptions.clips(cfg.dataset())) {
      throw new UsageException(net.dir() + " takes " + (clipNet ? "clips" : "images") + " (" + net.spec().macro().input()
          + ") but --dataset " + cfg.dataset() + " holds " + (clipNet ? "images" : "clips") + "; train it on "
          + (clipNet ? "a clip dataset (" + String.join(", ", DataOptions.CLIPS) + ")" : "an image dataset"));
    }
    TrainResult r = new Trainer(cfg, Devices.parse(a.str("device", "cpu")), System.err).train(net, a.path("out"));
    out.printf("test top-1 %.2f%%  top-5 %.2f%%%s%s  (%d epochs, %.0f s) -> %s%n", 100 * r.top1(), 100 * r.top5(),
        r.testViews() == 1 ? "" : String.format(java.util.Locale.ROOT, " per clip, per-video top-1 %.2f%% (%d clips "
            + "averaged)", 100 * r.videoTop1(), r.testViews()), r.cropsPart(), r.epochs(), r.seconds(), r.out());
    return 0;
  }

  static TrainConfig config(Args a, TrainConfig base) {
    String dataset = DataOptions.dataset(a, base.dataset());
    try {
      TrainConfig d = base.onDataset(dataset);
      return new TrainConfig(dataset, DataOptions.dataDir(a, dataset, d.dataDir()),
          DataOptions.input(a, dataset, d.input()), a.integer("train-samples",
          d.trainSamples()), a.integer("test-samples", d.testSamples()), a.integer("epochs", d.epochs()),
          a.integer("batch", d.batch()), a.number("lr", d.lr()), a.number("lr-min", d.lrMin()),
          a.number("momentum", d.momentum()), a.number("weight-decay", d.weightDecay()),
          a.number("grad-clip", d.gradClip()), a.integer("cutout", d.cutout()), a.number("aux-weight", d.auxWeight()),
          a.number("drop-path", d.dropPath()), a.number("label-smoothing", d.labelSmoothing()),
          !a.has("no-augment") && d.augment(), a.longValue("seed", d.seed()), DataOptions.testClips(a, d.testClips()),
          new LrPolicy(LrPolicy.Kind.parse(a.str("lr-schedule", d.lrPolicy().kind().id())),
              a.integer("warmup-epochs", d.lrPolicy().warmupEpochs()), a.number("lr-decay", d.lrPolicy().decay())),
          a.integer("frame-stride", d.frameStride()), a.integer("test-crops", d.testCrops()),
          DataOptions.scaleJitter(a, d.scaleJitter()), DataOptions.clipWindows(a, d.clipWindows()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
