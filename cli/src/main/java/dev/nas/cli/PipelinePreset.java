package dev.nas.cli;

import dev.nas.core.macro.MacroConfig;
import dev.nas.search.config.SearchPreset;
import dev.nas.train.TrainPreset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A paper's experiment end to end ({@code nas pipeline --preset NAME}): its search setting
 * ({@link SearchPreset}), its evaluation network's macro and size, and its retraining recipe
 * ({@link TrainPreset}); options given override any of them.
 *
 * @param channels initial width of the evaluation network
 * @param layers its cells
 */
record PipelinePreset(String name, SearchPreset search, MacroConfig.Kind macro, int channels, int layers,
    TrainPreset train, String network) {
  private static final Map<String, PipelinePreset> ALL = new LinkedHashMap<>();

  static {
    add("darts-cifar", MacroConfig.Kind.CIFAR, 36, 20, "DARTS' CIFAR-10 network: 20 cells, C=36, auxiliary head");
    add("sdas-cifar", MacroConfig.Kind.CIFAR, 36, 20, "DARTS' CIFAR-10 network (20 cells, C=36): SDAS evaluates in its "
        + "own macro (K=6, C1=108, C2=144, Section 4.1), which is not one of ours; the DARTS-sized network is the "
        + "closest this tool builds");
    add("cdarts-cifar", MacroConfig.Kind.CIFAR, 36, 20, "CDARTS' CIFAR-10 network: 20 cells, C=36 (Section 4.1)");
    add("cdarts-imagenet", MacroConfig.Kind.IMAGENET, 48, 14, "CDARTS' ImageNet network: 14 cells, C=48 (Section 4.2)");
  }

  private static void add(String name, MacroConfig.Kind macro, int channels, int layers, String network) {
    ALL.put(name, new PipelinePreset(name, SearchPreset.named(name), macro, channels, layers, TrainPreset.named(name),
        network));
  }

  static List<PipelinePreset> all() {
    return List.copyOf(ALL.values());
  }

  /** The preset called {@code name}; fails listing the known ones (and why a search-only one is not among them). */
  static PipelinePreset named(String name) {
    PipelinePreset p = ALL.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown --preset '" + name + "' for nas pipeline (known: "
          + String.join(", ", ALL.keySet()) + "; the video presets have search settings only, use nas search --preset)");
    }
    return p;
  }
}
