package dev.nas.search.sdas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How SDAS spreads its one-step decisions over the cell types. */
public enum DecisionQueue {
  /**
   * One queue for the architecture (the paper's, Section 3.2 and Fig. 7): M = every edge and node of
   * every cell type, and each decision goes to the eligible edge or node of highest priority in any
   * cell type ("the Normal Cell keeps the same during 30 and 40 epochs, since the one-step
   * discretization at that time is only performed on Reduction Cell").
   */
  SHARED,
  /** Each cell type reaches its own floor(M·f(t/T)) decisions, M its edges and nodes, in lockstep. */
  PER_TYPE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @JsonCreator
  public static DecisionQueue parse(String id) {
    for (DecisionQueue q : values()) {
      if (q.id().equals(id)) {
        return q;
      }
    }
    throw new IllegalArgumentException("--decision-queue must be shared (the SDAS paper's) or per-type, not '" + id
        + "'");
  }
}
