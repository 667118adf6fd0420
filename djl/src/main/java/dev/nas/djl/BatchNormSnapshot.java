package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of a network's batch-norm running statistics, to put back after a pass that must not
 * move them (an architecture step: BN statistics follow the weights' training batches only).
 */
public final class BatchNormSnapshot {
  private final Map<String, NDArray> buffers;
  private final Map<String, NDArray> copies = new LinkedHashMap<>();

  /** Copies every buffer of {@code params} into {@code scope} (freed with it). */
  public BatchNormSnapshot(Parameters params, NDManager scope) {
    this.buffers = params.buffers();
    buffers.forEach((k, v) -> {
      NDArray c = v.duplicate();
      c.attach(scope);
      copies.put(k, c);
    });
  }

  /** Writes the copied values back in place. */
  public void restore() {
    buffers.forEach((k, v) -> v.muli(0).addi(copies.get(k)));
  }
}
