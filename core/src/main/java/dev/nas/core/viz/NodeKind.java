package dev.nas.core.viz;

/** The three kinds of box in a cell diagram, with the colours both renderers give them. */
enum NodeKind {
  /** c_{k-2} and c_{k-1}, the outputs of the two preceding cells. */
  INPUT("#d9f0d3", "#5a9a55"),
  /** An intermediate node. */
  NODE("#dbe8f6", "#5b7fa8"),
  /** c_{k}, the concatenation that leaves the cell. */
  OUTPUT("#f6ecc4", "#a89340");

  private final String fill;
  private final String stroke;

  NodeKind(String fill, String stroke) {
    this.fill = fill;
    this.stroke = stroke;
  }

  static NodeKind of(CellGraph graph, int state) {
    if (state < graph.inputs()) {
      return INPUT;
    }
    return state == graph.outputState() ? OUTPUT : NODE;
  }

  String fill() {
    return fill;
  }

  String stroke() {
    return stroke;
  }
}
