package dev.nas.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 3-D (video) operations of the catalog and the video search spaces. */
class VideoOpsTest {
  private static final List<List<Integer>> STRIDES = List.of(List.of(1, 1, 1), List.of(1, 2, 2), List.of(2, 2, 2));

  static Set<String> videoOps() {
    Set<String> ops = new LinkedHashSet<>();
    for (String space : List.of("o2d-video", "o3d", "oadv", "pvnas", "pvnas-s")) {
      ops.addAll(SearchSpace.named(space).allOps());
    }
    return ops;
  }

  @Test
  void everyVideoOpKeepsOrReducesTheClipLikeTheStride() {
    for (String op : videoOps()) {
      for (List<Integer> stride : STRIDES) {
        for (FeatureShape in : List.of(FeatureShape.of(4, 4, 8, 8), FeatureShape.of(4, 3, 7, 7))) {
          GraphBuilder b = new GraphBuilder(in);
          int out = OpCatalog.build(b, op, "e", b.input(), new OpContext(4, stride, true));
          FeatureShape expected = FeatureShape.of(4, ceilDiv(in.spatial(0), stride.get(0)),
              ceilDiv(in.spatial(1), stride.get(1)), ceilDiv(in.spatial(2), stride.get(2)));
          assertEquals(expected, b.shape(out), op + " stride " + stride + " on " + in);
        }
      }
    }
  }

  @Test
  void imageOpsArePlanarOnClipsAndUnchangedOnImages() {
    Graph clip = build(FeatureShape.of(4, 4, 8, 8), "dil_conv_5x5", List.of(1, 2, 2));
    Layer.Conv dw = conv(clip, "e.dw");
    assertEquals(List.of(1, 5, 5), dw.kernel());
    assertEquals(List.of(1, 2, 2), dw.dilation());
    assertEquals(List.of(0, 4, 4), dw.padding());
    assertEquals(List.of(1, 2, 2), dw.stride());
    Layer.Pool pool = (Layer.Pool) layer(build(FeatureShape.of(4, 4, 8, 8), "avg_pool_3x3", List.of(2, 2, 2)), "e");
    assertEquals(List.of(1, 3, 3), pool.kernel());
    assertEquals(List.of(0, 1, 1), pool.padding());
    Layer.Conv image = conv(build(FeatureShape.of(4, 8, 8), "dil_conv_5x5", List.of(2, 2)), "e.dw");
    assertEquals(new Layer.Conv(4, 4, List.of(5, 5), List.of(2, 2), List.of(4, 4), List.of(2, 2), 4, false), image);
  }

  @Test
  void separable3dHasParallelSpatialAndTemporalDepthwiseBranchesTwice() {
    Graph g = build(FeatureShape.of(4, 4, 8, 8), "sep3d_conv_3x5x5", List.of(2, 2, 2));
    List<String> kinds = g.nodes().stream().skip(1).map(n -> n.layer().kind()).toList();
    List<String> block = List.of("relu", "dwconv", "dwconv", "add", "conv", "bn");
    assertEquals(java.util.stream.Stream.concat(block.stream(), block.stream()).toList(), kinds);
    assertEquals(List.of(1, 5, 5), conv(g, "e.0.dw_s").kernel());
    assertEquals(List.of(3, 1, 1), conv(g, "e.0.dw_t").kernel());
    assertEquals(List.of(2, 2, 2), conv(g, "e.0.dw_t").stride());
    assertEquals(List.of(1, 1, 1), conv(g, "e.1.dw_s").stride());
    Graph dil = build(FeatureShape.of(4, 4, 8, 8), "dil_sep3d_conv_3x3x3", List.of(1, 1, 1));
    assertEquals(List.of(2, 1, 1), conv(dil, "e.dw_t").dilation());
    assertEquals(List.of(2, 0, 0), conv(dil, "e.dw_t").padding());
    assertEquals(List.of(1, 2, 2), conv(dil, "e.dw_s").dilation());
    assertEquals(6, dil.nodes().size() - 1, "one dilated block");
  }

