package dev.nas.search.cdarts;

/**
 * λ' of CDARTS' skip-connection penalty: {@code start} at the first search epoch, decaying linearly
 * to 0 at 2/3 of the search epochs and 0 after (the paper: 5 → 0 over the first 20 of 30 epochs, on
 * ImageNet after 10 epochs of weight-only pre-training). Constant within an epoch.
 */
public record SkipDecay(double start, int epochs) {
  public SkipDecay {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be positive");
    }
  }

  /** λ' during 0-based {@code epoch}. */
  public double at(int epoch) {
    double span = 2.0 * epochs / 3.0;
    return start * Math.max(0, 1 - epoch / span);
  }
}
