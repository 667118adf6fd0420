package dev.nas.core.viz;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import java.util.Map;

/**
 * Writes cells as Graphviz DOT in the manner of the DARTS paper's figures: left to right, the two
 * cell inputs c_{k-2} and c_{k-1} on one rank, intermediate nodes numbered from 0, edges labelled
 * with their operation, and the concatenated states feeding the output c_{k}.
 */
final class DotRenderer {
  private static final String OUTPUT_EDGE_COLOUR = "#8a8f98";

  private DotRenderer() {}

  /** All cells in one digraph, one cluster per cell type. */
  static String render(Genotype genotype) {
    StringBuilder dot = new StringBuilder();
    dot.append("digraph genotype {\n");
    defaults(dot, genotype.space() + " genotype");
    int index = 0;
    for (Map.Entry<String, CellGenotype> e : genotype.cells().entrySet()) {
      CellGraph graph = CellGraph.of(genotype, e.getKey());
      dot.append("\n  subgraph cluster_").append(index).append(" {\n");
      dot.append("    graph [label=").append(quote(graph.type() + " cell"))
          .append(", style=\"rounded,filled\", color=\"#d5d9e0\", fillcolor=\"#f8f9fb\"];\n");
      body(dot, graph, "c" + index + "_", "    ");
      dot.append("  }\n");
      index++;
    }
    dot.append("}\n");
    return dot.toString();
  }

  /** One cell as a digraph of its own. */
  static String render(String type, CellGenotype cell) {
    return render(CellGraph.of(type, cell));
  }

  /** One cell's graph as a digraph of its own. */
  static String render(CellGraph graph) {
    String type = graph.type();
    StringBuilder dot = new StringBuilder();
    dot.append("digraph ").append(quote(type)).append(" {\n");
    defaults(dot, type + " cell");
    body(dot, graph, "", "  ");
    dot.append("}\n");
    return dot.toString();
  }

  private static void defaults(StringBuilder dot, String label) {
    dot.append("  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", fontsize=16, nodesep=0.25, ranksep=0.7, "
        + "label=").append(quote(label)).append("];\n");
    dot.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=14, "
        + "height=0.4, penwidth=1.2];\n");
    dot.append("  edge [fontname=\"Courier\", fontsize=11, penwidth=1.4, arrowsize=0.7];\n");
  }

  private static void body(StringBuilder dot, CellGraph graph, String prefix, String indent) {
    for (int s = 0; s <= graph.outputState(); s++) {
      NodeKind kind = NodeKind.of(graph, s);
      dot.append(indent).append(id(prefix, graph, s)).append(" [label=").append(quote(graph.stateName(s)))
          .append(", fillcolor=\"").append(kind.fill()).append("\", color=\"").append(kind.stroke()).append("\"];\n");
    }
    // Both inputs on one rank, as in the paper's figures, so they line up at the left.
    dot.append(indent).append("{ rank=same;");
    for (int s = 0; s < graph.inputs(); s++) {
      dot.append(' ').append(id(prefix, graph, s)).append(';');
    }
    dot.append(" }\n");
    for (CellGraph.Edge e : graph.edges()) {
      String colour = OpFamily.of(e.op()).colour();
      dot.append(indent).append(id(prefix, graph, e.from())).append(" -> ").append(id(prefix, graph, e.to()))
          .append(" [label=").append(quote(e.op())).append(", color=\"").append(colour)
          .append("\", fontcolor=\"").append(colour).append("\"];\n");
    }
    for (int s : graph.concat()) {
      dot.append(indent).append(id(prefix, graph, s)).append(" -> ").append(id(prefix, graph, graph.outputState()))
          .append(" [color=\"").append(OUTPUT_EDGE_COLOUR).append("\"];\n");
    }
  }

  /** Node ids are generated, never user text, so they need no escaping and cannot clash across clusters. */
  private static String id(String prefix, CellGraph graph, int state) {
    if (state == graph.outputState()) {
      return prefix + "out";
    }
    return prefix + (state < graph.inputs() ? "in" + state : "n" + (state - graph.inputs()));
  }

  /** A DOT double-quoted string; control characters, which no label needs, become U+FFFD. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7F) {
        b.append('\uFFFD');
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
