package dev.nas.core.viz;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Draws the cells of a genotype, the backend of {@code nas visualize}. Two forms:
 * <ul>
 *   <li>Graphviz DOT in the style of the DARTS paper's figures ({@link #asDot(Genotype)});</li>
 *   <li>a standalone SVG image with its own layered layout, which needs no Graphviz
 *       ({@link #asSvg(Genotype)}).</li>
 * </ul>
 * In both, the cell inputs c_{k-2} and c_{k-1} (c_{k-1} alone in NAS-Bench-201 cells) are on the left, intermediate nodes are numbered
 * from 0, every operation edge is labelled with its operation, and the concatenated states feed
 * the output c_{k}. Any cell types and node counts work, and any operation name; states 0 and 1
 * are always the cell inputs. Output is deterministic: the same genotype gives the same text.
 *
 * <p>Genotypes are drawn as given; only what drawing needs is checked (every edge reads an earlier
 * state, concatenated states exist), and violations throw {@link IllegalArgumentException}.
 */
public final class CellDiagram {
  private CellDiagram() {}

  /** All cells as one DOT digraph with one cluster per cell type, in the genotype's cell order. */
  public static String asDot(Genotype genotype) {
    return DotRenderer.render(genotype);
  }

  /**
   * One cell as a DOT digraph of its own.
   *
   * @throws dev.nas.core.genotype.GenotypeException when the genotype has no such cell type
   */
  public static String asDot(Genotype genotype, String cellType) {
    genotype.cell(cellType); // fails naming the cell types present
    return DotRenderer.render(CellGraph.of(genotype, cellType));
  }

  /** All cells as one SVG document, stacked top to bottom in the genotype's cell order under a legend. */
  public static String asSvg(Genotype genotype) {
    return SvgRenderer.render(genotype);
  }

  /** The diagram in the given format. */
  public static String render(Genotype genotype, DiagramFormat format) {
    return switch (format) {
      case SVG -> asSvg(genotype);
      case DOT -> asDot(genotype);
    };
  }

  /**
   * Writes the diagram to {@code out} in the format its extension names (see
   * {@link DiagramFormat#forPath}), atomically: readers see the old file or the whole new one.
   *
   * @throws IllegalArgumentException when the extension is not {@code .svg}, {@code .dot} or {@code .gv};
   *     nothing is written then
   */
  public static void write(Genotype genotype, Path out) throws IOException {
    String text = render(genotype, DiagramFormat.forPath(out));
    AtomicFiles.writeString(out, text);
  }
}
