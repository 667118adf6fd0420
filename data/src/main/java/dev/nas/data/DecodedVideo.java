package dev.nas.data;

import java.util.ArrayList;
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

  /** Bytes its frames take: what it costs a cache. */
  long bytes() {
    return (long) frames.size() * channels * height * width;
  }

  /** Frames {@code idx} (repeats allowed), in that order, resized to {@code h×w} by {@link Resampler}. */
  DecodedVideo resized(int[] idx, int h, int w) {
    Resampler resampler = new Resampler(height, width, h, w);
    int plane = height * width;
    float[] src = new float[plane];
    List<byte[]> out = new ArrayList<>();
    for (int i : idx) {
      byte[] frame = frames.get(i);
      byte[] dst = new byte[channels * h * w];
      for (int c = 0; c < channels; c++) {
        for (int k = 0; k < plane; k++) {
          src[k] = frame[c * plane + k] & 0xff;
        }
        float[] r = resampler.resize(src);
        for (int k = 0; k < r.length; k++) {
          dst[c * h * w + k] = (byte) Math.max(0, Math.min(255, Math.round(r[k])));
        }
      }
      out.add(dst);
    }
    return new DecodedVideo(channels, h, w, out);
  }
}
