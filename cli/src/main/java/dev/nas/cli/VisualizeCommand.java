package dev.nas.cli;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.viz.CellDiagram;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.Options;

/** {@code nas visualize}: cell diagrams of a genotype. */
final class VisualizeCommand extends Command {
  String name() {
    return "visualize";
  }

  String summary() {
    return "draw a genotype's cells as SVG (built in) or Graphviz DOT";
  }

  String examples() {
    return "nas visualize --genotype DARTS_V2 --out dartsv2.svg\nnas visualize --genotype runs/s1/genotype.json "
        + "--out cells.dot";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("genotype", "G", "genotype (file, Genotype(...) text or built-in name)"));
    o.addOption(opt("out", "FILE", "output file: .svg, .dot or .gv (required)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    Genotype g = Genotypes.resolve(a.required("genotype"));
    Path file = a.path("out");
    try {
      CellDiagram.write(g, file);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    out.println("wrote " + file);
    return 0;
  }
}
