package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A network with dropout before its classifier exports and counts exactly as the one without. */
class DropoutExportTest {
  @Test
  void dropoutLeavesTheExportedGraphAndTheCountsAlone() {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 5, FeatureShape.of(3, 8, 8), false);
    Graph plain = NetworkBuilder.build(Genotypes.resolve("DARTS_V2"), m, Preprocessing.identity(3));
    Graph dropped = NetworkBuilder.build(Genotypes.resolve("DARTS_V2"), m.withDropout(0.4), Preprocessing.identity(3));
    Map<String, dev.nas.core.io.Tensor> w = RandomWeights.of(plain, 1);
    ModelProto a = OnnxExporter.export(plain, w, Map.of());
    ModelProto b = OnnxExporter.export(dropped, w, Map.of());
    List<String> opsA = a.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    List<String> opsB = b.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    assertEquals(opsA, opsB, "no Dropout node: identity at inference");
    assertEquals(CostCounter.count(plain, "plain").macs(), CostCounter.count(dropped, "dropped").macs());
    assertEquals(CostCounter.count(plain, "plain").params(), CostCounter.count(dropped, "dropped").params());
    assertEquals(CostCounter.count(plain, "plain").otherOps(), CostCounter.count(dropped, "dropped").otherOps());
  }
}
