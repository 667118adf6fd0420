package dev.nas.runtime.trt;

import java.nio.file.Path;
import java.util.List;

/** TensorRT's ONNX parser rejected a model; the message lists every error it reported. */
public final class TrtParseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * One error of TensorRT's ONNX parser.
   *
   * @param code the parser's error code, e.g. {@code kUNSUPPORTED_NODE}
   * @param description what went wrong
   * @param node index of the ONNX node in the graph, or {@code -1} when the error concerns no node
   * @param nodeName that node's name, or {@code null}
   * @param nodeOperator that node's operator, e.g. {@code Conv}, or {@code null}
   */
  public record ParserError(String code, String description, int node, String nodeName, String nodeOperator) {
    /** {@code node 12 'conv3' (Conv): description [code]}. */
    public String describe() {
      StringBuilder sb = new StringBuilder();
      if (node >= 0) {
        sb.append("node ").append(node);
        if (nodeName != null && !nodeName.isEmpty()) {
          sb.append(" '").append(nodeName).append('\'');
        }
        if (nodeOperator != null && !nodeOperator.isEmpty()) {
          sb.append(" (").append(nodeOperator).append(')');
        }
        sb.append(": ");
      }
      return sb.append(description == null || description.isBlank() ? "no description" : description.strip())
          .append(" [").append(code).append(']').toString();
    }
  }

  private final transient List<ParserError> errors;

  public TrtParseException(Path onnx, List<ParserError> errors) {
    super(message(onnx, errors));
    this.errors = List.copyOf(errors);
  }

  public List<ParserError> errors() {
    return errors;
  }

  static String message(Path onnx, List<ParserError> errors) {
    StringBuilder sb = new StringBuilder("TensorRT cannot parse ONNX model ").append(onnx);
    if (errors.isEmpty()) {
      return sb.append(" (the parser reported no details)").toString();
    }
    sb.append(" (").append(errors.size()).append(errors.size() == 1 ? " error):" : " errors):");
    for (ParserError e : errors) {
      sb.append(System.lineSeparator()).append("  ").append(e.describe());
    }
    return sb.toString();
  }
}
