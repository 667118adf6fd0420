package dev.nas.search;

import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.config.WeightOptimizer;

/**
 * Tiny searches for tests: an algorithm's defaults on synthetic 3×8×8 images of 4 classes (16
 * test samples), a 3-cell supernet of width 4, batch 16, seed 5, weight lr 0.05 and α lr 3e-3 (ten
 * times DARTS', for few-step searches).
 */
final class TinySearch {
  private TinySearch() {}

  static SearchConfig config(String algo, String space, int trainSamples, int epochs, int layers) {
    SearchConfig d = SearchAlgorithms.named(algo).defaults();
    return d.withSeed(5)
        .withData(new DataSettings("synthetic", null, "3x8x8", 4, trainSamples, 16, 0.5, true, 0))
        .withSupernet(new SupernetShape(space, layers, 4, 0, 0, 1, null))
        .withSchedule(new EpochSchedule(epochs, 16, 0, 0, d.schedule().lrSchedule()))
        .withWeights(new WeightOptimizer(0.05, 0.001, 0.9, d.weights().weightDecay(), 5.0))
        .withArch(d.arch().withLr(3e-3));
  }

  /** The same with {@code warmup} α-frozen epochs. */
  static SearchConfig withWarmup(SearchConfig c, int warmup) {
    EpochSchedule s = c.schedule();
    return c.withSchedule(new EpochSchedule(s.epochs(), s.batch(), warmup, s.lrStep(), s.lrSchedule()));
  }

  /** The same with width {@code channels}. */
  static SearchConfig withChannels(SearchConfig c, int channels) {
    SupernetShape s = c.supernet();
    return c.withSupernet(new SupernetShape(s.space(), s.layers(), channels, s.repeat(), s.stemChannels(),
        s.partialChannels(), s.macro()));
  }
}
