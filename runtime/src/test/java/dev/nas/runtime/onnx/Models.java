package dev.nas.runtime.onnx;

import dev.nas.core.io.Tensor;
import dev.nas.export.onnx.OnnxTensors;
import dev.nas.export.onnx.proto.AttributeProto;
import dev.nas.export.onnx.proto.GraphProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.OperatorSetIdProto;
import dev.nas.export.onnx.proto.TensorProto;
import dev.nas.export.onnx.proto.TensorShapeProto;
import dev.nas.export.onnx.proto.TypeProto;
import dev.nas.export.onnx.proto.ValueInfoProto;
import java.util.Arrays;
import java.util.List;

/** Hand-built ONNX models for exercising operators nas itself never exports. */
final class Models {
  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");

  /** A model whose input {@code x} has the given dims; "N", "H" etc. are symbolic. */
  Models(String input, Object... dims) {
    graph.addInput(value(input, dims));
  }

  Models weight(String name, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    graph.addInitializer(OnnxTensors.floats(name, new Tensor(Arrays.stream(shape).boxed().toList(),
        new float[n])));
    return this;
  }

  Models int64s(String name, long... values) {
    graph.addInitializer(OnnxTensors.int64s(name, values));
    return this;
  }

  Models node(String op, String name, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    return node("", op, name, inputs, outputs, attrs);
  }

  Models node(String domain, String op, String name, List<String> inputs, List<String> outputs,
      AttributeProto... attrs) {
    graph.addNode(NodeProto.newBuilder().setDomain(domain).setOpType(op).setName(name).addAllInput(inputs)
        .addAllOutput(outputs).addAllAttribute(List.of(attrs)));
    return this;
  }

  ModelProto build(String output) {
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
        .setProducerName("test")
        .setGraph(graph.clone().addOutput(value(output)))
        .build();
  }

  /** An INT attribute. */
  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** An INTS attribute. */
  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static ValueInfoProto value(String name, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      shape.addDim(d instanceof String s ? TensorShapeProto.Dimension.newBuilder().setDimParam(s)
          : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
    }
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
    if (dims.length > 0) {
      t.setShape(shape);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
  }
}
