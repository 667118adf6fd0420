package dev.nas.export.onnx;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;
import dev.nas.core.io.Tensor;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.OperatorSetIdProto;
import dev.nas.export.onnx.proto.StringStringEntryProto;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a static network and its weights into an ONNX model (IR version 8, opset 17) that ONNX
 * Runtime and other ONNX consumers run as is.
 *
 * <p>Only the inference path is exported: the auxiliary head is left out and drop-path is the
 * identity. The graph input is {@value #INPUT}, float {@code [N, C, H, W]} (or {@code [N, C, T,
 * H, W]}) with the symbolic batch {@value #BATCH}; input normalisation happens inside the graph.
 * The output is {@value #OUTPUT}, {@code [N, classes]}. Weights are keyed by tensor name
 * ({@code node name + "." + tensor}, e.g. {@code cells.0.pre1.conv.weight}); tensors the
 * inference path does not use (the auxiliary head's) are ignored.
 */
public final class OnnxExporter {
  /** ONNX IR version written. */
  public static final long IR_VERSION = 8;
  /** Version of the default ONNX operator set the graph uses. */
  public static final long OPSET = 17;
  /** {@code producer_name} of exported models. */
  public static final String PRODUCER = "nas";
  /** Name of the graph input. */
  public static final String INPUT = "input";
  /** Name of the graph output. */
  public static final String OUTPUT = "logits";
  /** Symbolic name of the batch dimension. */
  public static final String BATCH = "N";

  private OnnxExporter() {}

  /** Exports a network built from {@code spec}, with the metadata of {@link OnnxMetadata#describe}. */
  public static ModelProto export(NetworkSpec spec, Graph graph, Map<String, Tensor> weights) {
    return export(spec, graph, weights, Map.of());
  }

  /**
   * Exports a network built from {@code spec}; {@code extraMetadata} is added to the metadata of
   * {@link OnnxMetadata#describe} (its keys must not repeat those).
   */
  public static ModelProto export(NetworkSpec spec, Graph graph, Map<String, Tensor> weights,
      Map<String, String> extraMetadata) {
    if (!graph.inputShape().equals(spec.macro().input())) {
      throw new IllegalArgumentException("graph input " + graph.inputShape() + " does not match the network's "
          + spec.macro().input());
    }
    FeatureShape out = graph.node(graph.output()).shape();
    if (!out.equals(FeatureShape.of(spec.macro().classes()))) {
      throw new IllegalArgumentException("graph output " + out + " does not match the network's "
          + spec.macro().classes() + " classes");
    }
    Map<String, String> metadata = new LinkedHashMap<>(OnnxMetadata.describe(spec));
    extraMetadata.forEach((k, v) -> {
      if (metadata.putIfAbsent(k, v) != null) {
        throw new IllegalArgumentException("extra metadata key '" + k + "' is already written by nas");
      }
    });
    return export(graph, weights, metadata);
  }

  /**
   * Exports any static graph (no network description needed, e.g. a single layer); {@code metadata}
   * goes to {@code metadata_props} as given.
   *
   * @throws IllegalArgumentException naming the tensor when a weight is missing or misshapen, or
   *     naming the node when the graph has a Zero layer (supernets are not exportable)
   */
  public static ModelProto export(Graph graph, Map<String, Tensor> weights, Map<String, String> metadata) {
    GraphWriter out = new GraphWriter("nas");
    LayerEmitter emitter = new LayerEmitter(out, new Weights(weights));
    Map<Integer, String> values = new HashMap<>();
    Node input = graph.input();
    out.input(INPUT, input.shape().withBatch(-1), BATCH);
    values.put(input.id(), INPUT);
    for (Node n : graph.inferenceNodes()) {
      if (n.layer() instanceof Layer.Input) {
        continue;
      }
      List<String> inputs = n.inputs().stream().map(values::get).toList();
      String name = n.id() == graph.output() ? OUTPUT : n.name();
      values.put(n.id(), emitter.emit(n, graph.inputShapes(n), inputs, name));
    }
    String result = values.get(graph.output());
    if (!result.equals(OUTPUT)) {
      // The output layer was elided (drop-path) or is the input itself: give it its public name.
      out.node("Identity", OUTPUT, List.of(result), OUTPUT);
    }
    out.output(OUTPUT, graph.node(graph.output()).shape().withBatch(-1), BATCH);

    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName(PRODUCER)
        .setProducerVersion(OnnxMetadata.producerVersion())
        .setGraph(out.build());
    metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }
}
