package dev.nas.search.supernet;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.macro.MacroLayout;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;

/**
 * The supernet's shape: search space, the macro it is laid out in ({@link MacroLayout}, search
 * stage), initial width C, number of cells, classes and input.
 *
 * @param layers cells; for the video macros it follows from {@code repeat} ({@link #searchCells})
 * @param repeat video-sdas: normal cells per stage K (video-pvnas searches one cell of each type); 0 for images
 * @param stemChannels video macros: stem width C1; 0 for images
 * @param partialChannels K of PC-DARTS' partial channel connections: each mixed edge computes its
 *     operations on 1/K of its channels and passes the rest through; 1 computes all channels
 */
public record SupernetConfig(SearchSpace space, MacroConfig.Kind macro, int channels, int layers, int repeat,
    int stemChannels, int classes, FeatureShape input, Preprocessing preprocessing, int partialChannels) {
  public SupernetConfig {
    if (partialChannels < 1 || channels % partialChannels != 0) {
      throw new IllegalArgumentException("--partial-channels K must be at least 1 and divide the supernet's channels C;"
          + " got K=" + partialChannels + ", C=" + channels);
    }
    if (channels <= 0 || layers <= 0 || classes <= 1) {
      throw new IllegalArgumentException("supernet needs channels > 0, layers > 0, classes > 1");
    }
    if (input.rank() != space.spatialRank()) {
      throw new IllegalArgumentException("space " + space.name() + " is for " + (space.video()
          ? "clips C×T×H×W" : "images C×H×W") + ", but the data's samples are " + input);
    }
    if (macro == MacroConfig.Kind.RESNET) {
      throw new IllegalArgumentException("the resnet macro stacks basic blocks, not searched cells");
    }
    if (macro.rank() != space.spatialRank()) {
      throw new IllegalArgumentException("the " + macro.id() + " macro does not suit space " + space.name()
          + " (searched in " + space.macro() + ")");
    }
    if (!space.cellTypeNames().containsAll(MacroLayout.cellTypes(macro, space.cellTypeNames()))) {
      throw new IllegalArgumentException("the " + macro.id() + " macro stacks cell types "
          + MacroLayout.cellTypes(macro, space.cellTypeNames()) + ", space " + space.name() + " has "
          + space.cellTypeNames());
    }
    if (macro.video()) {
      if (repeat <= 0 || stemChannels <= 0 || channels % 2 != 0) {
        throw new IllegalArgumentException("a " + macro.id() + " supernet needs repeat K > 0, stem channels C1 > 0"
            + " and an even C; got K=" + repeat + " C1=" + stemChannels + " C=" + channels);
      }
      if (layers != searchCells(macro, repeat, layers)) {
        throw new IllegalArgumentException("a " + macro.id() + " supernet with K=" + repeat + " has "
            + searchCells(macro, repeat, layers) + " cells, not " + layers);
      }
      MacroLayout.requireFits(macro, input, MacroLayout.Stage.SEARCH);
    }
  }

  /** A supernet in the CIFAR macro (3×3 stem of width 3C, reductions at 1/3 and 2/3 of the depth). */
  public SupernetConfig(SearchSpace space, int channels, int layers, int classes, FeatureShape input,
      Preprocessing preprocessing) {
    this(space, MacroConfig.Kind.CIFAR, channels, layers, 0, 0, classes, input, preprocessing, 1);
  }

  /** This supernet stacked in {@code kind} (image spaces: cifar or imagenet). */
  public SupernetConfig withMacro(MacroConfig.Kind kind) {
    return new SupernetConfig(space, kind, channels, layers, repeat, stemChannels, classes, input, preprocessing,
        partialChannels);
  }

  /** This supernet with partial channel connections of K (1: off). */
  public SupernetConfig withPartialChannels(int k) {
    return new SupernetConfig(space, macro, channels, layers, repeat, stemChannels, classes, input, preprocessing, k);
  }

  /**
   * A supernet in the macro its space names; {@code layers} counts for image spaces,
   * {@code repeat} and {@code stemChannels} for video spaces.
   */
  public static SupernetConfig of(SearchSpace space, int channels, int layers, int repeat, int stemChannels,
      int classes, FeatureShape input, Preprocessing preprocessing) {
    MacroConfig.Kind kind = MacroConfig.Kind.parse(space.macro());
    return kind.video()
        ? new SupernetConfig(space, kind, channels, searchCells(kind, repeat, layers), repeat, stemChannels, classes,
            input, preprocessing, 1)
        : new SupernetConfig(space, kind, channels, layers, 0, 0, classes, input, preprocessing, 1);
  }

  /** Cells of a supernet: video-sdas 3K+3, video-pvnas 4 (one of each type), image macros {@code layers}. */
  public static int searchCells(MacroConfig.Kind kind, int repeat, int layers) {
    return switch (kind) {
      case VIDEO_SDAS -> MacroLayout.derivedCells(kind, repeat);
      case VIDEO_PVNAS -> 4;
      default -> layers;
    };
  }
}
