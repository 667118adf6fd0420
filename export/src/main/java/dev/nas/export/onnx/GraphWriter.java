package dev.nas.export.onnx;

import dev.nas.core.io.Tensor;
import dev.nas.export.onnx.proto.AttributeProto;
import dev.nas.export.onnx.proto.GraphProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.TensorProto;
import dev.nas.export.onnx.proto.TensorShapeProto;
import dev.nas.export.onnx.proto.TypeProto;
import dev.nas.export.onnx.proto.ValueInfoProto;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Accumulates an ONNX graph: nodes, initializers, inputs and outputs. Every value name is claimed
 * once, so two layers can never silently write the same value.
 */
final class GraphWriter {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> names = new HashSet<>();

  GraphWriter(String name) {
    graph.setName(name);
  }

  /** Adds a float initializer (a learned tensor or a constant the graph reads) and returns its name. */
  String initializer(String name, Tensor value) {
    graph.addInitializer(OnnxTensors.floats(claim(name), value));
    return name;
  }

  /** Adds a 1-D int64 initializer (shape-like operator input) and returns its name. */
  String int64Initializer(String name, long... values) {
    graph.addInitializer(OnnxTensors.int64s(claim(name), values));
    return name;
  }

  /**
   * Adds a {@code Constant} node producing {@code value}. Used for fixed operands that are not
   * weights of the network, so that tools counting initializers as parameters do not count them.
   */
  String constant(String name, Tensor value) {
    claim(name);
    graph.addNode(NodeProto.newBuilder()
        .setName(name)
        .setOpType("Constant")
        .addOutput(name)
        .addAttribute(AttributeProto.newBuilder()
            .setName("value")
            .setType(AttributeProto.AttributeType.TENSOR)
            .setT(OnnxTensors.floats(name, value))));
    return name;
  }

  /** Adds a node of the default domain with one output, named {@code output}; returns that name. */
  String node(String opType, String name, List<String> inputs, String output, AttributeProto... attributes) {
    claim(output);
    NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(opType).addAllInput(inputs).addOutput(output);
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return output;
  }

  /** Declares a float graph input; a negative dimension becomes the symbolic {@code dimParam}. */
  void input(String name, long[] dims, String dimParam) {
    graph.addInput(valueInfo(claim(name), dims, dimParam));
  }

  /** Declares a float graph output of an already produced value. */
  void output(String name, long[] dims, String dimParam) {
    graph.addOutput(valueInfo(name, dims, dimParam));
  }

  GraphProto build() {
    return graph.build();
  }

  private String claim(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException("ONNX value name '" + name + "' would be produced twice");
    }
    return name;
  }

  private static ValueInfoProto valueInfo(String name, long[] dims, String dimParam) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam(dimParam)
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE)
            .setShape(shape)))
        .build();
  }

  /** An INT attribute. */
  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** A FLOAT attribute. */
  static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  /** An INTS attribute. */
  static AttributeProto attr(String name, List<Integer> values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    values.forEach(v -> a.addInts(v));
    return a.build();
  }
}
