package dev.nas.search;

/** A weighted mean accumulated step by step (per-sample losses and accuracies of an epoch); NaN while empty. */
public final class RunningMean {
  private double sum;
  private double weight;

  /** Adds {@code value} with weight {@code w} (e.g. a batch's mean loss and its sample count). */
  public void add(double value, double w) {
    sum += value * w;
    weight += w;
  }

  /** Adds a total already weighted (e.g. a batch's number of correct predictions) and its weight. */
  public void addTotal(double total, double w) {
    sum += total;
    weight += w;
  }

  public double mean() {
    return weight == 0 ? Double.NaN : sum / weight;
  }

  /** The total weight so far (e.g. samples seen). */
  public double weight() {
    return weight;
  }

  public double sum() {
    return sum;
  }
}
