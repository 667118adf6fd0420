package dev.nas.runtime.onnx;

import static dev.nas.core.genotype.TestGenotypes.cycling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.OpCatalog;
import dev.nas.core.ops.OpContext;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.RandomWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a 5-D graph made of every video operation, counting the exported file gives the graph count. */
class VideoCostTest {
  @TempDir
  Path dir;

  @Test
  void everyVideoOperationCountsAlikeInTheGraphAndInOnnx() throws Exception {
    FeatureShape in = FeatureShape.of(4, 4, 8, 8);
    GraphBuilder b = new GraphBuilder(in);
    int x = b.input();
    int i = 0;
    for (String space : List.of("o3d", "oadv", "pvnas")) {
      for (String op : SearchSpace.named(space).allOps()) {
        if (!op.equals(SearchSpace.NONE)) {
          int y = OpCatalog.build(b, op, space + "." + op, x, new OpContext(4, List.of(1, 1, 1), true));
          x = y == x ? x : b.add("sum." + i++, new Layer.Sum(), x, y);
        }
      }
    }
    x = OpCatalog.build(b, "chan_scale", "st_reduce", x, new OpContext(4, List.of(2, 2, 2), true));
    x = OpCatalog.build(b, "sep3d_conv_3x3x3", "s_reduce", x, new OpContext(4, List.of(1, 2, 2), true));
    int gap = b.add("gap", new Layer.GlobalAvgPool(), x);
    Graph g = b.build(b.add("fc", new Layer.Linear(4, 5, true), gap));
    Path file = dir.resolve("video.onnx");
    OnnxFiles.write(file, OnnxExporter.export(g, RandomWeights.of(g, 3), Map.of()));

    CostReport graph = CostCounter.count(g, "graph");
    CostReport onnx = OnnxCostCounter.count(file);
    assertEquals("4x4x8x8", onnx.input());
    assertEquals(graph.params(), onnx.params(), "params");
    assertEquals(graph.macs(), onnx.macs(), "MACs");
    assertEquals(graph.otherOps(), onnx.otherOps(), "other ops");
    for (String kind : List.of("conv", "dwconv", "linear", "bn", "sigmoid", "mul", "maxpool", "avgpool")) {
      long[] gk = graph.byKind().get(kind);
      long[] ok = onnx.byKind().get(kind);
      assertTrue(gk != null && ok != null, kind + " present in both counts");
      assertArrayEquals(new long[] {gk[0], gk[1]}, new long[] {ok[0], ok[1]}, kind + " params and MACs");
    }
    // The sigmoid gate and the channel multiply each cost one op per element they produce.
    assertEquals(4, layer(graph, "oadv.chan_scale.sigmoid").otherOps());
    assertEquals(4 * 4 * 8 * 8, layer(graph, "oadv.chan_scale.mul").otherOps());
    assertEquals(4 * 4 * 8 * 8, layer(onnx, "oadv.chan_scale.mul").otherOps());
    // 1x3x3 depthwise at 4x8x8: 4 channels x 256 positions x 9 taps.
    assertEquals(4L * 256 * 9, layer(graph, "o3d.sep3d_conv_3x3x3.0.dw_s").macs());
    assertEquals(4L * 256 * 3, layer(onnx, "o3d.sep3d_conv_3x3x3.0.dw_t").macs());
  }

  @Test
  void derivedVideoNetworksCountAlikeInTheGraphAndInOnnx() throws Exception {
    for (String space : List.of("o3d", "pvnas")) {
      SearchSpace s = SearchSpace.named(space);
      MacroConfig.Kind kind = MacroConfig.Kind.parse(s.macro());
      MacroConfig m = MacroConfig.video(kind, 8, 1, 4, 10, FeatureShape.of(3, 8, 32, 32), true);
      NetworkSpec spec = NetworkSpec.of(cycling(s), m);
      Graph g = NetworkBuilder.build(spec);
      Path file = dir.resolve(space + ".onnx");
      OnnxFiles.write(file, OnnxExporter.export(spec, g, RandomWeights.of(g, 5)));
      CostReport graph = CostCounter.count(g, "graph");
      CostReport onnx = OnnxCostCounter.count(file);
      assertEquals("3x8x32x32", onnx.input(), space);
      assertTrue(graph.macs() > 0 && graph.params() > 0, space);
      assertEquals(graph.params(), onnx.params(), space + " params");
      assertEquals(graph.macs(), onnx.macs(), space + " MACs");
      assertEquals(graph.otherOps(), onnx.otherOps(), space + " other ops");
    }
  }


  private static dev.nas.core.cost.LayerCost layer(CostReport r, String name) {
    return r.layers().stream().filter(l -> l.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no layer " + name + " in " + r.source()));
  }
}
