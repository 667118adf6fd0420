package dev.nas.core.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ScatterPlotTest {
  @Test
  void oneMarkerPerPointALegendEntryPerSeriesAndTicks() throws Exception {
    List<ScatterPlot.Series> series = List.of(
        new ScatterPlot.Series("random", List.of(new double[] {1.2, 40}, new double[] {1.9, 45})),
        new ScatterPlot.Series("darts <&>", List.of(new double[] {1.5, 52}, new double[] {1.6, 50},
            new double[] {1.4, 55})),
        new ScatterPlot.Series("resnet", List.<double[]>of(new double[] {1.8, 48})));
    String svg = ScatterPlot.svg("accuracy vs MACs", "MACs (M)", "test top-1 (%)", series);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    int markers = 0;
    var groups = doc.getElementsByTagName("g");
    int legends = 0;
    for (int i = 0; i < groups.getLength(); i++) {
      var g = (org.w3c.dom.Element) groups.item(i);
      int children = g.getElementsByTagName("circle").getLength() + g.getElementsByTagName("rect").getLength()
          + g.getElementsByTagName("polygon").getLength();
      if (g.getAttribute("class").equals("series")) {
        markers += children;
      } else {
        legends++;
      }
    }
    assertEquals(6, markers);
    assertEquals(3, legends);
    assertTrue(svg.contains("darts &lt;&amp;&gt; (3)"));
    assertTrue(svg.contains(">MACs (M)<") && svg.contains(">test top-1 (%)<"));
    assertEquals(svg, ScatterPlot.svg("accuracy vs MACs", "MACs (M)", "test top-1 (%)", series));
  }

  @Test
  void ticksAreNiceAndCoverTheRange() {
    assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10, 12}, ScatterPlot.ticks(0.3, 11.2), 1e-9);
    double[] t = ScatterPlot.ticks(39.1, 56.3);
    assertTrue(t[0] <= 39.1 && t[t.length - 1] >= 56.3 && t.length >= 3 && t.length <= 11);
  }
}
