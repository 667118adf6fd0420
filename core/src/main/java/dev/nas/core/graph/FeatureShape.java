package dev.nas.core.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Shape of one sample's feature map, without the batch dimension: {@code C×H×W} for images,
 * {@code C×T×H×W} for clips, {@code C} for feature vectors.
 */
public record FeatureShape(int channels, List<Integer> spatial) {
  public FeatureShape {
    if (channels <= 0) {
      throw new IllegalArgumentException("channels must be positive, got " + channels);
    }
    spatial = List.copyOf(spatial);
    for (int s : spatial) {
      if (s <= 0) {
        throw new IllegalArgumentException("spatial size must be positive, got " + spatial);
      }
    }
  }

  public static FeatureShape of(int channels, int... spatial) {
    List<Integer> s = new ArrayList<>();
    for (int v : spatial) {
      s.add(v);
    }
    return new FeatureShape(channels, s);
  }

  /** Rank of image inputs, {@code C×H×W}: two spatial dimensions. */
  public static final int IMAGE = 2;
  /** Rank of clip inputs, {@code C×T×H×W}: time and two spatial dimensions. */
  public static final int CLIP = 3;

  /**
   * Parses an input size given without knowing what the model takes: {@code CxHxW} is an image
   * and {@code 1xCxTxHxW} a clip (the batch, if written, must be 1). Four numbers are refused as
   * ambiguous ({@code 1xCxHxW} or {@code CxTxHxW}); where the rank is known, use
   * {@link #parse(String, int)}, which reads them by that rank.
   */
  public static FeatureShape parse(String text) {
    List<Integer> dims = numbers(text);
    return switch (dims.size()) {
      case 3 -> parse(text, IMAGE);
      case 5 -> parse(text, CLIP);
      case 4 -> throw new IllegalArgumentException("input shape '" + text + "' is ambiguous: four numbers are "
          + "1xCxHxW for an image model and CxTxHxW for a clip model; write CxHxW (e.g. 3x224x224) for an image or "
          + "1xCxTxHxW (e.g. 1x3x16x112x112) for a clip");
      default -> throw new IllegalArgumentException("input shape '" + text + "' must be CxHxW (images) or "
          + "1xCxTxHxW (clips)");
    };
  }

  /**
   * Parses an input size for a model or data set of known {@code rank} ({@link #IMAGE} or
   * {@link #CLIP}). The sample size may carry a leading batch, which must be 1:
   * <ul>
   *   <li>images: {@code CxHxW} or {@code 1xCxHxW};
   *   <li>clips: {@code CxTxHxW} or {@code 1xCxTxHxW}.
   * </ul>
   * So four numbers are {@code 1xCxHxW} for an image model and {@code CxTxHxW} for a clip model.
   */
  public static FeatureShape parse(String text, int rank) {
    if (rank != IMAGE && rank != CLIP) {
      throw new IllegalArgumentException("an input rank is 2 (images) or 3 (clips), not " + rank);
    }
    List<Integer> dims = numbers(text);
    String what = rank == IMAGE ? "an image size, CxHxW or 1xCxHxW (e.g. 3x224x224)"
        : "a clip size, CxTxHxW or 1xCxTxHxW (e.g. 3x16x112x112)";
    if (dims.size() == rank + 2) {
      if (dims.get(0) != 1) {
        throw new IllegalArgumentException("input shape '" + text + "' has a batch of " + dims.get(0)
            + "; give one sample, " + what);
      }
      dims.remove(0);
    } else if (dims.size() != rank + 1) {
      throw new IllegalArgumentException("input shape '" + text + "' has " + dims.size() + " numbers; the model takes "
          + (rank == IMAGE ? "images" : "clips") + ", so give " + what);
    }
    return new FeatureShape(dims.get(0), dims.subList(1, dims.size()));
  }

  /**
   * Parses a per-sample size as {@link #toString()} writes it, without batch: {@code C},
   * {@code CxHxW} or {@code CxTxHxW}. For stored sizes (configuration and network files).
   */
  public static FeatureShape parseSample(String text) {
    List<Integer> dims = numbers(text);
    if (dims.size() == 2 || dims.size() > 4) {
      throw new IllegalArgumentException("sample shape '" + text + "' must be C, CxHxW or CxTxHxW");
    }
    return new FeatureShape(dims.get(0), dims.subList(1, dims.size()));
  }

  private static List<Integer> numbers(String text) {
    String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("[x×,]");
    List<Integer> dims = new ArrayList<>();
    try {
      for (String p : parts) {
        dims.add(Integer.parseInt(p.trim()));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("input shape '" + text + "' is not of the form 3x32x32");
    }
    return dims;
  }

  /** Number of spatial (and temporal) dimensions: 2 for images, 3 for clips, 0 for vectors. */
  public int rank() {
    return spatial.size();
  }

  public int spatial(int axis) {
    return spatial.get(axis);
  }

  /** Elements per sample. */
  public long numel() {
    long n = channels;
    for (int s : spatial) {
      n *= s;
    }
    return n;
  }

  public FeatureShape withChannels(int c) {
    return new FeatureShape(c, spatial);
  }

  /** Dimensions with a leading batch dimension. */
  public long[] withBatch(long batch) {
    long[] dims = new long[spatial.size() + 2];
    dims[0] = batch;
    dims[1] = channels;
    for (int i = 0; i < spatial.size(); i++) {
      dims[i + 2] = spatial.get(i);
    }
    return dims;
  }

  @Override
  public String toString() {
    if (spatial.isEmpty()) {
      return Integer.toString(channels);
    }
    return channels + "x" + spatial.stream().map(String::valueOf).collect(Collectors.joining("x"));
  }
}
