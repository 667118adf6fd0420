package dev.nas.core.viz;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats {@link CellDiagram} writes, told apart by file extension. */
public enum DiagramFormat {
  /** A standalone SVG image, drawn without Graphviz. */
  SVG,
  /** Graphviz DOT source, for {@code dot -Tpdf} and friends. */
  DOT;

  /**
   * The format for a file name: {@code .svg} is SVG, {@code .dot} and {@code .gv} are DOT (case
   * ignored).
   *
   * @throws IllegalArgumentException for any other extension, naming the ones supported
   */
  public static DiagramFormat forPath(Path path) {
    Path name = path.getFileName();
    String file = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (file.endsWith(".svg")) {
      return SVG;
    }
    if (file.endsWith(".dot") || file.endsWith(".gv")) {
      return DOT;
    }
    throw new IllegalArgumentException("cannot tell the diagram format of '" + path
        + "' from its extension; use .svg for an image or .dot/.gv for Graphviz source");
  }
}