  @Test
  void pvnasFactorisedConvsSplitTheStride() {
    Graph g = build(FeatureShape.of(4, 4, 8, 8), "conv_3+3x3", List.of(2, 2, 2));
    assertEquals(List.of("relu", "conv", "conv", "bn"), g.nodes().stream().skip(1).map(n -> n.layer().kind()).toList());
    assertEquals(List.of(1, 3, 3), conv(g, "e.conv_s").kernel());
    assertEquals(List.of(1, 2, 2), conv(g, "e.conv_s").stride());
    assertEquals(List.of(3, 1, 1), conv(g, "e.conv_t").kernel());
    assertEquals(List.of(2, 1, 1), conv(g, "e.conv_t").stride());
    assertEquals(List.of(1, 1, 1), conv(build(FeatureShape.of(4, 4, 8, 8), "conv_3+1x1", List.of(1, 1, 1)),
        "e.conv_s").kernel());
  }

  @Test
  void channelScaleAndBiasGateTheInputOrItsReduction() {
    Graph scale = build(FeatureShape.of(4, 4, 8, 8), "chan_scale", List.of(1, 1, 1));
    assertEquals(List.of("gap", "linear", "sigmoid", "mul"),
        scale.nodes().stream().skip(1).map(n -> n.layer().kind()).toList());
    assertEquals(List.of(0, 3), scale.node(scale.output()).inputs(), "the input times the sigmoid gate");
    Graph bias = build(FeatureShape.of(4, 4, 8, 8), "chan_bias", List.of(1, 2, 2));
    assertTrue(bias.nodes().stream().anyMatch(n -> n.name().equals("e.reduce.shift")), "FactorizedReduce first");
    assertEquals("add", bias.node(bias.output()).layer().kind());
    assertEquals(FeatureShape.of(4, 4, 4, 4), bias.node(bias.output()).shape());
  }

