package dev.nas.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cuts fixed-size clips out of a decoded video the way SDAS and PV-NAS feed their networks:
 * {@code frames} frames taken uniformly from a window of {@code frames × stride} consecutive
 * frames (the whole video when it is shorter, repeating frames if it has fewer than
 * {@code frames}), then a {@code crop×crop} square. For training the window and the crop are
 * placed at random and the clip is mirrored left-right with probability 1/2; for testing, several
 * windows spread evenly over the video are centre-cropped, so scores can be averaged per video.
 * Training clips may first be resized to a random short side ({@link ScaleJitter}), and their
 * windows restricted to non-overlapping clips ({@link ClipWindows#ALIGNED}).
 *
 * @param frames frames per clip (T)
 * @param stride frame step inside the window, at least 1
 * @param crop side of the square crop, at most the video's short side
 * @param windows where a training window may start; test windows are spread evenly either way
 */
public record ClipSampler(int frames, int stride, int crop, ClipWindows windows) {
  public ClipSampler {
    if (frames < 1 || stride < 1 || crop < 1) {
      throw new IllegalArgumentException("frames, stride and crop must be positive, got " + frames + ", " + stride
          + ", " + crop);
    }
    windows = windows == null ? ClipWindows.ANY : windows;
  }

  /** A sampler whose training windows start at any frame. */
  public ClipSampler(int frames, int stride, int crop) {
    this(frames, stride, crop, ClipWindows.ANY);
  }

  /** Frames the window spans in a video of {@code length} frames. */
  int window(int length) {
    return (int) Math.min(length, (long) frames * stride);
  }

  /** Frame indices of the clip whose window starts at {@code start}: the window's T evenly spaced frames. */
  int[] indices(int length, int start) {
    int window = window(length);
    if (start < 0 || start + window > length) {
      throw new IllegalArgumentException("window of " + window + " frames at " + start + " outside " + length);
    }
    int[] idx = new int[frames];
    for (int j = 0; j < frames; j++) {
      idx[j] = start + (int) (((2L * j + 1) * window) / (2L * frames));
    }
    return idx;
  }

  /**
   * The start of a training window from one draw of {@code rng}: any frame at which the window
   * fits, or with {@link ClipWindows#ALIGNED} a multiple of the window's length, which makes the
   * possible windows the video's non-overlapping clips (a video shorter than one window has one,
   * at 0; frames after the last whole clip are never used, as in cutting a video into clips).
   */
  int trainStart(int length, SplittableRandom rng) {
    int window = window(length);
    if (windows == ClipWindows.ANY) {
      return Seeds.below(rng, length - window + 1);
    }
    return window * Seeds.below(rng, length / window);
  }

  /** Window starts of {@code count} test clips, spread evenly from the first to the last possible one. */
  int[] testStarts(int length, int count) {
    int last = length - window(length);
    int[] starts = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = count == 1 ? last / 2 : (int) Math.round((double) i * last / (count - 1));
    }
    return starts;
  }

  /**
   * Where a training clip comes from: its frames resized so the short side is {@code side} (0: as
   * decoded), the window starting at frame {@code start}, the crop's top-left corner in the
   * resized frames and whether it is mirrored.
   */
  record Placement(int side, int start, int y0, int x0, boolean flip) {}

  /**
   * A random placement in {@code video}: with {@code jitter} (null for none) the short side is drawn
   * first, then the window, the crop and the flip, each from one draw of {@code rng}; without it the
   * draws are those clips have always taken, so unjittered clips stay as they were.
   */
  Placement place(DecodedVideo video, ScaleJitter jitter, SplittableRandom rng) {
    int side = jitter == null ? 0 : jitter.draw(rng);
    int[] size = scaled(video, side);
    checkFits(size[0], size[1]);
    int start = trainStart(video.length(), rng);
    int y0 = Seeds.below(rng, size[0] - crop + 1);
    int x0 = Seeds.below(rng, size[1] - crop + 1);
    boolean flip = rng.nextLong() < 0;
    return new Placement(side, start, y0, x0, flip);
  }

  /** A random training clip, {@code C×T×crop×crop} bytes, with no scale jitter. */
  byte[] trainClip(DecodedVideo video, SplittableRandom rng) {
    return trainClip(video, null, rng);
  }

  /** A random training clip ({@link #place}), {@code C×T×crop×crop} bytes. */
  byte[] trainClip(DecodedVideo video, ScaleJitter jitter, SplittableRandom rng) {
    return cut(video, place(video, jitter, rng));
  }

  /** The clip at {@code p}; only the clip's own frames are resized. */
  byte[] cut(DecodedVideo video, Placement p) {
    int[] idx = indices(video.length(), p.start());
    int[] size = scaled(video, p.side());
    if (size[0] == video.height() && size[1] == video.width()) {
      return cut(video, idx, p.y0(), p.x0(), p.flip());
    }
    int[] own = new int[frames];
    for (int t = 0; t < frames; t++) {
      own[t] = t;
    }
    return cut(video.resized(idx, size[0], size[1]), own, p.y0(), p.x0(), p.flip());
  }

  /** Frame size after resizing the short side to {@code side}; the decoded size for 0. */
  private static int[] scaled(DecodedVideo video, int side) {
    return side == 0 ? new int[] {video.height(), video.width()}
        : VideoFolderLoader.resized(video.height(), video.width(), side);
  }

  /**
   * {@code count} test clips, in window order, each as {@code crops} views: the centre crop (1), or
   * crops at the start, centre and end of the long side (3), short side centred.
   */
  List<byte[]> testClips(DecodedVideo video, int count, int crops) {
    checkFits(video);
    List<byte[]> clips = new ArrayList<>();
    int cy = (video.height() - crop) / 2;
    int cx = (video.width() - crop) / 2;
    boolean wide = video.width() >= video.height();
    int span = wide ? video.width() - crop : video.height() - crop;
    for (int start : testStarts(video.length(), count)) {
      int[] idx = indices(video.length(), start);
      if (crops == 1) {
        clips.add(cut(video, idx, cy, cx, false));
        continue;
      }
      for (int along : new int[] {0, span / 2, span}) {
        clips.add(cut(video, idx, wide ? cy : along, wide ? along : cx, false));
      }
    }
    return clips;
  }

  private void checkFits(DecodedVideo video) {
    checkFits(video.height(), video.width());
  }

  private void checkFits(int height, int width) {
    if (height < crop || width < crop) {
      throw new IllegalArgumentException("a " + crop + "×" + crop + " crop does not fit frames of " + height + "×"
          + width);
    }
  }

  /** Frames {@code idx} cropped at (y0, x0), laid out channels first then frames ({@code C×T×H×W}). */
  private byte[] cut(DecodedVideo video, int[] idx, int y0, int x0, boolean flip) {
    int c = video.channels();
    int h = video.height();
    int w = video.width();
    byte[] out = new byte[c * frames * crop * crop];
    for (int ch = 0; ch < c; ch++) {
      for (int t = 0; t < frames; t++) {
        byte[] frame = video.frames().get(idx[t]);
        int dst = (ch * frames + t) * crop * crop;
        for (int y = 0; y < crop; y++) {
          int src = (ch * h + y0 + y) * w + x0;
          int row = dst + y * crop;
          if (flip) {
            for (int x = 0; x < crop; x++) {
              out[row + x] = frame[src + crop - 1 - x];
            }
          } else {
            System.arraycopy(frame, src, out, row, crop);
          }
        }
      }
    }
    return out;
  }
}
