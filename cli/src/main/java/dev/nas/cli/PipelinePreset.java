package dev.nas.cli;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.search.config.SearchPreset;
import dev.nas.train.TrainPreset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A paper's experiment end to end ({@code nas pipeline --preset NAME}): its search setting
 * ({@link SearchPreset}), its evaluation network ({@link NetworkShape}: macro, size, and the clip
 * size it is retrained at where that differs from the search's) and its retraining recipe
 * ({@link TrainPreset}); options given override any of them.
 *
 * @param network the evaluation network
 * @param description the network in words, with the paper's section
 */
record PipelinePreset(String name, SearchPreset search, NetworkShape network, TrainPreset train, String description) {
  private static final Map<String, PipelinePreset> ALL = new LinkedHashMap<>();

  static {
    NetworkShape cifar = NetworkShape.of(MacroConfig.cifarDefault(), null);
    add("darts-cifar", cifar, "DARTS' CIFAR-10 network: 20 cells, C=36, auxiliary head");
    add("sdas-cifar", cifar, "DARTS' CIFAR-10 network (20 cells, C=36): SDAS evaluates in its own macro (K=6, C1=108, "
        + "C2=144, Section 6.1), which is not one of ours; the DARTS-sized network is the closest this tool builds");
    add("cdarts-cifar", cifar, "CDARTS' CIFAR-10 network: 20 cells, C=36 (Section 4.1)");
    add("cdarts-imagenet", NetworkShape.of(MacroConfig.imagenetDefault(), null),
        "CDARTS' ImageNet network: 14 cells, C=48 (Section 4.2)");
    add("cdarts-nb201", NetworkShape.of(MacroConfig.nb201Default(), null), "NAS-Bench-201's network (C=16, 5 cells "
        + "per stage, residual blocks between the stages), in which the benchmark scores its cells");
    add("sdas-kinetics", NetworkShape.of(MacroConfig.videoSdasDefault(), null), "SDAS' Kinetics10 evaluation network "
        + "(Section 7.1, Fig. 5c): the video-sdas macro with K=2, C1=32, C2=128 (C=32, a cell's output being its 4 "
        + "nodes), at the search's 16×112×112 clips; no auxiliary head (the paper names none for video)");
    // PV-NAS Section 4.2: retrained on 224×224 crops of the search's 8-frame sampling; the search sees 112×112.
    add("pvnas-kinetics", NetworkShape.of(MacroConfig.videoPvnasDefault().withDropout(0.4),
        FeatureShape.of(3, 8, 224, 224)), "PV-NAS-L (Section 4.2, Fig. 5b): the video-pvnas macro with K=1, C=64; the "
        + "stem widths are not given, C1=32 as SDAS' stem; dropout 0.4 before the classifier; retrained at 8×224×224 "
        + "(the search runs at 8×112×112); no auxiliary head");
  }

  private static void add(String name, NetworkShape network, String description) {
    ALL.put(name, new PipelinePreset(name, SearchPreset.named(name), network, TrainPreset.named(name), description));
  }

  static List<PipelinePreset> all() {
    return List.copyOf(ALL.values());
  }

  /** The preset called {@code name}; fails listing the known ones. */
  static PipelinePreset named(String name) {
    PipelinePreset p = ALL.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown --preset '" + name + "' for nas pipeline (known: "
          + String.join(", ", ALL.keySet()) + ")");
    }
    return p;
  }

  /**
   * The network a pipeline derives and trains, before the data fixes its classes.
   *
   * @param macro the macro; null for the searched space's own
   * @param layers cells of an image macro
   * @param repeat video macros: normal cells per stage K
   * @param stemChannels video macros: stem width C1 (the pipeline's search takes the same when
   *     {@code --stem-channels} is given)
   * @param input sample size it is derived and retrained at; null for the search's
   */
  record NetworkShape(MacroConfig.Kind macro, int channels, int layers, int repeat, int stemChannels,
      boolean auxiliary, double dropout, FeatureShape input) {
    /** The default job's small network: C=16, 8 cells (video macros: K=1, C1=16), auxiliary head. */
    static final NetworkShape SMALL = new NetworkShape(null, 16, 8, 1, 16, true, 0, null);

    /** The sizes of {@code m}, retrained at {@code input} (null: the search's). */
    static NetworkShape of(MacroConfig m, FeatureShape input) {
      return new NetworkShape(m.kind(), m.channels(), m.layers(), Math.max(1, m.repeat()),
          m.stemChannels() > 0 ? m.stemChannels() : SMALL.stemChannels(), m.auxiliary(), m.dropout(), input);
    }

    /** The network for {@code classes} classes, at {@link #input} or else at the search's {@code searched}. */
    MacroConfig config(int classes, FeatureShape searched) {
      FeatureShape in = input != null ? input : searched;
      MacroConfig m = macro.video() ? MacroConfig.video(macro, channels, repeat, stemChannels, classes, in, auxiliary)
          : new MacroConfig(macro, channels, layers, classes, in, auxiliary);
      return m.withDropout(dropout);
    }

    /** The same network as the cost-aware search describes it (its input is the search's). */
    dev.nas.search.cost.DerivedShape derivedShape() {
      return new dev.nas.search.cost.DerivedShape(macro.id(), channels, macro.video() ? 0 : layers,
          macro.video() ? repeat : 0, macro.video() ? stemChannels : 0);
    }
  }
}