  @Test
  void clipOnlyOpsRefuseImages() {
    for (String op : List.of("max_pool_3x3x3", "sep3d_conv_3x3x3", "chan_scale", "conv_3+1x1")) {
      assertTrue(OpCatalog.clipOnly(op), op);
      GraphBuilder b = new GraphBuilder(FeatureShape.of(4, 8, 8));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OpCatalog.build(b, op, "e", b.input(), new OpContext(4, List.of(1, 1), true)));
      assertEquals("operation " + op + " needs clip input N×C×T×H×W; e has 2 spatial axes", e.getMessage());
    }
    assertFalse(OpCatalog.clipOnly("sep_conv_3x3"));
  }

  @Test
  void videoSpacesAreNamedWithTheIssuesOperations() {
    assertEquals(SearchSpace.O2D.ops(), SearchSpace.named("o2d-video").ops());
    assertEquals(List.of("skip_connect", "max_pool_3x3", "max_pool_3x3x3", "sep_conv_3x3", "sep_conv_5x5",
        "dil_conv_3x3", "sep3d_conv_3x3x3", "sep3d_conv_3x5x5", "dil_sep3d_conv_3x3x3"), SearchSpace.named("o3d").ops());
    assertEquals(List.of("skip_connect", "max_pool_3x3", "max_pool_3x3x3", "sep_conv_3x3", "sep_conv_5x5",
        "sep3d_conv_3x3x3", "sep3d_conv_3x5x5", "chan_scale", "chan_bias"), SearchSpace.named("OADV").ops());
    List<String> os = List.of("none", "skip_connect", "avg_pool_3x3", "max_pool_3x3", "sep_conv_3x3", "dil_conv_3x3");
    List<String> ot = new java.util.ArrayList<>(os);
    ot.addAll(List.of("conv_3+3x3", "conv_3+1x1"));
    SearchSpace pvnas = SearchSpace.named("pvnas");
    assertEquals(List.of("s_normal", "s_reduce", "t_normal", "t_reduce"), pvnas.cellTypeNames());
    assertEquals(os, pvnas.ops("s_normal"));
    assertEquals(os, pvnas.ops("s_reduce"));
    assertEquals(ot, pvnas.ops("t_normal"));
    assertEquals(ot, pvnas.ops("t_reduce"));
    assertEquals(List.of(false, true, false, true), pvnas.cellTypes().stream().map(SearchSpace.CellType::reduction)
        .toList());
    IllegalStateException mixed = assertThrows(IllegalStateException.class, pvnas::ops);
    assertEquals("space pvnas has an operation set per cell type; ask for ops(type)", mixed.getMessage());
    SearchSpace spatial = SearchSpace.named("pvnas-s");
    assertEquals(pvnas.cellTypeNames(), spatial.cellTypeNames());
    for (String type : spatial.cellTypeNames()) {
      assertEquals(os, spatial.ops(type), type);
    }
    assertEquals(ot, pvnas.allOps());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), java.util.Arrays.stream(pvnas.keepableOps("t_normal")).boxed().toList());
    assertEquals("video-pvnas", pvnas.macro());
    assertEquals("video-sdas", SearchSpace.named("o3d").macro());
    assertEquals("cifar", SearchSpace.DARTS.macro());
    for (String name : List.of("o2d-video", "o3d", "oadv", "o3d-shared", "pvnas", "pvnas-s")) {
      SearchSpace s = SearchSpace.named(name);
      assertTrue(s.video(), name);
      assertEquals(3, s.spatialRank());
      assertEquals(14, s.edgesPerCell());
    }
    assertFalse(SearchSpace.DARTS.video());
    assertFalse(SearchSpace.O2D.video());
    assertEquals(List.of("darts", "o2d", "o2d-video", "o3d", "oadv", "o2d-video-shared", "o3d-shared", "oadv-shared",
        "pvnas", "pvnas-s", "nb201"), SearchSpace.names());
    // SDAS Section 4: normal, ST-reduction and S-reduction cells; the -shared variants one reduce for both
    for (String name : List.of("o2d-video", "o3d", "oadv")) {
      assertEquals(List.of("normal", "st_reduce", "s_reduce"), SearchSpace.named(name).cellTypeNames(), name);
      SearchSpace shared = SearchSpace.named(name + "-shared");
      assertEquals(List.of("normal", "reduce"), shared.cellTypeNames(), name);
      assertEquals(SearchSpace.named(name).ops(), shared.ops(), name);
    }
  }

  @Test
  void spacesRejectUnknownAndMisplacedOperations() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> SearchSpace.uniform("v",
        List.of("skip_connect", "sep3d_conv_5x5x5"), List.of("normal", "reduce"), 3));
    assertTrue(unknown.getMessage().startsWith("space v names unknown operation 'sep3d_conv_5x5x5' (known: [none,"),
        unknown.getMessage());
    IllegalArgumentException image = assertThrows(IllegalArgumentException.class, () -> SearchSpace.uniform("i",
        List.of("skip_connect", "chan_scale"), List.of("normal", "reduce"), 2));
    assertEquals("space i is for images but operation chan_scale needs clip input N×C×T×H×W", image.getMessage());
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> SearchSpace.uniform("r",
        List.of("skip_connect"), List.of("normal", "reduce"), 4));
    assertEquals("space r has spatial rank 4; 2 (images) or 3 (clips) expected", rank.getMessage());
  }

  private static Graph build(FeatureShape in, String op, List<Integer> stride) {
    GraphBuilder b = new GraphBuilder(in);
    return b.build(OpCatalog.build(b, op, "e", b.input(), new OpContext(in.channels(), stride, true)));
  }

  private static Layer layer(Graph g, String name) {
    return g.nodes().stream().filter(n -> n.name().equals(name)).map(Node::layer).findFirst().orElseThrow();
  }

  private static Layer.Conv conv(Graph g, String name) {
    return (Layer.Conv) layer(g, name);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
