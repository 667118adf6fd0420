package dev.nas.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.Genotypes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class CellDiagramTest {
  private static final Genotype DARTS_V2 = Genotypes.named("DARTS_V2");

  /** Five nodes, a node with three inputs, video-style op names and names that need escaping. */
  static Genotype unusual() {
    List<List<GenotypeEdge>> nodes = List.of(
        List.of(new GenotypeEdge("sep_conv_1x3x3", 0), new GenotypeEdge("temporal<pool> & \"avg\"", 1)),
        List.of(new GenotypeEdge("skip_connect", 2), new GenotypeEdge("max_pool_1x3x3", 0)),
        List.of(new GenotypeEdge("dil_conv_3x1x1", 3), new GenotypeEdge("zero's\\op", 1)),
        List.of(new GenotypeEdge("sep_conv_3x3x3", 4), new GenotypeEdge("identity", 0)),
        List.of(new GenotypeEdge("avg_pool_3x3x3", 5), new GenotypeEdge("conv_1x1", 1),
            new GenotypeEdge("non_local\u0001block", 2)));
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    cells.put("s_normal", new CellGenotype(nodes, List.of(3, 5, 6)));
    cells.put("t_reduce", DARTS_V2.cell("reduce"));
    return new Genotype("video", cells);
  }

  @Test
  void svgLabelsEveryEdgeOfDartsV2AndTitlesEveryCell() throws Exception {
    Document doc = parse(CellDiagram.asSvg(DARTS_V2));
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());

    List<String> expectedLabels = new ArrayList<>();
    DARTS_V2.cells().values().forEach(c -> c.flatEdges().forEach(e -> expectedLabels.add(e.op())));
    assertEquals(16, expectedLabels.size());
    assertEquals(sorted(expectedLabels), sorted(texts(doc, "op-label")));
    for (String op : List.of("sep_conv_3x3", "skip_connect", "dil_conv_3x3", "max_pool_3x3")) {
      assertTrue(texts(doc, "op-label").contains(op), op);
    }
    assertEquals(List.of("normal cell", "reduce cell"), texts(doc, "cell-title"));
    assertAllCoordinatesFinite(doc);
  }

  @Test
  void svgDrawsEveryEdgeAndNodeOfEachCell() throws Exception {
    Document doc = parse(CellDiagram.asSvg(DARTS_V2));
    List<Element> cells = elementsWithClass(doc, "cell");
    assertEquals(2, cells.size());
    for (Element cell : cells) {
      CellGenotype genotype = DARTS_V2.cell(cell.getAttribute("data-cell-type"));
      List<String> drawn = new ArrayList<>();
      List<String> toOutput = new ArrayList<>();
      int nodes = 0;
      for (Element g : descendants(cell, "g")) {
        String cls = g.getAttribute("class");
        if (cls.equals("edge")) {
          drawn.add(g.getAttribute("data-from") + "->" + g.getAttribute("data-to"));
        } else if (cls.equals("edge output-edge")) {
          toOutput.add(g.getAttribute("data-from"));
        } else if (cls.startsWith("node ")) {
          nodes++;
        }
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < genotype.nodes().size(); i++) {
        for (GenotypeEdge e : genotype.nodes().get(i)) {
          expected.add(e.input() + "->" + (2 + i));
        }
      }
      assertEquals(expected, drawn);
      assertEquals(genotype.concat().stream().map(String::valueOf).toList(), toOutput);
      assertEquals(2 + genotype.nodes().size() + 1, nodes);
    }
  }

  @Test
  void nasBench201CellsHaveOneInputAndTheirLastNodeAsOutput() throws Exception {
    Genotype g = dev.nas.core.genotype.Genotypes.parse(
        "|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2|");
    String dot = CellDiagram.asDot(g, "cell");
    assertTrue(dot.contains("in0 [label=\"c_{k-1}\""), dot);
    assertFalse(dot.contains("in1"), dot);
    assertTrue(dot.contains("in0 -> n0 [label=\"nor_conv_3x3\""), dot);
    assertTrue(dot.contains("n1 -> n2 [label=\"nor_conv_3x3\""), dot);
    assertTrue(dot.contains("n2 -> out"), dot);
    Document doc = parse(CellDiagram.asSvg(g));
    int nodes = 0;
    for (Element e : descendants(elementsWithClass(doc, "cell").get(0), "g")) {
      nodes += e.getAttribute("class").startsWith("node ") ? 1 : 0;
    }
    assertEquals(1 + 3 + 1, nodes, "one input, three nodes, the output");
  }

  @Test
  void svgIsDeterministic() {
    assertEquals(CellDiagram.asSvg(DARTS_V2), CellDiagram.asSvg(Genotypes.named("darts")));
    assertEquals(CellDiagram.asSvg(unusual()), CellDiagram.asSvg(unusual()));
    assertEquals(CellDiagram.asDot(unusual()), CellDiagram.asDot(unusual()));
  }

  @Test
  void unusualGenotypeRendersWithEscapedNames() throws Exception {
    Genotype g = unusual();
    String svg = CellDiagram.asSvg(g);
    Document doc = parse(svg);
    List<String> labels = texts(doc, "op-label");
    assertEquals(11 + 8, labels.size());
    assertTrue(labels.contains("temporal<pool> & \"avg\""), labels.toString());
    assertTrue(labels.contains("zero's\\op"), labels.toString());
    assertTrue(labels.contains("sep_conv_1x3x3"));
    // XML 1.0 cannot carry U+0001 even escaped; it is replaced, keeping the document well-formed.
    assertTrue(labels.contains("non_local\uFFFDblock"), labels.toString());
    assertEquals(List.of("s_normal cell", "t_reduce cell"), texts(doc, "cell-title"));
    assertAllCoordinatesFinite(doc);

    String dot = CellDiagram.asDot(g);
    assertTrue(dot.contains("c0_n4 [label=\"4\""), dot);
    assertTrue(dot.contains("c0_in1 -> c0_n0 [label=\"temporal<pool> & \\\"avg\\\"\""), dot);
    assertTrue(dot.contains("c0_in1 -> c0_n2 [label=\"zero's\\\\op\""), dot);
    assertTrue(dot.contains("label=\"s_normal cell\""), dot);
  }

  @Test
  void dotHasAClusterPerCellAndEveryEdge() {
    String dot = CellDiagram.asDot(DARTS_V2);
    assertTrue(dot.startsWith("digraph genotype {"), dot);
    assertTrue(dot.contains("subgraph cluster_0 {") && dot.contains("subgraph cluster_1 {"), dot);
    int index = 0;
    for (Map.Entry<String, CellGenotype> cell : DARTS_V2.cells().entrySet()) {
      String p = "c" + index + "_";
      assertTrue(dot.contains("label=\"" + cell.getKey() + " cell\""), cell.getKey());
      assertTrue(dot.contains(p + "in0 [label=\"c_{k-2}\""), dot);
      assertTrue(dot.contains(p + "in1 [label=\"c_{k-1}\""), dot);
      assertTrue(dot.contains(p + "out [label=\"c_{k}\""), dot);
      List<List<GenotypeEdge>> nodes = cell.getValue().nodes();
      for (int i = 0; i < nodes.size(); i++) {
        for (GenotypeEdge e : nodes.get(i)) {
          String from = e.input() < 2 ? "in" + e.input() : "n" + (e.input() - 2);
          String edge = p + from + " -> " + p + "n" + i + " [label=\"" + e.op() + "\"";
          assertTrue(dot.contains(edge), edge + " in\n" + dot);
        }
      }
      for (int s : cell.getValue().concat()) {
        assertTrue(dot.contains(p + "n" + (s - 2) + " -> " + p + "out "), "concat " + s);
      }
      index++;
    }
    assertEquals(dot.chars().filter(c -> c == '{').count(), dot.chars().filter(c -> c == '}').count());
  }

  @Test
  void dotOfOneCellIsAGraphOfItsOwn() {
    String dot = CellDiagram.asDot(DARTS_V2, "reduce");
    assertTrue(dot.startsWith("digraph \"reduce\" {"), dot);
    assertFalse(dot.contains("cluster"), dot);
    assertTrue(dot.contains("in0 -> n0 [label=\"max_pool_3x3\""), dot);
    assertTrue(dot.contains("n3 -> out "), dot);
    assertThrows(IllegalArgumentException.class, () -> CellDiagram.asDot(DARTS_V2, "s_normal"));
  }

  @Test
  void writeChoosesTheFormatByExtensionAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
    CellDiagram.write(DARTS_V2, dir.resolve("cells.svg"));
    CellDiagram.write(DARTS_V2, dir.resolve("cells.dot"));
    CellDiagram.write(DARTS_V2, dir.resolve("cells.gv"));
    CellDiagram.write(DARTS_V2, dir.resolve("nested/CELLS.SVG"));
    assertEquals(CellDiagram.asSvg(DARTS_V2), Files.readString(dir.resolve("cells.svg")));
    assertEquals(CellDiagram.asSvg(DARTS_V2), Files.readString(dir.resolve("nested/CELLS.SVG")));
    assertEquals(CellDiagram.asDot(DARTS_V2), Files.readString(dir.resolve("cells.dot")));
    assertEquals(CellDiagram.asDot(DARTS_V2), Files.readString(dir.resolve("cells.gv")));
    // Overwriting goes through the same temp-and-rename path.
    CellDiagram.write(unusual(), dir.resolve("cells.svg"));
    assertEquals(CellDiagram.asSvg(unusual()), Files.readString(dir.resolve("cells.svg")));
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(List.of("CELLS.SVG", "cells.dot", "cells.gv", "cells.svg"),
          files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void writeRejectsUnknownExtensionsWithoutWriting(@TempDir Path dir) throws Exception {
    for (String name : List.of("cells.png", "cells", "cells.svg.txt")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CellDiagram.write(DARTS_V2, dir.resolve(name)));
      assertTrue(e.getMessage().contains(name) && e.getMessage().contains(".svg")
          && e.getMessage().contains(".dot") && e.getMessage().contains(".gv"), e.getMessage());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
    assertEquals(DiagramFormat.DOT, DiagramFormat.forPath(Path.of("a.GV")));
    assertEquals(DiagramFormat.SVG, DiagramFormat.forPath(Path.of("dir.dot/a.svg")));
  }

  @Test
  void cellsThatAreNotDagsAreRejectedClearly() {
    Genotype forward = new Genotype("x", Map.of("normal",
        new CellGenotype(List.of(List.of(new GenotypeEdge("sep_conv_3x3", 2))), List.of(2))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellDiagram.asSvg(forward));
    assertTrue(e.getMessage().contains("normal cell node 0") && e.getMessage().contains("reads state 2"),
        e.getMessage());
    Genotype badConcat = new Genotype("x", Map.of("normal",
        new CellGenotype(List.of(List.of(new GenotypeEdge("sep_conv_3x3", 1))), List.of(7))));
    e = assertThrows(IllegalArgumentException.class, () -> CellDiagram.asDot(badConcat));
    assertTrue(e.getMessage().contains("concatenates state 7"), e.getMessage());
  }

  @Test
  void degenerateCellsStillRender() throws Exception {
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    cells.put("empty", new CellGenotype(List.of(), List.of(0, 1)));
    cells.put("single", new CellGenotype(List.of(List.of(new GenotypeEdge("conv_1x1", 1))), List.of(2)));
    cells.put("no_output", new CellGenotype(List.of(List.of()), List.of()));
    Genotype g = new Genotype("x", cells);
    Document doc = parse(CellDiagram.asSvg(g));
    assertEquals(List.of("conv_1x1"), texts(doc, "op-label"));
    assertEquals(3, texts(doc, "cell-title").size());
    assertAllCoordinatesFinite(doc);
    assertTrue(CellDiagram.asDot(g).contains("c0_in1 -> c0_out "));
  }

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document doc, String cls) {
    return elementsWithClass(doc, cls).stream().map(Node::getTextContent).toList();
  }

  private static List<Element> elementsWithClass(Document doc, String cls) {
    return descendants(doc.getDocumentElement(), "*").stream()
        .filter(e -> e.getAttribute("class").equals(cls)).toList();
  }

  private static List<Element> descendants(Element root, String tag) {
    NodeList list = root.getElementsByTagNameNS("*", tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  /** Every number in every geometric attribute parses and is finite. */
  private static void assertAllCoordinatesFinite(Document doc) {
    List<String> geometric = List.of("x", "y", "width", "height", "x1", "y1", "x2", "y2", "rx", "dy",
        "font-size", "points", "d", "transform", "viewBox");
    int checked = 0;
    for (Element e : descendants(doc.getDocumentElement(), "*")) {
      NamedNodeMap attributes = e.getAttributes();
      for (int i = 0; i < attributes.getLength(); i++) {
        Node a = attributes.item(i);
        if (!geometric.contains(a.getNodeName())) {
          continue;
        }
        for (String token : a.getNodeValue().split("[\\s,()MCLZa-zA-Z]+")) {
          if (!token.isEmpty()) {
            double v = Double.parseDouble(token);
            assertTrue(Double.isFinite(v), a.getNodeName() + "=" + a.getNodeValue());
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 100, "checked " + checked + " numbers");
    assertFalse(doc.getDocumentElement().toString().contains("NaN"));
  }

  private static List<String> sorted(List<String> list) {
    return list.stream().sorted().toList();
  }
}
