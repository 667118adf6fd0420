package dev.nas.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.Genotypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellLayoutTest {
  private static List<CellLayout> layoutsOf(Genotype g) {
    return g.cells().entrySet().stream().map(e -> CellLayout.of(CellGraph.of(e.getKey(), e.getValue()))).toList();
  }

  @Test
  void builtInCellsHaveNoOverlappingLabelsOrNodes() {
    for (String name : Genotypes.names()) {
      for (CellLayout layout : layoutsOf(Genotypes.named(name))) {
        String where = name + " " + layout.graph().type();
        List<CellLayout.Label> labels = layout.labels();
        for (int i = 0; i < labels.size(); i++) {
          for (int j = i + 1; j < labels.size(); j++) {
            assertEquals(0, labels.get(i).box().overlap(labels.get(j).box()), where + " labels " + i + ", " + j);
          }
          for (CellLayout.NodeBox b : layout.boxes()) {
            assertEquals(0, labels.get(i).box().overlap(b.rect()), where + " label " + i + " on " + b.name());
          }
        }
        List<CellLayout.NodeBox> boxes = layout.boxes();
        for (int i = 0; i < boxes.size(); i++) {
          for (int j = i + 1; j < boxes.size(); j++) {
            assertEquals(0, boxes.get(i).rect().overlap(boxes.get(j).rect()), where + " boxes " + i + ", " + j);
          }
        }
      }
    }
  }

  @Test
  void columnsFollowDepthAndEdgesRunLeftToRightIntoTheirTargets() {
    for (CellLayout layout : layoutsOf(CellDiagramTest.unusual())) {
      List<CellLayout.NodeBox> boxes = layout.boxes();
      int[] depth = layout.graph().depths();
      for (CellLayout.Wire w : layout.wires()) {
        Rect from = boxes.get(w.from()).rect();
        Rect to = boxes.get(w.to()).rect();
        assertTrue(depth[w.to()] > depth[w.from()]);
        assertTrue(from.right() < to.x(), "edge " + w.from() + "->" + w.to() + " runs right");
        assertEquals(to.x(), w.tip().x(), 1e-9);
        assertTrue(w.tip().y() > to.y() && w.tip().y() < to.bottom(), "arrow ends on the target's side");
        assertEquals(from.right(), w.curve().start().x(), 1e-9);
      }
      CellLayout.NodeBox output = boxes.get(layout.graph().outputState());
      assertEquals(NodeKind.OUTPUT, output.kind());
      for (CellLayout.NodeBox b : boxes) {
        assertTrue(b == output || b.rect().right() < output.rect().x(), "output is rightmost");
      }
    }
  }

  @Test
  void detoursAvoidTheNodesOfSkippedColumns() {
    for (CellLayout layout : layoutsOf(CellDiagramTest.unusual())) {
      for (CellLayout.Wire w : layout.wires()) {
        for (CellLayout.NodeBox b : layout.boxes()) {
          if (b.state() != w.from() && b.state() != w.to()) {
            assertFalse(w.curve().crosses(b.rect()),
                layout.graph().type() + " edge " + w.from() + "->" + w.to() + " runs through " + b.name());
          }
        }
      }
    }
  }

  @Test
  void depthsPutEachNodeRightOfItsInputs() {
    CellGraph g = CellGraph.of("normal", Genotypes.named("DARTS_V2").cell("normal"));
    // Nodes 0..2 read only the inputs; node 3 reads node 0.
    assertEquals(List.of(0, 0, 1, 1, 1, 2, 3), Arrays.stream(g.depths()).boxed().toList());
    assertEquals("c_{k-2}", g.stateName(0));
    assertEquals("c_{k-1}", g.stateName(1));
    assertEquals("3", g.stateName(5));
    assertEquals("c_{k}", g.stateName(6));
  }

  @Test
  void opsAreColouredByFamilyWhateverTheSpace() {
    assertEquals(OpFamily.CONV, OpFamily.of("sep_conv_1x3x3"));
    assertEquals(OpFamily.CONV, OpFamily.of("dil_conv_5x5"));
    assertEquals(OpFamily.POOL, OpFamily.of("max_pool_1x3x3"));
    assertEquals(OpFamily.POOL, OpFamily.of("AVG_POOL_3x3"));
    assertEquals(OpFamily.SKIP, OpFamily.of("skip_connect"));
    assertEquals(OpFamily.SKIP, OpFamily.of("identity"));
    assertEquals(OpFamily.OTHER, OpFamily.of("none"));
    assertEquals(OpFamily.OTHER, OpFamily.of("nonlocal_block"));
  }

  @Test
  void escapingKeepsTextAndNumbersWellFormed() {
    assertEquals("a&lt;b&gt;&amp;&quot;&apos;\uFFFD\uFFFD\uD83D\uDE00", SvgWriter.escape("a<b>&\"'\u0000\uD800\uD83D\uDE00"));
    assertEquals("12", SvgWriter.num(12.04));
    assertEquals("-3.5", SvgWriter.num(-3.49));
    assertEquals("0", SvgWriter.num(-0.01));
    assertEquals("\"a\\\"b\\\\c\uFFFD\"", DotRenderer.quote("a\"b\\c\n"));
    assertThrows(IllegalStateException.class, () -> SvgWriter.num(Double.NaN));
  }

  @Test
  void anOutputFedByManyStatesGrowsSoItsArrowsStayApart() {
    List<List<GenotypeEdge>> nodes = new ArrayList<>();
    List<Integer> concat = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      nodes.add(List.of(new GenotypeEdge("sep_conv_3x3", i % 2), new GenotypeEdge("skip_connect", i + 1)));
      concat.add(2 + i);
    }
    CellLayout layout = CellLayout.of(CellGraph.of("wide", new CellGenotype(nodes, concat)));
    CellLayout.NodeBox output = layout.boxes().get(layout.graph().outputState());
    assertTrue(output.rect().height() > CellLayout.NODE_HEIGHT, "output height " + output.rect().height());
    List<Double> tips = layout.wires().stream().filter(w -> w.op() == null).map(w -> w.tip().y()).sorted().toList();
    assertEquals(8, tips.size());
    for (int i = 1; i < tips.size(); i++) {
      assertTrue(tips.get(i) - tips.get(i - 1) >= 6 - 1e-9, "arrows into the output at " + tips);
    }
  }
}
