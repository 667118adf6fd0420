package dev.nas.derive.cost;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import java.util.Locale;

/** The costs the project's own counter gives exactly ({@link CostReport#CONVENTION}): MACs and parameters. */
public enum CountedCost {
  MACS, PARAMS;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The cost of one part by the cost counter. */
  public double of(CostPart part) {
    CostReport r = CostCounter.count(part.graph(), part.key());
    return this == MACS ? r.macs() : r.params();
  }

  /** This cost's table over every position of {@code positions}. */
  public CostTable table(CostPositions positions) {
    return positions.table(id(), this::of);
  }
}
