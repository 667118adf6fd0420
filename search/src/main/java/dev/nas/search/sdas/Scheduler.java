package dev.nas.search.sdas;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives SDAS' scheduled discretization: after search iteration {@code t} of {@code T}, every cell
 * type takes its highest-priority decisions until it has made as many as the schedule asks for.
 * Several can fall on one iteration when the schedule is steep or {@code T < M}.
 */
public final class Scheduler {
  private final Schedule schedule;
  private final long total;
  private final Discretization state;

  /** @param total the number of iterations T over which all decisions are spread */
  public Scheduler(Schedule schedule, long total, Discretization state) {
    if (total <= 0) {
      throw new IllegalArgumentException("a scheduled search needs at least one iteration");
    }
    this.schedule = schedule;
    this.total = total;
    this.state = state;
  }

  public Schedule schedule() {
    return schedule;
  }

  public long total() {
    return total;
  }

  public Discretization state() {
    return state;
  }

  /** Decisions per cell type the schedule asks for after iteration {@code t}. */
  public int target(long t) {
    return schedule.decisions(state.perCell(), t, total);
  }

  /**
   * Takes the decisions due after iteration {@code t}; {@code weights} is read only when one is
   * due (it copies tensors to the host). Returns the decisions taken, in order.
   */
  public List<Decision> advance(long t, Supplier<ArchWeights> weights) {
    int target = target(t);
    List<Decision> out = new ArrayList<>();
    ArchWeights w = null;
    for (String cell : state.space().cellTypes().stream().map(c -> c.name()).toList()) {
      while (state.made(cell) < target) {
        if (w == null) {
          w = weights.get();
        }
        Decision d = state.next(cell, w.opWeights().get(cell), w.strengths().get(cell), t);
        state.apply(d);
        out.add(d);
      }
    }
    return out;
  }
}
