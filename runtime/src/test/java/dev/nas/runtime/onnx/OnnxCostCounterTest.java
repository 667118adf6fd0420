package dev.nas.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.RandomWeights;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting exported files must give exactly what the graph counter gives on the source graph. */
class OnnxCostCounterTest {
  @TempDir
  Path dir;

  @Test
  void dartsV2CifarAgreesWithTheGraphCount() throws Exception {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"), MacroConfig.cifarDefault());
    CostReport onnx = OnnxCostCounter.count(export(spec));
    CostReport graph = CostCounter.count(NetworkBuilder.build(spec), "DARTS_V2");
    assertEquals(3_349_342, onnx.params());
    assertSameCost(graph, onnx);
    assertEquals("3x32x32", onnx.input());
  }

  @Test
  void dartsV2ImagenetAgreesWithTheGraphCount() throws Exception {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"), MacroConfig.imagenetDefault());
    CostReport onnx = OnnxCostCounter.count(export(spec));
    assertEquals(4_718_752, onnx.params());
    assertEquals(529_911_552L, onnx.macs());
    assertSameCost(CostCounter.count(NetworkBuilder.build(spec), "DARTS_V2"), onnx);
  }

  @Test
  void otherInputSizesAgreeWithTheGraphBuiltForThem() throws Exception {
    MacroConfig m = MacroConfig.imagenetDefault();
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("PC_DARTS"), new MacroConfig(m.kind(), 16, 8, 100,
        m.input(), true));
    Path file = export(spec);
    FeatureShape smaller = FeatureShape.of(3, 160, 128);
    MacroConfig at160 = new MacroConfig(m.kind(), 16, 8, 100, smaller, true);
    CostReport onnx = OnnxCostCounter.count(file, smaller);
    assertSameCost(CostCounter.count(NetworkBuilder.build(spec.withMacro(at160)), "x"), onnx);
    assertEquals("3x160x128", onnx.input());
  }

  @Test
  void layerShapesAreReportedPerSample() throws Exception {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"),
        new MacroConfig(MacroConfig.Kind.CIFAR, 4, 2, 10, FeatureShape.of(3, 16, 16), false));
    CostReport onnx = OnnxCostCounter.count(export(spec));
    // ONNX node names are the graph's node names, so per-layer reports read alike.
    assertEquals("12x16x16", onnx.layers().stream().filter(l -> l.name().equals("stem.conv")).findFirst()
        .orElseThrow().outputShape());
    assertEquals(List.of("classifier"), onnx.layers().stream().filter(l -> l.kind().equals("linear"))
        .map(l -> l.name()).toList());
    assertEquals("10", onnx.layers().get(onnx.layers().size() - 1).outputShape());
  }

  private Path export(NetworkSpec spec) throws Exception {
    Graph g = NetworkBuilder.build(spec);
    Path file = dir.resolve("model.onnx");
    OnnxFiles.write(file, OnnxExporter.export(spec, g, RandomWeights.of(g, 1)));
    return file;
  }

  private static void assertSameCost(CostReport graph, CostReport onnx) {
    assertEquals(graph.params(), onnx.params(), "params");
    assertEquals(graph.macs(), onnx.macs(), "MACs");
    assertEquals(graph.otherOps(), onnx.otherOps(), "other ops");
    for (String kind : List.of("conv", "dwconv", "linear", "bn")) {
      long[] g = graph.byKind().get(kind);
      long[] o = onnx.byKind().get(kind);
      assertArrayEquals(new long[] {g[0], g[1]}, new long[] {o[0], o[1]}, kind + " params and MACs");
    }
  }
}
