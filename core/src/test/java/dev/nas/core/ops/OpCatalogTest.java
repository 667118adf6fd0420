package dev.nas.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpCatalogTest {
  @Test
  void everyDartsOpKeepsOrHalvesTheShape() {
    for (String op : SearchSpace.DARTS.ops()) {
      for (int stride : new int[] {1, 2}) {
        GraphBuilder b = new GraphBuilder(FeatureShape.of(8, 16, 16));
        int out = OpCatalog.build(b, op, "e", b.input(), new OpContext(8, List.of(stride, stride), false));
        int side = 16 / stride;
        assertEquals(FeatureShape.of(8, side, side), b.shape(out), op + " stride " + stride);
      }
    }
  }

  @Test
  void skipConnectIsIdentityOrFactorizedReduce() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(8, 16, 16));
    assertEquals(b.input(), OpCatalog.build(b, "skip_connect", "s", b.input(), new OpContext(8, List.of(1, 1), true)));
    int fr = OpCatalog.build(b, "skip_connect", "r", b.input(), new OpContext(8, List.of(2, 2), true));
    assertTrue(b.build(fr).nodes().stream().anyMatch(n -> n.layer() instanceof Layer.Shift));
  }

  @Test
  void sepConvIsTwoDepthwisePointwisePairs() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(4, 8, 8));
    int out = OpCatalog.build(b, "sep_conv_5x5", "e", b.input(), new OpContext(4, List.of(1, 1), true));
    List<String> kinds = b.build(out).nodes().stream().skip(1).map(n -> n.layer().kind()).toList();
    assertEquals(List.of("relu", "dwconv", "conv", "bn", "relu", "dwconv", "conv", "bn"), kinds);
  }

  @Test
  void unknownOpAndBadShapesFail() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(4, 8, 8));
    assertThrows(IllegalArgumentException.class,
        () -> OpCatalog.build(b, "conv_9x9", "x", 0, new OpContext(4, List.of(1, 1), true)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.add("bad", new Layer.BatchNorm(5, true), 0));
    assertTrue(e.getMessage().startsWith("bad:"), e.getMessage());
  }
}
