package dev.nas.search.algo;

import ai.djl.Device;
import dev.nas.djl.optim.CosineSchedule;
import dev.nas.djl.optim.LrSchedule;
import dev.nas.djl.optim.StepSchedule;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.config.EpochSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One search algorithm, registered once in {@link SearchAlgorithms}: its name and description (the
 * CLI's help, {@code nas compare}'s methods and the memory estimate read them from there), its
 * defaults (the one source every command starts from), the settings it constrains, its learning-rate
 * schedule and how it runs. Algorithms that search a supernet by alternating or joint steps extend
 * {@link SupernetAlgorithm}, which supplies the mixing, the optimiser steps and the epoch hooks;
 * CDARTS runs its own two networks. Adding an algorithm is one class and one registration.
 */
public interface SearchAlgorithm {
  /** The name on the command line and in stored configurations. */
  String name();

  /** One sentence for help texts: what the algorithm does. */
  String description();

  /** Every setting's default for this algorithm (on the synthetic dataset). */
  SearchConfig defaults();

  /** Refuses settings this algorithm cannot honour, naming the option. */
  default void validate(SearchConfig.Settings settings) {
    if (settings.cdarts() != null) {
      throw new IllegalArgumentException("CDARTS settings (--distill-weight, --enet-layers, ...) are for --algo cdarts, "
          + "not " + name());
    }
    if (settings.sdas() != null) {
      throw new IllegalArgumentException("SDAS settings (--genotype-rule, --decision-queue) are for --algo das and "
          + "sdas-*, not " + name());
    }
  }

  /** Whether α learns on a held-out validation split (the rest of the training set then trains the weights). */
  default boolean usesValidation() {
    return true;
  }

  /** Whether an architecture step unrolls a weight step (the memory estimate keeps a second set of activations). */
  default boolean secondOrder() {
    return false;
  }

  /** Whether a stopped run continues from its checkpoint ({@code --resume}, {@code --stop-after}). */
  default boolean resumable() {
    return true;
  }

  /**
   * The weight learning rate per epoch, as the configuration's schedule says: cosine annealing to
   * {@code lrMin}, or ×{@value EpochSchedule#LR_STEP_FACTOR} every {@code lrStep} epochs.
   */
  default LrSchedule lrSchedule(SearchConfig c) {
    EpochSchedule s = c.schedule();
    return switch (s.lrSchedule()) {
      case COSINE -> new CosineSchedule(c.weights().lr(), c.weights().lrMin(), s.epochs());
      case STEP -> new StepSchedule(c.weights().lr(), EpochSchedule.LR_STEP_FACTOR, s.lrStepEpochs());
    };
  }

  /** Runs (or, where {@link #resumable()}, continues) the search of {@code c} into {@code run}. */
  SearchResult run(SearchConfig c, Path run, Device device, PrintStream console, RunControl control)
      throws IOException;

  /**
   * How one invocation runs a search.
   *
   * @param resume continue the run folder's search from its checkpoint
   * @param stopAfter stop after this many epochs of this invocation (0 = run to the end)
   * @param ignoreMemoryEstimate start even if the estimated peak memory exceeds what is available
   */
  record RunControl(boolean resume, int stopAfter, boolean ignoreMemoryEstimate) {
    /** A fresh search run to its end. */
    public static final RunControl FRESH = new RunControl(false, 0, false);
  }
}
