package dev.nas.search.sdas;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives SDAS' scheduled discretization: after search iteration {@code t} of {@code T} the
 * schedule asks for floor(M·f(t/T)) decisions, taken highest priority first. With the shared
 * queue ({@link DecisionQueue#SHARED}, the paper's) M counts every edge and node of every cell
 * type and each decision goes to the best eligible one in any cell type; per type
 * ({@link DecisionQueue#PER_TYPE}) every cell type reaches its own count. Several decisions can
 * fall on one iteration when the schedule is steep or {@code T < M}.
 */
public final class Scheduler {
  private final Schedule schedule;
  private final long total;
  private final Discretization state;
  private final DecisionQueue queue;

  /** @param total the number of iterations T over which all decisions are spread */
  public Scheduler(Schedule schedule, long total, Discretization state, DecisionQueue queue) {
    if (total <= 0) {
      throw new IllegalArgumentException("a scheduled search needs at least one iteration");
    }
    this.schedule = schedule;
    this.total = total;
    this.state = state;
    this.queue = queue;
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

  public DecisionQueue queue() {
    return queue;
  }

  /** M: the decisions of one queue (every cell type's with the shared queue, one cell type's per type). */
  public int decisionsNeeded() {
    return queue == DecisionQueue.SHARED ? state.perCell() * cellTypes().size() : state.perCell();
  }

  /** Decisions made so far in one queue (all cell types', or per cell type: the first's, all being equal). */
  public int decisionsMade() {
    return queue == DecisionQueue.SHARED ? cellTypes().stream().mapToInt(state::made).sum()
        : state.made(cellTypes().get(0));
  }

  /** Decisions in one queue the schedule asks for after iteration {@code t}. */
  public int target(long t) {
    return schedule.decisions(decisionsNeeded(), t, total);
  }

  /** Whether the state holds exactly the decisions the schedule has taken after {@code t}. */
  public boolean onSchedule(long t) {
    int due = t == 0 ? 0 : target(t);
    return queue == DecisionQueue.SHARED ? decisionsMade() == due
        : cellTypes().stream().allMatch(c -> state.made(c) == due);
  }

  /**
   * Takes the decisions due after iteration {@code t}; {@code weights} is read only when one is
   * due (it copies tensors to the host). Returns the decisions taken, in order.
   */
  public List<Decision> advance(long t, Supplier<ArchWeights> weights) {
    int target = target(t);
    List<Decision> out = new ArrayList<>();
    ArchWeights w = null;
    if (queue == DecisionQueue.PER_TYPE) {
      for (String cell : cellTypes()) {
        while (state.made(cell) < target) {
          w = w == null ? weights.get() : w;
          Decision d = state.next(cell, w.opWeights().get(cell), w.strengths().get(cell), t);
          state.apply(d);
          out.add(d);
        }
      }
      return out;
    }
    while (decisionsMade() < target) {
      w = w == null ? weights.get() : w;
      Decision best = null;
      for (String cell : cellTypes()) {
        Decision d = state.next(cell, w.opWeights().get(cell), w.strengths().get(cell), t);
        // ties go to the earlier cell type, so the queue is deterministic
        if (d != null && (best == null || d.priority() > best.priority())) {
          best = d;
        }
      }
      state.apply(best);
      out.add(best);
    }
    return out;
  }

  private List<String> cellTypes() {
    return state.space().cellTypes().stream().map(c -> c.name()).toList();
  }
}
