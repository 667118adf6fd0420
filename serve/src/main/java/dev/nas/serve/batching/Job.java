package dev.nas.serve.batching;

import dev.nas.serve.protocol.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One inference request waiting for, or in, a batch: its checked inputs, the outputs it wants, and
 * the future that receives its outputs.
 *
 * <p>Jobs of the same {@link #key} can run together: their inputs are concatenated along dimension 0
 * and the outputs split back by {@link #rows}. A job with {@code rows == 0} always runs alone.
 */
public final class Job {
  private final Map<String, Tensor> inputs;
  private final Set<String> outputs;
  private final int rows;
  private final String key;
  private final CompletableFuture<JobResult> future = new CompletableFuture<>();
  private volatile long enqueuedNanos;
  private volatile long startedNanos;

  /**
   * @param inputs every model input, in the model's order
   * @param outputs the output names to compute
   * @param rows the shared size of dimension 0 of every input, or 0 when the job cannot be batched
   * @param key equal for jobs whose inputs agree on every dimension but the first
   */
  public Job(Map<String, Tensor> inputs, Set<String> outputs, int rows, String key) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative, got " + rows);
    }
    this.inputs = new LinkedHashMap<>(inputs);
    this.outputs = Set.copyOf(outputs);
    this.rows = rows;
    this.key = key;
  }

  public Map<String, Tensor> inputs() {
    return inputs;
  }

  public Set<String> outputs() {
    return outputs;
  }

  public int rows() {
    return rows;
  }

  /** Samples this job counts as: its rows, or 1 for a job that cannot be batched. */
  public int samples() {
    return Math.max(rows, 1);
  }

  public String key() {
    return key;
  }

  /** Completes with the outputs, or exceptionally when inference fails, times out or is rejected. */
  public CompletableFuture<JobResult> future() {
    return future;
  }

  /** Whether a worker has taken this job; a job timed out before then never runs. */
  public boolean started() {
    return startedNanos != 0;
  }

  void enqueued(long nanos) {
    enqueuedNanos = nanos;
  }

  long enqueuedNanos() {
    return enqueuedNanos;
  }

  void start(long nanos) {
    startedNanos = nanos;
  }

  long startedNanos() {
    return startedNanos;
  }
}
