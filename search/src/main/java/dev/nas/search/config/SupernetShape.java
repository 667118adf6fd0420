package dev.nas.search.config;

import dev.nas.ops.SearchSpace;
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
 */
public record SupernetShape(String space, int layers, int channels, int repeat, int stemChannels) {
  /** SDAS' search setting for K. */
  public static final int DEFAULT_REPEAT = 2;
  /** SDAS' search setting for C1 (C2 = 64, so C = 16). */
  public static final int DEFAULT_STEM_CHANNELS = 16;

  public SupernetShape {
    Objects.requireNonNull(space, "space");
    SearchSpace.named(space); // fails listing the known spaces
    repeat = repeat == 0 ? DEFAULT_REPEAT : repeat;
    stemChannels = stemChannels == 0 ? DEFAULT_STEM_CHANNELS : stemChannels;
    Require.that(repeat > 0, "--repeat must be positive");
    Require.that(stemChannels > 0, "--stem-channels must be positive");
    Require.that(layers >= 3, "--layers must be at least 3 (a normal cell before two reduction cells)");
    Require.that(channels > 0 && channels % 2 == 0,
        "--channels must be positive and even (FactorizedReduce halves it)");
  }

  public SearchSpace searchSpace() {
    return SearchSpace.named(space);
  }
}
