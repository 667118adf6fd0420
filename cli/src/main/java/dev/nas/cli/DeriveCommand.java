package dev.nas.cli;

import dev.nas.cost.CostCounter;
import dev.nas.cost.CostReport;
import dev.nas.genotype.Genotype;
import dev.nas.genotype.Genotypes;
import dev.nas.graph.FeatureShape;
import dev.nas.graph.Graph;
import dev.nas.graph.Initializer;
import dev.nas.macro.MacroConfig;
import dev.nas.macro.MacroFit;
import dev.nas.network.NetworkBuilder;
import dev.nas.network.NetworkFolder;
import dev.nas.network.NetworkSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.Options;

/** {@code nas derive}: a genotype in a macro → a static network folder with initial weights. */
final class DeriveCommand extends Command {
  String name() {
    return "derive";
  }

  String summary() {
    return "freeze a genotype into a static network (cifar or imagenet macro), or make the resnet baseline";
  }

  String examples() {
    return "nas derive --genotype DARTS_V2 --macro cifar --out nets/dartsv2\n"
        + "nas derive --genotype runs/s1/genotype.json --macro cifar --channels 16 --layers 8 --input 1x28x28 "
        + "--out nets/fm\n"
        + "nas derive --genotype \"Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), ...)\" "
        + "--macro imagenet --out nets/mobile\n"
        + "nas derive --macro resnet --channels 16 --layers 3 --out nets/resnet20   # baseline, no genotype";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("genotype", "G", "genotype: JSON file, file or text in the DARTS Genotype(...) form, or a "
        + "built-in name (" + String.join(", ", Genotypes.names()) + ")"));
    o.addOption(opt("macro", "M", "cifar (default), imagenet, or resnet (a hand-crafted CIFAR ResNet baseline without "
        + "cells: --channels is its first stage's width, --layers its basic blocks per stage; takes no --genotype)"));
    o.addOption(opt("channels", "C", "initial width (default 36 cifar / 48 imagenet)"));
    o.addOption(opt("layers", "L", "cells (default 20 cifar / 14 imagenet)"));
    o.addOption(opt("classes", "K", "classes (default 10 cifar / 1000 imagenet)"));
    o.addOption(opt("input", "CxHxW", "input size (default 3x32x32 cifar / 3x224x224 imagenet)"));
    o.addOption(flag("no-auxiliary", "no auxiliary head (it is used for training only and never exported)"));
    o.addOption(opt("seed", "S", "seed of the initial weights (default 0)"));
    o.addOption(opt("out", "NET", "network folder to write (required)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    MacroConfig.Kind kind;
    try {
      kind = MacroConfig.Kind.parse(a.str("macro", "cifar"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    MacroConfig m = macro(a, kind);
    if (!m.hasCells() && a.has("genotype")) {
      throw new UsageException("--macro " + kind.id() + " has no cells and takes no --genotype");
    }
    Genotype g = m.hasCells() ? Genotypes.resolve(a.required("genotype")) : null;
    Path dir = a.path("out");
    NetworkSpec spec = NetworkSpec.of(g, m);
    CostReport cost = write(dir, spec, a.longValue("seed", 0));
    MacroFit.warnings(m, cost).forEach(w -> System.err.println("warning: " + w));
    out.printf("derived %s: %s macro, C=%d, %d %s, input %s, %d classes%n", dir, m.kind().id(), m.channels(),
        m.layers(), m.hasCells() ? "cells" : "blocks per stage", m.input(), m.classes());
    out.printf("params %s, MACs %s (conv+FC multiply-adds per sample, auxiliary head excluded)%n",
        CostReport.human(cost.params()), CostReport.human(cost.macs()));
    return 0;
  }

  /** Writes a network folder with initial weights; returns its cost. */
  static CostReport write(Path dir, NetworkSpec spec, long seed) throws java.io.IOException {
    Graph graph = NetworkBuilder.build(spec);
    NetworkFolder.write(dir, spec.withInfo("trained", false), Initializer.of(graph, seed));
    return CostCounter.count(graph, dir.toString());
  }

  static MacroConfig macro(Args a, MacroConfig.Kind kind) {
    MacroConfig d = kind == MacroConfig.Kind.CIFAR ? MacroConfig.cifarDefault()
        : kind == MacroConfig.Kind.RESNET ? MacroConfig.resnetDefault() : MacroConfig.imagenetDefault();
    FeatureShape input = a.has("input") ? a.shape("input") : d.input();
    try {
      return new MacroConfig(kind, a.integer("channels", d.channels()), a.integer("layers", d.layers()),
          a.integer("classes", d.classes()), input, d.hasCells() && !a.has("no-auxiliary"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
