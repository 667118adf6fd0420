package dev.nas.runtime.onnx;

import java.util.List;

/**
 * What an operator rule works out for one node at batch 1.
 *
 * @param kind the report's layer kind ({@code conv}, {@code dwconv}, {@code linear}, {@code bn}, ...)
 * @param outputs shapes of the node's outputs, in order
 * @param macs multiply-accumulates (convolution and fully-connected work only)
 * @param otherOps other arithmetic
 * @param paramInputs indices of inputs that are learned tensors when they are initializers
 */
record OpResult(String kind, List<long[]> outputs, long macs, long otherOps, List<Integer> paramInputs) {
  OpResult {
    outputs = List.copyOf(outputs);
    paramInputs = List.copyOf(paramInputs);
  }

  /** A node without MACs or learned inputs. */
  static OpResult plain(String kind, long[] output, long otherOps) {
    return new OpResult(kind, List.of(output), 0, otherOps, List.of());
  }
}
