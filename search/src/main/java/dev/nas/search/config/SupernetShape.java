package dev.nas.search.config;

import dev.nas.core.ops.SearchSpace;
import java.util.Objects;

/**
 * The supernet searched: its space and the shape of the macro it is stacked in.
 *
 * @param space search space name ({@link SearchSpace#named})
 * @param layers cells (image spaces)
 * @param channels initial width C
 * @param repeat video spaces in the video-sdas macro: normal cells per stage K (the video-pvnas search stack
 *     has one cell of each type); 0 reads as {@value #DEFAULT_REPEAT} (SDAS' search setting), so
 *     configurations stored before it existed still resume
 * @param stemChannels video spaces: width C1 of the first stem convolution; 0 reads as
 *     {@value #DEFAULT_STEM_CHANNELS}
 * @param partialChannels K of PC-DARTS' partial channel connections (each mixed edge computes 1/K of
 *     its channels, with edge normalisation); 1 computes every channel (DARTS); 0 reads as 1, so
 *     configurations stored before it existed still resume
 * @param macro the macro the supernet is stacked in: null for the space's own (cifar for image
 *     spaces); image spaces also take {@code imagenet} (the three-convolution stem to 1/8 of the
 *     input, as CDARTS' ImageNet search, Section 4.2)
 */
public record SupernetShape(String space, int layers, int channels, int repeat, int stemChannels,
    int partialChannels, String macro) {
  /** SDAS' search setting for K. */
  public static final int DEFAULT_REPEAT = 2;
  /** SDAS' search setting for C1 (C2 = 64, so C = 16). */
  public static final int DEFAULT_STEM_CHANNELS = 16;

  public SupernetShape {
    Objects.requireNonNull(space, "space");
    SearchSpace.named(space); // fails listing the known spaces
    repeat = repeat == 0 ? DEFAULT_REPEAT : repeat;
    stemChannels = stemChannels == 0 ? DEFAULT_STEM_CHANNELS : stemChannels;
    partialChannels = partialChannels == 0 ? 1 : partialChannels;
    Require.that(repeat > 0, "--repeat must be positive");
    Require.that(stemChannels > 0, "--stem-channels must be positive");
    Require.that(layers >= 3, "--layers must be at least 3 (a normal cell before two reduction cells)");
    Require.that(channels > 0 && channels % 2 == 0,
        "--channels must be positive and even (FactorizedReduce halves it)");
    if (macro != null) {
      dev.nas.core.macro.MacroConfig.Kind kind = dev.nas.core.macro.MacroConfig.Kind.parse(macro);
      SearchSpace named = SearchSpace.named(space);
      boolean ownMacroOnly = named.video() || named.keepsEveryEdge();
      Require.that(ownMacroOnly ? kind.id().equals(named.macro())
          : kind == dev.nas.core.macro.MacroConfig.Kind.CIFAR || kind == dev.nas.core.macro.MacroConfig.Kind.IMAGENET,
          "--macro " + macro + " does not suit space " + space + (ownMacroOnly ? " (searched in " + named.macro() + ")"
              : " (image supernets are stacked in the cifar or imagenet macro)"));
    }
    Require.that(partialChannels >= 1 && channels % partialChannels == 0,
        "--partial-channels K must be at least 1 and divide --channels (" + channels + "); got " + partialChannels);
  }

  /**
   * This shape for search space {@code other}, in that space's macro: switching to or from
   * {@code nb201} takes the other kind of network's shape (NAS-Bench-201 searches its own network,
   * 15 cells at C = 16; DARTS' search network has 8 cells), as neither's depth suits the other's macro.
   */
  public SupernetShape withSpace(String other) {
    boolean dense = SearchSpace.named(other).keepsEveryEdge();
    if (dense == searchSpace().keepsEveryEdge()) {
      return new SupernetShape(other, layers, channels, repeat, stemChannels, partialChannels, null);
    }
    return new SupernetShape(other, dense ? 15 : 8, 16, repeat, stemChannels, partialChannels, null);
  }

  /** This shape with partial channel connections of K (1: off). */
  public SupernetShape withPartialChannels(int k) {
    return new SupernetShape(space, layers, channels, repeat, stemChannels, k, null);
  }

  /** Whether edges compute a part of their channels (and nodes normalise their edges), PC-DARTS. */
  public boolean partial() {
    return partialChannels > 1;
  }

  /** The macro the supernet is stacked in. */
  public dev.nas.core.macro.MacroConfig.Kind macroKind() {
    return dev.nas.core.macro.MacroConfig.Kind.parse(macro != null ? macro : searchSpace().macro());
  }

  public SearchSpace searchSpace() {
    return SearchSpace.named(space);
  }
}
