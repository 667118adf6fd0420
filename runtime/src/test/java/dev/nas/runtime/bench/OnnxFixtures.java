package dev.nas.runtime.bench;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Test fixture: hand-encoded ONNX models of a single operator, so runtime tests need neither the
 * exporter nor model files in the repository. Only the handful of ONNX protobuf fields those
 * models use are written; the field numbers are those of onnx.proto (ModelProto, GraphProto,
 * NodeProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
 */
final class OnnxFixtures {
  /** TensorProto.DataType values. */
  static final int FLOAT = 1;
  static final int INT64 = 7;

  /** A dynamic dimension, written as the symbolic {@code dim_param} "N". */
  static final long DYNAMIC = -1;

  private OnnxFixtures() {}

  /** A graph input or output: name, element type, dimensions ({@link #DYNAMIC} for symbolic). */
  record Value(String name, int elemType, long... dims) {}

  /** {@code y = Relu(x)} with {@code x} of shape [N, 4]. */
  static byte[] relu() {
    return singleOp("Relu", List.of(new Value("x", FLOAT, DYNAMIC, 4)), new Value("y", FLOAT, DYNAMIC, 4));
  }

  /** A model whose graph is one {@code opType} node from {@code inputs} to {@code output}, opset 13. */
  static byte[] singleOp(String opType, List<Value> inputs, Value output) {
    return message(model -> {
      model.writeInt64(1, 8); // ir_version
      model.writeString(2, "nas-test-fixture"); // producer_name
      model.writeByteArray(7, message(graph -> { // graph
        graph.writeByteArray(1, message(node -> { // node
          for (Value in : inputs) {
            node.writeString(1, in.name()); // input
          }
          node.writeString(2, output.name()); // output
          node.writeString(3, opType.toLowerCase()); // name
          node.writeString(4, opType); // op_type
        }));
        graph.writeString(2, "fixture"); // name
        for (Value in : inputs) {
          graph.writeByteArray(11, valueInfo(in)); // input
        }
        graph.writeByteArray(12, valueInfo(output)); // output
      }));
      model.writeByteArray(8, message(opset -> { // opset_import
        opset.writeString(1, ""); // domain: the default ONNX operator set
        opset.writeInt64(2, 13); // version
      }));
    });
  }

  private static byte[] valueInfo(Value v) {
    return message(info -> {
      info.writeString(1, v.name()); // name
      info.writeByteArray(2, message(type -> // type: TypeProto
          type.writeByteArray(1, message(tensor -> { // tensor_type
            tensor.writeInt32(1, v.elemType()); // elem_type
            tensor.writeByteArray(2, message(shape -> { // shape: TensorShapeProto
              for (long d : v.dims()) {
                shape.writeByteArray(1, message(dim -> { // dim
                  if (d == DYNAMIC) {
                    dim.writeString(2, "N"); // dim_param
                  } else {
                    dim.writeInt64(1, d); // dim_value
                  }
                }));
              }
            }));
          }))));
    });
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
