package dev.nas.serve.protocol;

import java.util.List;

/**
 * An inference response: the model and version that ran, the request's id and the outputs.
 *
 * @param id the request's id, {@code null} when it had none
 * @param outputs the outputs, in the order they are returned
 */
public record InferResponse(String modelName, String modelVersion, String id, List<Output> outputs) {
  public InferResponse {
    outputs = List.copyOf(outputs);
  }

  /**
   * One returned output.
   *
   * @param binary whether its data travels in the binary section rather than as JSON
   */
  public record Output(Tensor tensor, boolean binary) {}

  /** Whether any output travels as binary data, which makes the body JSON plus a binary section. */
  public boolean hasBinary() {
    return outputs.stream().anyMatch(Output::binary);
  }
}
