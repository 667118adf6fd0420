package dev.nas.runtime.onnx;

import dev.nas.export.onnx.OnnxTensors;
import dev.nas.export.onnx.proto.AttributeProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.TensorProto;
import java.util.Arrays;
import java.util.Map;

/** One ONNX node as an operator rule sees it: attributes, input shapes, constant inputs. */
final class NodeContext {
  private final NodeProto node;
  private final String name;
  private final Map<String, long[]> shapes;
  private final Map<String, TensorProto> constants;

  NodeContext(NodeProto node, String name, Map<String, long[]> shapes, Map<String, TensorProto> constants) {
    this.node = node;
    this.name = name;
    this.shapes = shapes;
    this.constants = constants;
  }

  String op() {
    return node.getOpType();
  }

  /** Number of inputs, omitted optional ones included. */
  int inputCount() {
    return node.getInputCount();
  }

  /** Whether input {@code i} is given (optional inputs may be absent or named ""). */
  boolean has(int i) {
    return i < node.getInputCount() && !node.getInput(i).isEmpty();
  }

  /** Shape of input {@code i} at batch 1. */
  long[] shape(int i) {
    if (!has(i)) {
      throw error("input " + i + " is required");
    }
    long[] s = shapes.get(node.getInput(i));
    if (s == null) {
      throw error("reads '" + node.getInput(i) + "', which no graph input, initializer or earlier node produces");
    }
    return s;
  }

  /** Values of input {@code i}, which must be an integer initializer or Constant output. */
  long[] constantInts(int i) {
    shape(i);
    TensorProto t = constants.get(node.getInput(i));
    if (t == null) {
      throw error("input " + i + " ('" + node.getInput(i) + "') is computed at run time; only constant values "
          + "are supported there");
    }
    try {
      return OnnxTensors.toLongs(t);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  boolean hasAttr(String attr) {
    return find(attr) != null;
  }

  long intAttr(String attr, long fallback) {
    AttributeProto a = find(attr);
    return a == null ? fallback : a.getI();
  }

  String stringAttr(String attr, String fallback) {
    AttributeProto a = find(attr);
    return a == null ? fallback : a.getS().toStringUtf8();
  }

  /** An INTS attribute, or {@code fallback} when absent. */
  long[] intsAttr(String attr, long[] fallback) {
    AttributeProto a = find(attr);
    return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  /** An error that names this node and its operator. */
  IllegalArgumentException error(String message) {
    return new IllegalArgumentException("ONNX node '" + name + "' (" + node.getOpType() + "): " + message);
  }

  /** Input shapes, for messages. */
  String describeInputs() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < node.getInputCount(); i++) {
      long[] s = has(i) ? shapes.get(node.getInput(i)) : null;
      sb.append(i == 0 ? "" : ", ").append(s == null ? "-" : Arrays.toString(s));
    }
    return sb.toString();
  }

  private AttributeProto find(String attr) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(attr)) {
        return a;
      }
    }
    return null;
  }
}
