package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inputs the exporter must refuse, each with a message naming what is wrong. */
class ExportErrorsTest {
  @Test
  void missingWeightIsNamed() {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    Map<String, Tensor> weights = new HashMap<>(RandomWeights.of(g, 1));
    weights.remove("cells.1.pre1.conv.weight");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(spec, g, weights));
    assertTrue(e.getMessage().contains("missing weight 'cells.1.pre1.conv.weight'"), e.getMessage());
  }

  @Test
  void misshapenWeightIsNamedWithBothShapes() {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    Map<String, Tensor> weights = new HashMap<>(RandomWeights.of(g, 1));
    weights.put("classifier.weight", new Tensor(List.of(10, 3), new float[30]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(spec, g, weights));
    assertTrue(e.getMessage().contains("'classifier.weight' has shape [10, 3]"), e.getMessage());
    assertTrue(e.getMessage().contains("needs [10, "), e.getMessage());
  }

  @Test
  void auxiliaryHeadWeightsMayBeAbsent() {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    Map<String, Tensor> weights = new HashMap<>(RandomWeights.of(g, 1));
    weights.keySet().removeIf(k -> k.startsWith("aux."));
    assertEquals(10, OnnxExporter.export(spec, g, weights).getGraph().getOutput(0).getType().getTensorType()
        .getShape().getDim(1).getDimValue());
  }

  @Test
  void zeroLayerMeansASupernet() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 4, 4));
    // a strided none: a unit-stride zero is a derived NAS-Bench-201 node whose every edge is none
    int z = b.add("cells.0.edges.3.none", new Layer.Zero(List.of(2, 2)), b.input());
    int s = b.add("sum", new Layer.Sum(), z, b.add("pool", new Layer.Pool(Layer.Pool.Kind.MAX, List.of(2, 2),
        List.of(2, 2), List.of(0, 0)), b.input()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(b.build(s), Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("'cells.0.edges.3.none' is a Zero layer"), e.getMessage());
    assertTrue(e.getMessage().contains("supernets are not exportable"), e.getMessage());
  }

  @Test
  void extraMetadataMayNotOverrideNasKeys() {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(spec, g, RandomWeights.of(g, 1), Map.of(OnnxMetadata.GENOTYPE, "{}")));
    assertTrue(e.getMessage().contains(OnnxMetadata.GENOTYPE), e.getMessage());
  }

  @Test
  void graphMustBeTheSpecsNetwork() {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    MacroConfig m = spec.macro();
    Graph other = NetworkBuilder.build(spec.withMacro(new MacroConfig(m.kind(), m.channels(), m.layers(), m.classes(),
        FeatureShape.of(3, 24, 24), m.auxiliary())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(spec, other, RandomWeights.of(other, 1)));
    assertTrue(e.getMessage().contains("3x24x24"), e.getMessage());
  }
}
