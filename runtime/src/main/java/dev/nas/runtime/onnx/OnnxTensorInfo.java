package dev.nas.runtime.onnx;

import dev.nas.core.graph.FeatureShape;
import dev.nas.export.onnx.OnnxTensors;
import dev.nas.export.onnx.proto.TensorShapeProto;
import dev.nas.export.onnx.proto.TypeProto;
import dev.nas.export.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;

/**
 * A graph input or output as declared in an ONNX file.
 *
 * @param name value name
 * @param elementType ONNX element type, e.g. {@code FLOAT} ({@code UNKNOWN} for non-tensor values)
 * @param dims dimensions, -1 where dynamic
 * @param dimNames dimensions as text: the number, the symbol (e.g. {@code N}) or {@code ?}
 */
public record OnnxTensorInfo(String name, String elementType, List<Long> dims, List<String> dimNames) {
  public OnnxTensorInfo {
    dims = List.copyOf(dims);
    dimNames = List.copyOf(dimNames);
  }

  static OnnxTensorInfo of(ValueInfoProto v) {
    TypeProto type = v.getType();
    if (!type.hasTensorType()) {
      return new OnnxTensorInfo(v.getName(), "UNKNOWN", List.of(), List.of());
    }
    List<Long> dims = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (TensorShapeProto.Dimension d : type.getTensorType().getShape().getDimList()) {
      if (d.hasDimValue() && d.getDimValue() >= 0) {
        dims.add(d.getDimValue());
        names.add(Long.toString(d.getDimValue()));
      } else {
        dims.add(-1L);
        names.add(d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
      }
    }
    return new OnnxTensorInfo(v.getName(), OnnxTensors.dataTypeName(type.getTensorType().getElemType()), dims,
        names);
  }

  /** The shape as text, e.g. {@code Nx3x32x32}. */
  public String shapeText() {
    return String.join("x", dimNames);
  }

  /**
   * The shape of one sample: every dimension after the first (the batch), which must all be
   * static; the default input shape for counting.
   *
   * @throws IllegalArgumentException when a non-batch dimension is dynamic or the rank is below 2
   */
  public FeatureShape sampleShape() {
    if (dims.size() < 2) {
      throw new IllegalArgumentException("input '" + name + "' has shape " + shapeText()
          + "; expected a batch dimension followed by the sample's (e.g. Nx3x224x224)");
    }
    for (int i = 1; i < dims.size(); i++) {
      if (dims.get(i) <= 0) {
        throw new IllegalArgumentException("input '" + name + "' has the dynamic dimension '" + dimNames.get(i)
            + "' (shape " + shapeText() + "); give the input shape explicitly, e.g. 3x224x224");
      }
    }
    List<Integer> spatial = new ArrayList<>();
    for (int i = 2; i < dims.size(); i++) {
      spatial.add(Math.toIntExact(dims.get(i)));
    }
    return new FeatureShape(Math.toIntExact(dims.get(1)), spatial);
  }
}
