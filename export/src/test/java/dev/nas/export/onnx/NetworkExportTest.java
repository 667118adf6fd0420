package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.genotype.GenotypeJson;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.io.Json;
import dev.nas.core.io.Tensor;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.StringStringEntryProto;
import dev.nas.export.onnx.proto.TensorShapeProto;
import dev.nas.export.onnx.proto.ValueInfoProto;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Whole derived networks: structure, metadata, and execution in ONNX Runtime. */
class NetworkExportTest {
  @Test
  void twoCellNetworkRunsAtBatchOneAndThree() throws Exception {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    ModelProto model = OnnxExporter.export(spec, g, RandomWeights.of(g, 1));
    for (int batch : new int[] {1, 3}) {
      float[] x = randomInput(batch * 3 * 16 * 16, batch);
      Ort.Output y = Ort.run(model, x, new long[] {batch, 3, 16, 16});
      assertArrayEquals(new long[] {batch, 10}, y.shape());
      for (float v : y.data()) {
        assertTrue(Float.isFinite(v), "non-finite logit " + v);
      }
    }
  }

  @Test
  void threeCellNetworkMatchesTheReferenceSampleBySample() throws Exception {
    // Three cells: a normal cell (separable, dilated, identity edges) and two reduction cells
    // (max pooling, FactorizedReduce with its shift).
    NetworkSpec spec = TestNetworks.tinyDarts(3);
    Graph g = NetworkBuilder.build(spec);
    Map<String, Tensor> weights = RandomWeights.of(g, 2);
    ModelProto model = OnnxExporter.export(spec, g, weights);
    int per = 3 * 16 * 16;
    float[] x = randomInput(3 * per, 7);
    Ort.Output y = Ort.run(model, x, new long[] {3, 3, 16, 16});
    new ReferenceExecutor(g, weights).assertMatchesEverySample(x, y.data(), 10, 1e-4, "DARTS_V2, 3 cells");
  }

  @Test
  void exportHasTheDeclaredInterfaceAndOnlyTheInferencePath() {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    assertTrue(g.hasAuxOutput());
    ModelProto model = OnnxExporter.export(spec, g, RandomWeights.of(g, 3));
    assertEquals(8, model.getIrVersion());
    assertEquals(1, model.getOpsetImportCount());
    assertEquals("", model.getOpsetImport(0).getDomain());
    assertEquals(17, model.getOpsetImport(0).getVersion());
    assertEquals("nas", model.getProducerName());
    assertEquals(OnnxMetadata.producerVersion(), model.getProducerVersion());
    assertFalse(model.getProducerVersion().isBlank());

    assertEquals(1, model.getGraph().getInputCount());
    assertShape(model.getGraph().getInput(0), "input", "N", 3, 16, 16);
    assertEquals(1, model.getGraph().getOutputCount());
    assertShape(model.getGraph().getOutput(0), "logits", "N", 10);

    Set<String> ops = model.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
    assertEquals(Set.of("Sub", "Div", "Conv", "BatchNormalization", "Relu", "MaxPool", "Slice", "Pad", "Concat",
        "Sum", "GlobalAveragePool", "Flatten", "Gemm"), ops);
    for (NodeProto n : model.getGraph().getNodeList()) {
      assertFalse(n.getName().startsWith("aux") || n.getName().contains("drop_path"), n.getName());
    }
    Set<String> initializers = model.getGraph().getInitializerList().stream().map(t -> t.getName())
        .collect(Collectors.toSet());
    assertTrue(initializers.stream().noneMatch(n -> n.startsWith("aux")));
    // Every inference tensor is there under its checkpoint name.
    g.inferenceParams().forEach(p -> assertTrue(initializers.contains(p.name()), p.name()));
  }

