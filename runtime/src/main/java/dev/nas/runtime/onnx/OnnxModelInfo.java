package dev.nas.runtime.onnx;

import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.proto.GraphProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.OperatorSetIdProto;
import dev.nas.export.onnx.proto.StringStringEntryProto;
import dev.nas.export.onnx.proto.TensorProto;
import dev.nas.export.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an ONNX file declares about itself: interface, operator sets, producer and metadata.
 *
 * @param irVersion ONNX IR version
 * @param producer producer name and version, e.g. {@code nas 0.1.0}
 * @param opsets operator set version by domain ({@code ""} is the default ONNX domain)
 * @param inputs graph inputs that the caller feeds (initializers listed as inputs are left out)
 * @param outputs graph outputs
 * @param metadata {@code metadata_props}, in file order
 */
public record OnnxModelInfo(long irVersion, String producer, Map<String, Long> opsets, List<OnnxTensorInfo> inputs,
    List<OnnxTensorInfo> outputs, Map<String, String> metadata) {
  public OnnxModelInfo {
    opsets = Map.copyOf(opsets);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Reads the file's declarations; see {@link OnnxFiles#read} for the errors. */
  public static OnnxModelInfo read(Path file) throws IOException {
    return of(OnnxFiles.read(file));
  }

  public static OnnxModelInfo of(ModelProto model) {
    Map<String, Long> opsets = new LinkedHashMap<>();
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      opsets.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(), o.getVersion());
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      metadata.put(e.getKey(), e.getValue());
    }
    GraphProto g = model.getGraph();
    String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
    return new OnnxModelInfo(model.getIrVersion(), producer, opsets,
        fedInputs(g).stream().map(OnnxTensorInfo::of).toList(),
        g.getOutputList().stream().map(OnnxTensorInfo::of).toList(), metadata);
  }

  /** Version of the default ONNX operator set, or -1 when the model imports none. */
  public long opset() {
    return opsets.getOrDefault("", -1L);
  }

  /** The single input a CNN takes; fails naming the inputs when there are several or none. */
  public OnnxTensorInfo input() {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("the model has " + inputs.size() + " inputs ("
          + inputs.stream().map(OnnxTensorInfo::name).collect(Collectors.joining(", "))
          + "); only single-input models are supported");
    }
    return inputs.get(0);
  }

  /** Graph inputs without those that are initializers (models before IR 4 list weights as inputs). */
  static List<ValueInfoProto> fedInputs(GraphProto g) {
    Set<String> initializers = g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
    return g.getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
  }
}
