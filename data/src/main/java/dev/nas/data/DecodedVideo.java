package dev.nas.data;

import java.util.List;

/**
 * One video held in memory after decoding and short-side resizing: {@code frames} entries of
 * {@code channels×height×width} bytes (0..255) each, in display order.
 */
record DecodedVideo(int channels, int height, int width, List<byte[]> frames) {
  DecodedVideo {
    frames = List.copyOf(frames);
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a video needs at least one frame");
    }
    for (byte[] f : frames) {
      if (f.length != channels * height * width) {
        throw new IllegalArgumentException("frame of " + f.length + " bytes in a " + channels + "×" + height + "×"
            + width + " video");
      }
    }
  }

  int length() {
    return frames.size();
  }
}
