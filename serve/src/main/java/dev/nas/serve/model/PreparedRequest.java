package dev.nas.serve.model;

import dev.nas.serve.batching.Job;
import java.util.List;

/**
 * A request checked against its model: the job to queue and the outputs to return, in order.
 *
 * @param outputs output names in response order, each with whether it is returned as binary
 */
public record PreparedRequest(Job job, List<Output> outputs) {
  public PreparedRequest {
    outputs = List.copyOf(outputs);
  }

  /** One output to return. */
  public record Output(String name, boolean binary) {}
}
