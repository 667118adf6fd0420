package dev.nas.cli;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.macro.MacroFit;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.Options;

/** {@code nas derive}: a genotype in a macro → a static network folder with initial weights. */
final class DeriveCommand extends Command {
  String name() {
    return "derive";
  }

  String summary() {
    return "freeze a genotype into a static network (cifar, imagenet, video-sdas or video-pvnas macro), or make the resnet baseline";
  }

  String examples() {
    return "nas derive --genotype DARTS_V2 --macro cifar --out nets/dartsv2\n"
        + "nas derive --genotype runs/s1/genotype.json --macro cifar --channels 16 --layers 8 --input 1x28x28 "
        + "--out nets/fm\n"
        + "nas derive --genotype \"Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), ...)\" "
        + "--macro imagenet --out nets/mobile\n"
        + "nas derive --genotype runs/video/genotype.json --macro video-sdas --repeat 2 --stem-channels 32 "
        + "--channels 32 --input 3x16x112x112 --classes 101 --out nets/video\n"
        + "nas derive --macro resnet --channels 16 --layers 3 --out nets/resnet20   # baseline, no genotype";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("genotype", "G", "genotype: JSON file, file or text in the DARTS Genotype(...) form, or a "
        + "built-in name (" + String.join(", ", Genotypes.names()) + ")"));
    o.addOption(opt("macro", "M", "cifar, imagenet, video-sdas or video-pvnas (default: the macro the genotype's "
        + "space is searched in: cifar for image spaces, video-sdas for o2d-video/o3d/oadv, video-pvnas for pvnas*), "
        + "or resnet (a hand-crafted CIFAR ResNet baseline without cells: --channels is its first stage's width, "
        + "--layers its basic blocks per stage; takes no --genotype) or resnet3d (the same on clips, 3×3×3 kernels, "
        + "default 3x8x32x32 with 2 blocks per stage)"));
    o.addOption(opt("channels", "C", "initial node width (default 36 cifar / 48 imagenet / 32 video-sdas / 64 "
        + "video-pvnas)"));
    o.addOption(opt("layers", "L", "cells of the image macros (default 20 cifar / 14 imagenet; resnet, resnet3d: blocks per stage, default 3 / 2)"));
    o.addOption(opt("repeat", "K", "video macros: normal cells per stage (default 2 video-sdas / 1 video-pvnas)"));
    o.addOption(opt("stem-channels", "C1", "video macros: width of the first stem convolution (default 32)"));
    o.addOption(opt("classes", "N", "classes (default 10 cifar / 1000 imagenet / 400 video)"));
    o.addOption(opt("input", "SHAPE", "input size, read at the macro's rank: CxHxW or 1xCxHxW for image macros, "
        + "CxTxHxW or 1xCxTxHxW for video macros (default 3x32x32 cifar / 3x224x224 imagenet / 3x16x112x112 video)"));
    o.addOption(flag("no-auxiliary", "no auxiliary head (it is used for training only and never exported)"));
    o.addOption(opt("dropout", "P", "dropout rate before the classifier while training (default 0; PV-NAS: 0.4); "
        + "never exported"));
    o.addOption(opt("seed", "S", "seed of the initial weights (default 0)"));
    o.addOption(opt("out", "NET", "network folder to write (required)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    // only the cell-free resnet baselines are derived without a genotype
    MacroConfig.Kind given;
    try {
      given = a.has("macro") ? MacroConfig.Kind.parse(a.str("macro", null)) : null;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    boolean cellFree = given != null && given.cellFree();
    Genotype g = cellFree ? null : Genotypes.resolve(a.required("genotype"));
    if (cellFree && a.has("genotype")) {
      throw new UsageException("--macro " + given.id() + " has no cells and takes no --genotype");
    }
    MacroConfig.Kind kind;
    try {
      kind = given != null ? given : MacroConfig.Kind.parse(SearchSpace.named(g.space()).macro());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    MacroConfig m = macro(a, kind);
    if (g != null) {
      try {
        NetworkBuilder.requireFits(SearchSpace.named(g.space()), m);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    Path dir = a.path("out");
    NetworkSpec spec = NetworkSpec.of(g, m);
    CostReport cost = write(dir, spec, a.longValue("seed", 0));
    MacroFit.warnings(m, cost).forEach(w -> System.err.println("warning: " + w));
    out.printf("derived %s: %s macro, C=%d, %d %s%s, input %s, %d classes%n", dir, m.kind().id(), m.channels(),
        m.layers(), m.hasCells() ? "cells" : "blocks per stage",
        m.kind().video() ? String.format(" (K=%d, C1=%d)", m.repeat(), m.stemChannels()) : "", m.input(), m.classes());
    out.printf("params %s, MACs %s (conv+FC multiply-adds per sample, auxiliary head excluded)%n",
        CostReport.human(cost.params()), CostReport.human(cost.macs()));
    return 0;
  }

  /** Writes a network folder with initial weights; returns its cost. */
  static CostReport write(Path dir, NetworkSpec spec, long seed) throws java.io.IOException {
    Graph graph = NetworkBuilder.build(spec);
    checkMemory(graph);
    NetworkFolder.write(dir, spec.withInfo("trained", false), Initializer.of(graph, seed));
    return CostCounter.count(graph, dir.toString());
  }

  /** Refuses a network whose weights would not fit in the Java heap, before any is allocated. */
  static void checkMemory(Graph graph) {
    long weights = 0;
    for (dev.nas.core.graph.NamedParam p : graph.params()) {
      long n = 1;
      for (int d : p.spec().shape()) {
        n = Math.multiplyExact(n, d);
      }
      weights = Math.addExact(weights, n);
    }
    dev.nas.search.MemoryEstimate est = dev.nas.search.MemoryEstimate.forWeights(weights, 4);
    long heap = dev.nas.search.MemoryEstimate.maxHeap();
    if (est.total() > 0.8 * heap || weights > Integer.MAX_VALUE / 4) {
      throw new UsageException(String.format(java.util.Locale.ROOT, "the network would have %,d weights, needing "
          + "about %s to initialise and write, more than the %s this process may use; reduce --layers or --channels",
          weights, dev.nas.search.MemoryEstimate.gib(est.total()), dev.nas.search.MemoryEstimate.gib(heap)));
    }
  }

  /** The macro of {@code kind} with the defaults of {@link MacroConfig#defaults}, overridden by the options given. */
  static MacroConfig macro(Args a, MacroConfig.Kind kind) {
    MacroConfig d = MacroConfig.defaults(kind);
    try {
      FeatureShape input = a.has("input") ? kind.parseInput(a.str("input", null)) : d.input();
      Args.checkShape("input", input);
      if (kind.video()) {
        if (a.has("layers")) {
          throw new UsageException("the " + kind.id() + " macro's depth follows from --repeat K; drop --layers");
        }
        return MacroConfig.video(kind, a.integer("channels", d.channels()), a.integer("repeat", d.repeat()),
            a.integer("stem-channels", d.stemChannels()), a.integer("classes", d.classes()), input,
            !a.has("no-auxiliary")).withDropout(a.number("dropout", 0));
      }
      if (a.has("repeat") || a.has("stem-channels")) {
        throw new UsageException("--repeat and --stem-channels are for the video macros; the " + kind.id()
            + " macro takes --layers and --channels");
      }
      return new MacroConfig(kind, a.integer("channels", d.channels()), a.integer("layers", d.layers()),
          a.integer("classes", d.classes()), input, kind.auxiliaryHead() && !a.has("no-auxiliary"))
          .withDropout(a.number("dropout", 0));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
