package dev.nas.search;

import dev.nas.data.EpochOrder;
import dev.nas.data.Seeds;
import java.util.SplittableRandom;

/**
 * The named random streams of a search, all derived from its one seed. Each use draws from its own
 * stream, so adding a use never shifts another's numbers; the derivations are those every search
 * has always used, so seeded results stay as they were.
 */
public record RandomStreams(long seed) {
  /** Initial weights of the supernet (and, mixed in the supernet, its architecture parameters). */
  public long supernetInit() {
    return seed;
  }

  /** The train/validation split of the training set. */
  public long split() {
    return seed;
  }

  /** Order of the training split, epoch by epoch. */
  public EpochOrder trainOrder(int size) {
    return new EpochOrder(size, seed);
  }

  /** Order of the validation split, epoch by epoch (the α steps'). */
  public EpochOrder validationOrder(int size) {
    return new EpochOrder(size, seed + 1);
  }

  /** Augmentation (crops, flips) of an epoch's batches. */
  public SplittableRandom augmentation(int epoch) {
    return Seeds.random(seed, 1000L + epoch);
  }

  /** CDARTS: initial weights of the evaluation network. */
  public long enetInit() {
    return seed + 1;
  }

  /** CDARTS: order of the validation split for the evaluation network's own steps. */
  public EpochOrder enetOrder(int size) {
    return new EpochOrder(size, seed + 2);
  }

  /** CDARTS: augmentation of the final update after the last epoch. */
  public SplittableRandom finalUpdate() {
    return Seeds.random(seed, 999L);
  }
}
