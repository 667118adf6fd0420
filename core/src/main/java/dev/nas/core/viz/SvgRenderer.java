package dev.nas.core.viz;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Draws every cell of a genotype into one SVG document, cells stacked top to bottom under a legend. */
final class SvgRenderer {
  private static final String SANS = "DejaVu Sans, Helvetica, Arial, sans-serif";
  private static final String MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace";
  private static final double MARGIN = 16;
  private static final double PANEL_PADDING = 18;
  private static final double TITLE_SIZE = 15;
  private static final double TITLE_HEIGHT = 26;
  private static final double LEGEND_HEIGHT = 28;
  private static final double CELL_GAP = 14;
  private static final double NODE_FONT_SIZE = 13;
  private static final String OUTPUT_WIRE_COLOUR = "#8a8f98";

  private SvgRenderer() {}

  static String render(Genotype genotype) {
    List<CellLayout> layouts = new ArrayList<>();
    Set<OpFamily> families = EnumSet.noneOf(OpFamily.class);
    for (Map.Entry<String, CellGenotype> e : genotype.cells().entrySet()) {
      CellLayout layout = CellLayout.of(CellGraph.of(genotype, e.getKey()));
      layouts.add(layout);
      layout.graph().edges().forEach(edge -> families.add(OpFamily.of(edge.op())));
    }

    double panelWidth = legendWidth(families);
    for (CellLayout l : layouts) {
      panelWidth = Math.max(panelWidth, Math.max(l.bounds().width(), titleWidth(l)) + 2 * PANEL_PADDING);
    }
    double height = MARGIN + LEGEND_HEIGHT;
    for (CellLayout l : layouts) {
      height += panelHeight(l) + CELL_GAP;
    }
    height += MARGIN - CELL_GAP;
    double width = panelWidth + 2 * MARGIN;

    SvgWriter svg = new SvgWriter();
    svg.declaration();
    svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "version", "1.1", "width", width, "height", height,
        "viewBox", "0 0 " + SvgWriter.num(width) + " " + SvgWriter.num(height), "font-family", SANS);
    svg.text("title", "Cells of a " + genotype.space() + " genotype: " + String.join(", ", genotype.cells().keySet()));
    svg.empty("rect", "class", "background", "x", 0, "y", 0, "width", width, "height", height, "fill", "#ffffff");
    legend(svg, families, MARGIN, MARGIN);
    double y = MARGIN + LEGEND_HEIGHT;
    for (CellLayout l : layouts) {
      cell(svg, l, MARGIN, y, panelWidth);
      y += panelHeight(l) + CELL_GAP;
    }
    svg.close("svg");
    return svg.toString();
  }

  private static double panelHeight(CellLayout l) {
    return TITLE_HEIGHT + l.bounds().height() + 2 * PANEL_PADDING;
  }

  private static double titleWidth(CellLayout l) {
    // Bold sans glyphs average under 0.65 em; a generous estimate keeps long names inside the panel.
    return title(l).length() * TITLE_SIZE * 0.65;
  }

  private static String title(CellLayout l) {
    return l.graph().type() + " cell";
  }

  private static double legendWidth(Set<OpFamily> families) {
    return 80 + families.size() * 80.0;
  }

  private static void legend(SvgWriter svg, Set<OpFamily> families, double x, double y) {
    svg.open("g", "class", "legend", "transform", translate(x, y));
    double mid = LEGEND_HEIGHT / 2 - 4;
    svg.text("text", "operations", "x", 0, "y", mid + 4, "font-size", 12, "fill", "#444444");
    double at = 80;
    for (OpFamily f : families) {
      svg.empty("line", "x1", at, "y1", mid, "x2", at + 22, "y2", mid, "stroke", f.colour(), "stroke-width", 2);
      svg.empty("polygon", "points", arrowPoints(new Point(at + 30, mid)), "fill", f.colour());
      svg.text("text", f.label(), "x", at + 35, "y", mid + 4, "font-size", 12, "fill", f.colour());
      at += 80;
    }
    svg.close("g");
  }

  private static void cell(SvgWriter svg, CellLayout l, double x, double y, double panelWidth) {
    svg.open("g", "class", "cell", "data-cell-type", l.graph().type(), "transform", translate(x, y));
    svg.empty("rect", "class", "panel", "x", 0, "y", 0, "width", panelWidth, "height", panelHeight(l),
        "rx", 8, "fill", "#f8f9fb", "stroke", "#d5d9e0");
    svg.text("text", title(l), "class", "cell-title", "x", PANEL_PADDING, "y", PANEL_PADDING + 6,
        "font-size", TITLE_SIZE, "font-weight", "bold", "fill", "#222222");
    // Centre the drawing in the panel; the layout's own coordinates may start anywhere.
    double dx = (panelWidth - l.bounds().width()) / 2 - l.bounds().x();
    double dy = TITLE_HEIGHT + PANEL_PADDING - l.bounds().y();
    svg.open("g", "transform", translate(dx, dy));

    svg.open("g", "class", "edges", "fill", "none");
    for (CellLayout.Wire w : l.wires()) {
      String colour = w.op() == null ? OUTPUT_WIRE_COLOUR : w.family().colour();
      svg.open("g", "class", w.op() == null ? "edge output-edge" : "edge", "data-from", w.from(), "data-to", w.to());
      svg.empty("path", "d", pathData(w.curve()), "stroke", colour, "stroke-width", w.op() == null ? 1.4 : 1.8);
      svg.empty("polygon", "points", arrowPoints(w.tip()), "fill", colour);
      svg.close("g");
    }
    svg.close("g");

    svg.open("g", "class", "nodes");
    for (CellLayout.NodeBox b : l.boxes()) {
      node(svg, b, l.graph());
    }
    svg.close("g");

    svg.open("g", "class", "labels", "font-family", MONO, "font-size", CellLayout.LABEL_FONT_SIZE);
    for (CellLayout.Label label : l.labels()) {
      Rect r = label.box();
      svg.empty("rect", "x", r.x(), "y", r.y(), "width", r.width(), "height", r.height(), "rx", 3,
          "fill", "#ffffff", "fill-opacity", 0.92, "stroke", label.family().colour(), "stroke-opacity", 0.35);
      svg.text("text", label.text(), "class", "op-label", "x", r.centre().x(),
          "y", r.centre().y() + CellLayout.LABEL_FONT_SIZE * 0.35, "text-anchor", "middle",
          "fill", label.family().colour());
    }
    svg.close("g");

    svg.close("g");
    svg.close("g");
  }

  private static void node(SvgWriter svg, CellLayout.NodeBox b, CellGraph graph) {
    Rect r = b.rect();
    svg.open("g", "class", "node " + b.kind().name().toLowerCase(Locale.ROOT), "data-state", b.state());
    svg.empty("rect", "x", r.x(), "y", r.y(), "width", r.width(), "height", r.height(), "rx", 5,
        "fill", b.kind().fill(), "stroke", b.kind().stroke(), "stroke-width", 1.2);
    double baseline = r.centre().y() + NODE_FONT_SIZE * 0.35;
    if (b.kind() == NodeKind.NODE) {
      svg.text("text", b.name(), "x", r.centre().x(), "y", baseline, "text-anchor", "middle",
          "font-size", NODE_FONT_SIZE, "fill", "#1d2733");
    } else {
      // c_{k-1} is drawn as c with a real subscript, as in the DARTS figures.
      svg.subscripted("c", graph.cellSubscript(b.state()), NODE_FONT_SIZE * 0.75, "x", r.centre().x(), "y", baseline - 2,
          "text-anchor", "middle", "font-size", NODE_FONT_SIZE, "font-style", "italic", "fill", "#1d2733");
    }
    svg.close("g");
  }

  private static String pathData(Curve curve) {
    StringBuilder d = new StringBuilder("M").append(pair(curve.start()));
    for (Curve.Cubic c : curve.segments()) {
      d.append(" C").append(pair(c.c1())).append(' ').append(pair(c.c2())).append(' ').append(pair(c.p3()));
    }
    return d.toString();
  }

  /** An arrowhead pointing right with its tip at {@code tip}; the layout ends every edge horizontally. */
  private static String arrowPoints(Point tip) {
    return pair(tip) + " " + pair(tip.plus(-CellLayout.ARROW_LENGTH, -CellLayout.ARROW_HALF_WIDTH)) + " "
        + pair(tip.plus(-CellLayout.ARROW_LENGTH, CellLayout.ARROW_HALF_WIDTH));
  }

  private static String pair(Point p) {
    return SvgWriter.num(p.x()) + "," + SvgWriter.num(p.y());
  }

  private static String translate(double x, double y) {
    return "translate(" + SvgWriter.num(x) + " " + SvgWriter.num(y) + ")";
  }
}
