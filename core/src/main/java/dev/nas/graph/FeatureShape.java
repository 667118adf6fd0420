package dev.nas.graph;

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

  /** Parses {@code 3x32x32}, {@code 1x3x224x224} (a leading batch of 1 is dropped) or {@code 10}. */
  public static FeatureShape parse(String text) {
    String[] parts = text.trim().toLowerCase().split("[x×,]");
    List<Integer> dims = new ArrayList<>();
    try {
      for (String p : parts) {
        dims.add(Integer.parseInt(p.trim()));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("input shape '" + text + "' is not of the form 3x32x32");
    }
    if (dims.size() >= 4 && dims.get(0) == 1) {
      dims.remove(0);
    } else if (dims.size() >= 4) {
      throw new IllegalArgumentException(
          "input shape '" + text + "' has a batch of " + dims.get(0) + "; give one sample, e.g. 1x3x224x224");
    }
    if (dims.size() < 3 || dims.size() > 4) {
      throw new IllegalArgumentException(
          "input shape '" + text + "' must be CxHxW (images) or CxTxHxW (clips), optionally with a leading 1");
    }
    return new FeatureShape(dims.get(0), dims.subList(1, dims.size()));
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
