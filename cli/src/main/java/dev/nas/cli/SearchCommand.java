package dev.nas.cli;

import dev.nas.djl.Devices;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.SearchRun;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.Options;

/** {@code nas search}: differentiable architecture search into a run folder. */
final class SearchCommand extends Command {
  String name() {
    return "search";
  }

  String summary() {
    return "search a cell architecture with DARTS (first or second order), DAS or scheduled SDAS on DJL/PyTorch";
  }

  String examples() {
    return "nas search --algo darts --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 --batch 32 "
        + "--out runs/s1\n"
        + "nas search --algo sdas-c --space o2d --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 "
        + "--batch 32 --out runs/s2\n"
        + "nas search --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist --out runs/fm\n"
        + "nas search --out runs/fm --resume";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("algo", "A", "darts (first order, default), darts2 (second order), das (DARTS first order with "
        + "edge strengths β, the SDAS paper's baseline) or sdas-a|sdas-b|sdas-c (scheduled discretization: linear, "
        + "late, early)"));
    o.addOption(opt("space", "S", "search space: darts (default; DARTS' 8 operations) or o2d (SDAS' image space: the "
        + "same without none)"));
    DataOptions.add(o);
    o.addOption(opt("train-portion", "F", "share of the training set for weights; the rest is the validation split "
        + "for the architecture (default 0.5)"));
    o.addOption(opt("epochs", "E", "epochs (default 50)"));
    o.addOption(opt("layers", "L", "cells in the supernet (default 8; image spaces)"));
    o.addOption(opt("repeat", "K", "video spaces: normal cells per stage of the video-sdas supernet (default 2; the "
        + "video-pvnas supernet has one cell of each type)"));
    o.addOption(opt("stem-channels", "C1", "video spaces: width of the first stem convolution (default 16)"));
    o.addOption(opt("channels", "C", "initial width (default 16)"));
    o.addOption(opt("batch", "B", "batch size (default 64)"));
    o.addOption(opt("seed", "S", "random seed (default 2)"));
    o.addOption(opt("lr", "X", "weight learning rate, cosine-annealed (default 0.025)"));
    o.addOption(opt("lr-min", "X", "final weight learning rate (default 0.001)"));
    o.addOption(opt("momentum", "X", "SGD momentum (default 0.9)"));
    o.addOption(opt("weight-decay", "X", "weight decay (default 3e-4)"));
    o.addOption(opt("grad-clip", "X", "gradient norm clip (default 5)"));
    o.addOption(opt("arch-lr", "X", "Adam learning rate of α and β (default 3e-4)"));
    o.addOption(opt("arch-weight-decay", "X", "weight decay of α and β (default 1e-3)"));
    o.addOption(flag("no-augment", "no random crop / flip during search"));
    o.addOption(opt("warmup-epochs", "N", "first N epochs train only the weights, α frozen (default 0, as DARTS)"));
    o.addOption(opt("device", "D", "cpu (default) or gpu"));
    o.addOption(opt("out", "RUN", "run folder (required)"));
    o.addOption(flag("resume", "continue the search in --out from its last checkpoint"));
    o.addOption(opt("stop-after", "N", "stop after N epochs of this invocation (resume later)"));
    o.addOption(flag("ignore-memory-estimate", "start even if the estimated peak memory exceeds what is available"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    Path run = a.path("out");
    boolean resume = a.has("resume");
    SearchConfig base = resume ? SearchRun.storedConfig(run) : SearchConfig.dartsDefaults("synthetic");
    SearchConfig cfg = config(a, base);
    SearchResult r = new SearchRun(cfg, run, Devices.parse(a.str("device", "cpu")), System.err)
        .execute(resume, a.integer("stop-after", 0), a.has("ignore-memory-estimate"));
    out.println(r.genotype().toPythonString());
    out.println(r.finished() ? "genotype: " + run.resolve("genotype.json")
        : "paused after epoch " + r.epochsDone() + "; continue with: nas search --out " + run + " --resume");
    return 0;
  }

  /** The configuration from {@code base}, overridden by every option given. */
  static SearchConfig config(Args a, SearchConfig b) {
    String dataset = DataOptions.dataset(a, b.dataset());
    try {
      return new SearchConfig(a.str("algo", b.algo()), a.str("space", b.space()), dataset,
        DataOptions.dataDir(a, dataset, b.dataDir()), a.has("input") ? a.shape("input").toString() : b.input(),
        a.integer("classes", b.classes()), a.integer("train-samples", b.trainSamples()),
        a.integer("test-samples", b.testSamples()), a.number("train-portion", b.trainPortion()),
        a.integer("epochs", b.epochs()), a.integer("layers", b.layers()), a.integer("channels", b.channels()),
        a.integer("batch", b.batch()), a.longValue("seed", b.seed()), a.number("lr", b.lr()),
        a.number("lr-min", b.lrMin()), a.number("momentum", b.momentum()), a.number("weight-decay", b.weightDecay()),
        a.number("grad-clip", b.gradClip()), a.number("arch-lr", b.archLr()),
        a.number("arch-weight-decay", b.archWeightDecay()), a.has("no-augment") ? false : b.augment(),
        a.integer("warmup-epochs", b.warmupEpochs()), a.integer("repeat", b.repeat()),
        a.integer("stem-channels", b.stemChannels()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
