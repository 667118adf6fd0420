package dev.nas.search.algo;

import dev.nas.search.SearchConfig;
import dev.nas.search.cdarts.Cdarts;
import dev.nas.search.config.ArchOptimizer;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.config.WeightOptimizer;
import dev.nas.search.sdas.Schedule;
import dev.nas.search.sdas.Sdas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search algorithms, registered once: {@code nas search --algo}, its help text, {@code nas
 * compare}'s methods, stored configurations and the memory estimate all read this list.
 */
public final class SearchAlgorithms {
  private static final Map<String, SearchAlgorithm> BY_NAME = new LinkedHashMap<>();

  static {
    register(new Darts(false));
    register(new Darts(true));
    register(new Das());
    for (Schedule s : Schedule.values()) {
      register(new Sdas(s));
    }
    register(new PvNas());
    register(new Cdarts());
  }

  private SearchAlgorithms() {}

  private static void register(SearchAlgorithm a) {
    if (BY_NAME.putIfAbsent(a.name(), a) != null) {
      throw new IllegalStateException("two search algorithms are called " + a.name());
    }
  }

  /** Every algorithm, in registration order. */
  public static List<SearchAlgorithm> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** Every algorithm's name, in registration order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The algorithm called {@code name}; fails listing the known ones. */
  public static SearchAlgorithm named(String name) {
    SearchAlgorithm a = BY_NAME.get(name);
    if (a == null) {
      throw new IllegalArgumentException("unknown --algo '" + name + "' (known: " + names() + ")");
    }
    return a;
  }

  /**
   * DARTS' search settings for {@code algo}: the darts space, C=16, 8 cells, batch 64, 50 epochs,
   * seed 2, half the training set for α; SGD lr 0.025 (cosine to 0.001), momentum 0.9, weight decay
   * 3e-4, clip 5; Adam 3e-4, betas (0.5, 0.999), weight decay 1e-3; on the synthetic dataset.
   */
  public static SearchConfig dartsSettings(String algo) {
    return dartsSettings(algo, null, null);
  }

  /** The same for an algorithm with settings of its own (CDARTS', or the SDAS paper's). */
  public static SearchConfig dartsSettings(String algo, dev.nas.search.cdarts.CdartsSettings cdarts,
      dev.nas.search.sdas.SdasSettings sdas) {
    return new SearchConfig(algo, 2, new DataSettings("synthetic", null, null, 10, 0, 0, 0.5, true, 0),
        new SupernetShape("darts", 8, 16, 0, 0, 1, null), new EpochSchedule(50, 64, 0),
        new WeightOptimizer(0.025, 0.001, 0.9, 3e-4, 5.0), new ArchOptimizer(3e-4, 0.5, 0.999, 1e-3), cdarts, sdas, null);
  }
}