  @Test
  void metadataDescribesTheNetwork() throws Exception {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    ModelProto model = OnnxExporter.export(spec, g, RandomWeights.of(g, 4), Map.of("trained_epochs", "600"));
    Map<String, String> meta = model.getMetadataPropsList().stream()
        .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    assertEquals(spec.genotype(), GenotypeJson.read(meta.get(OnnxMetadata.GENOTYPE)));
    assertEquals(spec.classNames(), List.of(Json.MAPPER.readValue(meta.get(OnnxMetadata.CLASS_NAMES), String[].class)));
    assertEquals(spec.toJson(), meta.get(OnnxMetadata.NETWORK));
    assertEquals(spec, NetworkSpec.fromTree(Json.MAPPER.readTree(meta.get(OnnxMetadata.NETWORK))));
    assertEquals("[0.4914,0.4822,0.4465]", meta.get(OnnxMetadata.MEAN));
    assertEquals("[0.247,0.2435,0.2616]", meta.get(OnnxMetadata.STD));
    assertEquals("RGB", meta.get(OnnxMetadata.CHANNEL_ORDER));
    assertTrue(meta.get(OnnxMetadata.PREPROCESSING).contains("(x - mean) / std"));
    assertEquals("cifar", Json.MAPPER.readTree(meta.get(OnnxMetadata.MACRO)).get("kind").asText());
    assertEquals("3x16x16", meta.get(OnnxMetadata.INPUT_SHAPE));
    assertEquals(model.getProducerVersion(), meta.get(OnnxMetadata.PRODUCER_VERSION));
    assertEquals("600", meta.get("trained_epochs"));
    assertEquals(meta.size(), model.getMetadataPropsCount(), "keys are distinct");
  }

  @Test
  void officialCheckerAcceptsTheNetwork() {
    OnnxChecker.assumeAvailable();
    NetworkSpec spec = TestNetworks.tinyDarts(3);
    Graph g = NetworkBuilder.build(spec);
    OnnxChecker.check(OnnxExporter.export(spec, g, RandomWeights.of(g, 5)));
  }

  @Test
  void clipNetworksExportInFiveDimensions() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 4, 6, 6));
    List<Integer> k3 = List.of(3, 3, 3);
    List<Integer> one = List.of(1, 1, 1);
    int n = b.add("normalize", new Layer.Normalize(List.of(0.5f, 0.5f, 0.5f),
        List.of(0.2f, 0.2f, 0.2f)), b.input());
    int c = b.add("conv", new Layer.Conv(3, 4, k3, List.of(1, 2, 2), one, one, 1, false), n);
    int bn = b.add("bn", new Layer.BatchNorm(4, true), c);
    int s = b.add("shift", new Layer.Shift(), bn);
    int p = b.add("pool", new Layer.Pool(Layer.Pool.Kind.AVG, k3, one, one), s);
    int gap = b.add("gap", new Layer.GlobalAvgPool(), p);
    Graph g = b.build(b.add("fc", new Layer.Linear(4, 5, true), gap));
    ModelProto model = OnnxExporter.export(g, RandomWeights.of(g, 6), Map.of());
    assertShape(model.getGraph().getInput(0), "input", "N", 3, 4, 6, 6);
    if (OnnxChecker.available()) {
      OnnxChecker.check(model);
    }
    Ort.Output y = Ort.run(model, randomInput(2 * 3 * 4 * 6 * 6, 8), new long[] {2, 3, 4, 6, 6});
    assertArrayEquals(new long[] {2, 5}, y.shape());
    for (float v : y.data()) {
      assertTrue(Float.isFinite(v));
    }
  }

  private static void assertShape(ValueInfoProto v, String name, String batch, long... dims) {
    assertEquals(name, v.getName());
    List<TensorShapeProto.Dimension> d = v.getType().getTensorType().getShape().getDimList();
    assertEquals(dims.length + 1, d.size());
    assertEquals(batch, d.get(0).getDimParam());
    for (int i = 0; i < dims.length; i++) {
      assertEquals(dims[i], d.get(i + 1).getDimValue());
    }
  }

  private static float[] randomInput(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextDouble();
    }
    return x;
  }
}
