package dev.nas.cli;

import dev.nas.djl.Devices;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.SearchRun;
import dev.nas.search.algo.OneLevelOptimizer;
import dev.nas.search.cdarts.CdartsConfig;
import dev.nas.search.cdarts.CdartsResult;
import dev.nas.search.cdarts.CdartsRun;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.Options;

/** {@code nas search}: differentiable architecture search into a run folder. */
final class SearchCommand extends Command {
  String name() {
    return "search";
  }

  String summary() {
    return "search a cell architecture with DARTS (first or second order), DAS, scheduled SDAS or CDARTS on DJL/PyTorch";
  }

  String examples() {
    return "nas search --algo darts --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 --batch 32 "
        + "--out runs/s1\n"
        + "nas search --algo sdas-c --space o2d --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 "
        + "--batch 32 --out runs/s2\n"
        + "nas search --algo pvnas --dataset synthetic --input 3x16x16 --epochs 6 --lr-step 2 --layers 5 --channels 8 "
        + "--batch 32 --out runs/s3\n"
        + "nas search --algo cdarts --dataset synthetic --input 3x16x16 --epochs 4 --layers 5 --channels 8 "
        + "--enet-layers 8 --enet-channels 8 --batch 32 --out runs/c1\n"
        + "nas search --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist --out runs/fm\n"
        + "nas search --out runs/fm --resume";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("algo", "A", "darts (first order, default), darts2 (second order), das (DARTS first order with "
        + "edge strengths β, the SDAS paper's baseline) or sdas-a|sdas-b|sdas-c (scheduled discretization: linear, "
        + "late, early), pvnas (PV-NAS' one-level optimisation: α and weights both on the training loss, no "
        + "validation split, step-decayed weight learning rate) or cdarts (cyclic search: S-Net and E-Net with "
        + "introspective distillation)"));
    o.addOption(opt("space", "S", "search space: darts (default; DARTS' 8 operations) or o2d (SDAS' image space: the "
        + "same without none); video spaces (" + String.join(", ", videoSpaces()) + ") take clip datasets"));
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
    o.addOption(opt("lr", "X", "weight learning rate, cosine-annealed (pvnas: step-decayed; default 0.025)"));
    o.addOption(opt("lr-step", "S", "pvnas: multiply the weight learning rate by 0.1 every S epochs (default a third "
        + "of --epochs, rounded up)"));
    o.addOption(opt("lr-min", "X", "final weight learning rate (default 0.001)"));
    o.addOption(opt("momentum", "X", "SGD momentum (default 0.9)"));
    o.addOption(opt("weight-decay", "X", "weight decay (default 3e-4; pvnas 1e-4)"));
    o.addOption(opt("grad-clip", "X", "gradient norm clip (default 5)"));
    o.addOption(opt("arch-lr", "X", "Adam learning rate of α and β (default 3e-4; pvnas 1e-3, with betas (0, 0.999))"));
    o.addOption(opt("arch-weight-decay", "X", "weight decay of α and β (default 1e-3)"));
    o.addOption(flag("no-augment", "no random crop / flip during search"));
    o.addOption(opt("warmup-epochs", "N", "first N epochs train only the weights, α frozen (default 0, as DARTS)"));
    o.addOption(opt("distill-weight", "X", "cdarts: λ, weight of the distillation loss (default 4)"));
    o.addOption(opt("skip-weight", "X", "cdarts: λ', L1 weight on the skip_connect softmax weights, decaying "
        + "linearly to 0 over the first 2/3 of the epochs (default 5)"));
    o.addOption(opt("temperature", "X", "cdarts: distillation temperature T (default 2)"));
    o.addOption(opt("update-steps", "N", "cdarts: S_U, rebuild the E-Net from α every N steps (default 0 = one "
        + "epoch)"));
    o.addOption(opt("enet-steps", "N", "cdarts: S_E, E-Net steps on the val split after each rebuild (default 0 = "
        + "one epoch)"));
    o.addOption(opt("enet-layers", "N", "cdarts: cells of the evaluation network (default 20)"));
    o.addOption(opt("enet-channels", "C", "cdarts: initial width of the evaluation network (default 36)"));
    o.addOption(opt("enet-repeat", "K", "cdarts on video spaces: normal cells per stage of the evaluation network "
        + "(default 2)"));
    o.addOption(opt("device", "D", "cpu (default) or gpu"));
    o.addOption(opt("out", "RUN", "run folder (required)"));
    o.addOption(flag("resume", "continue the search in --out from its last checkpoint"));
    o.addOption(opt("stop-after", "N", "stop after N epochs of this invocation (resume later)"));
    o.addOption(flag("ignore-memory-estimate", "start even if the estimated peak memory exceeds what is available"));
    return o;
  }

  /** Options that only CDARTS reads. */
  private static final java.util.List<String> CDARTS_OPTIONS = java.util.List.of("distill-weight", "skip-weight",
      "temperature", "update-steps", "enet-steps", "enet-layers", "enet-channels", "enet-repeat");

  int run(Args a, PrintStream out) throws Exception {
    Path run = a.path("out");
    boolean resume = a.has("resume");
    if (CdartsConfig.ALGO.equals(a.str("algo", null)) || (resume && CdartsRun.isCdartsRun(run))) {
      return runCdarts(a, run, out);
    }
    for (String o : CDARTS_OPTIONS) {
      if (a.has(o)) {
        throw new UsageException("--" + o + " is a cdarts option; add --algo cdarts");
      }
    }
    SearchConfig base = resume ? SearchRun.storedConfig(run) : SearchConfig.dartsDefaults("synthetic");
    SearchConfig cfg = config(a, base);
    SearchResult r = new SearchRun(cfg, run, Devices.parse(a.str("device", "cpu")), System.err)
        .execute(resume, a.integer("stop-after", 0), a.has("ignore-memory-estimate"));
    out.println(r.genotype().toPythonString());
    out.println(r.finished() ? "genotype: " + run.resolve("genotype.json")
        : "paused after epoch " + r.epochsDone() + "; continue with: nas search --out " + run + " --resume");
    return 0;
  }

  private static java.util.List<String> videoSpaces() {
    return dev.nas.ops.SearchSpace.names().stream().filter(n -> dev.nas.ops.SearchSpace.named(n).video()).toList();
  }

  private int runCdarts(Args a, Path run, PrintStream out) throws Exception {
    if (a.has("resume")) {
      throw new UsageException("--resume is not supported for --algo cdarts (a CDARTS run keeps no checkpoint); "
          + "start a new search with another --out");
    }
    if (a.has("stop-after")) {
      throw new UsageException("--stop-after is not supported for --algo cdarts (its runs cannot be resumed)");
    }
    CdartsConfig d = CdartsConfig.defaults(config(a, CdartsConfig.searchDefaults("synthetic")));
    CdartsConfig cfg;
    try {
      cfg = new CdartsConfig(d.search(), a.number("distill-weight", d.distillWeight()),
          a.number("skip-weight", d.skipWeight()), a.number("temperature", d.temperature()),
          a.integer("update-steps", d.updateSteps()), a.integer("enet-steps", d.enetSteps()),
          a.integer("enet-layers", d.enetLayers()), a.integer("enet-channels", d.enetChannels()),
          a.integer("enet-repeat", d.enetRepeat()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    CdartsResult r = new CdartsRun(cfg, run, Devices.parse(a.str("device", "cpu")), System.err).execute();
    out.println(r.genotype().toPythonString());
    out.println("genotype: " + run.resolve("genotype.json"));
    out.println("trained E-Net: " + r.enet() + " (nas export --net " + r.enet() + " --format onnx --out model.onnx)");
    return 0;
  }

  /** The configuration from {@code base}, overridden by every option given. */
  static SearchConfig config(Args a, SearchConfig b) {
    String dataset = DataOptions.dataset(a, b.dataset());
    String algo = a.str("algo", b.algo());
    String space = a.str("space", b.space());
    DataOptions.checkSpace(dataset, space);
    // PV-NAS' own defaults, unless a stored pvnas configuration already carries the values
    boolean pvnasDefaults = algo.equals("pvnas") && !b.algo().equals("pvnas");
    try {
      return new SearchConfig(algo, space, dataset,
        DataOptions.dataDir(a, dataset, b.dataDir()), DataOptions.input(a, dataset, b.input()),
        DataOptions.classes(a, dataset, b.classes()), a.integer("train-samples", b.trainSamples()),
        a.integer("test-samples", b.testSamples()), a.number("train-portion", b.trainPortion()),
        a.integer("epochs", b.epochs()), a.integer("layers", b.layers()), a.integer("channels", b.channels()),
        a.integer("batch", b.batch()), a.longValue("seed", b.seed()), a.number("lr", b.lr()),
        a.number("lr-min", b.lrMin()), a.number("momentum", b.momentum()),
        a.number("weight-decay", pvnasDefaults ? OneLevelOptimizer.pvnas().weightDecay() : b.weightDecay()),
        a.number("grad-clip", b.gradClip()),
        a.number("arch-lr", pvnasDefaults ? OneLevelOptimizer.pvnas().archLr() : b.archLr()),
        a.number("arch-weight-decay", b.archWeightDecay()), a.has("no-augment") ? false : b.augment(),
        a.integer("warmup-epochs", b.warmupEpochs()), a.integer("lr-step", b.lrStep()), a.integer("repeat", b.repeat()),
        a.integer("stem-channels", b.stemChannels()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
