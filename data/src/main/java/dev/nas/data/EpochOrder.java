package dev.nas.data;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits a data set: a permutation of {@code 0..size-1} that depends
 * only on (seed, epoch). Epoch {@code e}'s order is the same whether the run got there directly
 * or was resumed from a checkpoint, which is what makes resumed searches bit-identical.
 */
public record EpochOrder(int size, long seed) {
  public EpochOrder {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
  }

  /** A fresh permutation for {@code epoch}. */
  public int[] order(int epoch) {
    int[] order = new int[size];
    fill(epoch, order);
    return order;
  }

  /** Writes epoch {@code epoch}'s permutation into {@code dst[0, size)}, allocating nothing. */
  public void fill(int epoch, int[] dst) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
    }
    if (dst.length < size) {
      throw new IllegalArgumentException("order buffer holds " + dst.length + " entries, need " + size);
    }
    for (int i = 0; i < size; i++) {
      dst[i] = i;
    }
    SplittableRandom rng = Seeds.random(seed, epoch);
    Seeds.shuffle(dst, 0, size, rng);
  }

  /** Number of batches per epoch; a short last batch counts unless {@code dropLast}. */
  public int batches(int batchSize, boolean dropLast) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
  }
}
