package dev.nas.cli.compare;

import ai.djl.Device;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.macro.MacroConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One way of producing a network to compare: a search algorithm, a sampler or a hand-crafted
 * baseline. Every method's proposal is then scaled to the budget (unless it fits the budget at a
 * width of its own), trained with the same recipe and measured the same way by {@link CompareRun}.
 */
public interface Method {
  /** The name used on the command line and in the results. */
  String name();

  /** search, sampler or baseline (shown in the results). */
  String kind();

  /** Whether the method fits the budget by its genotype at {@code --budget-channels}, not by width. */
  default boolean budgetAware() {
    return false;
  }

  /** Whether the method predicts latency with the comparison's latency table (a budget-aware search does). */
  default boolean usesLatencyTable() {
    return false;
  }

  /**
   * Produces the architecture for {@code seed}, writing what it makes (e.g. a search run folder)
   * under {@code dir}.
   */
  Proposal propose(Context ctx, long seed, Path dir) throws IOException;

  /**
   * What a method's run has at hand.
   *
   * @param table the latency table of budget-aware searches, or null without a latency budget
   * @param fits whether a genotype's network meets the comparison's budget at a width (0: at some
   *     width, i.e. its narrowest), measured as the width fit measures
   */
  record Context(CompareConfig config, Device device, PrintStream console, Path table,
      java.util.function.BiPredicate<Genotype, Integer> fits) {}

  /**
   * A proposed architecture: a genotype for a cell macro, or none for a cell-free macro.
   *
   * @param searchRun folder of the search run relative to the run folder, or null
   * @param searchSeconds time the method took to propose (search time; 0 for fixed baselines)
   * @param width the width the proposal fits the budget at (a budget-aware search's), or 0: scale
   *     it to the budget
   */
  record Proposal(Genotype genotype, MacroConfig.Kind macro, double searchSeconds, String searchRun, int width) {
    public Proposal {
      if ((genotype == null) != macro.cellFree()) {
        throw new IllegalArgumentException("a proposal has a genotype exactly when its macro has cells");
      }
    }

    /** A proposal to be scaled to the budget. */
    public Proposal(Genotype genotype, MacroConfig.Kind macro, double searchSeconds, String searchRun) {
      this(genotype, macro, searchSeconds, searchRun, 0);
    }
  }
}
