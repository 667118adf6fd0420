package dev.nas.djl;

import ai.djl.ndarray.NDArray;

/** A batch on the device: inputs, labels as an array, and the labels on the host for accuracy. */
public record Batch(NDArray x, NDArray y, int[] labels) {
  public int size() {
    return labels.length;
  }
}
