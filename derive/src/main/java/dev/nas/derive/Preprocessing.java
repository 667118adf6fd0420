package dev.nas.derive;

import java.util.List;

/**
 * How raw inputs reach the network: pixels scaled to [0, 1] in channel order {@code channels},
 * then {@code (x - mean) / std} per channel. The normalisation is part of the network graph (and
 * so of exported models); only the scaling to [0, 1] is the caller's job.
 */
public record Preprocessing(List<Float> mean, List<Float> std, String channels) {
  public Preprocessing {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (mean.size() != std.size()) {
      throw new IllegalArgumentException("preprocessing mean and std differ in length");
    }
  }

  /** No normalisation for {@code c} channels. */
  public static Preprocessing identity(int c) {
    return new Preprocessing(java.util.Collections.nCopies(c, 0f), java.util.Collections.nCopies(c, 1f),
        c == 1 ? "L" : c == 3 ? "RGB" : c + "-channel");
  }

  public String describe() {
    return "pixels scaled to [0,1], " + channels + ", then (x - mean) / std per channel inside the model"
        + " (mean=" + mean + ", std=" + std + ")";
  }
}
