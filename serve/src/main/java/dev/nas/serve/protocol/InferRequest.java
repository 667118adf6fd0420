package dev.nas.serve.protocol;

import java.util.List;

/**
 * A decoded inference request.
 *
 * @param id the client's request id, echoed in the response; {@code null} when none was given
 * @param inputs the input tensors, in request order
 * @param outputs the outputs asked for; empty for all of the model's outputs
 * @param binaryDataOutput the request parameter {@code binary_data_output}: outputs that do not say
 *     otherwise are returned as binary data
 */
public record InferRequest(String id, List<Tensor> inputs, List<RequestedOutput> outputs, boolean binaryDataOutput) {
  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * One entry of the request's {@code outputs}.
   *
   * @param name the output's name
   * @param binaryData its {@code binary_data} parameter, {@code null} when not given
   */
  public record RequestedOutput(String name, Boolean binaryData) {
    /** Whether this output is returned as binary data, given the request-wide default. */
    public boolean binary(boolean requestDefault) {
      return binaryData != null ? binaryData : requestDefault;
    }
  }
}
