package dev.nas.search.cost;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the expected cost E of the derived network enters the architecture step's loss L, for a
 * target T. Only the architecture parameters see it: the weights are trained on L alone.
 */
public enum CostPenalty {
  /**
   * {@code L · (log E / log T)^β} (FBNet, Wu et al. 2019, Eq. 5, as a ratio to the target as in
   * ProxylessNAS' multiplicative form); default β = 0.6 (FBNet's). Always active: it keeps
   * rewarding cheaper networks below the target, more weakly.
   */
  MUL_LOG(0.6),
  /**
   * {@code L + λ · max(0, E/T − 1)}: a hinge that is silent once the expected cost is within the
   * target (an additive latency loss as ProxylessNAS' Eq. 8, made relative to the target); default λ = 1.
   */
  ADD_LINEAR(1),
  /** {@code L + λ · |E/T − 1|}: the symmetric form, which pulls the cost towards the target from both sides; λ = 1. */
  ADD_SYMMETRIC(1);

  private final double defaultWeight;

  CostPenalty(double defaultWeight) {
    this.defaultWeight = defaultWeight;
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @JsonCreator
  public static CostPenalty parse(String id) {
    for (CostPenalty p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("--cost-penalty must be mul-log, add-linear or add-symmetric, not '" + id + "'");
  }

  /** β of {@link #MUL_LOG}, λ of the additive forms, when {@code --cost-weight} is not given. */
  public double defaultWeight() {
    return defaultWeight;
  }

  /**
   * The penalised loss for expected cost {@code expected} (a scalar, in the metric's unit) against
   * {@code target}; {@code logUnit} scales both before the logarithm of {@link #MUL_LOG}.
   */
  public NDArray apply(NDArray loss, NDArray expected, double target, double weight, double logUnit) {
    return switch (this) {
      case MUL_LOG -> {
        NDArray ratio = expected.mul(logUnit).log().div(Math.log(target * logUnit));
        yield loss.mul(ratio.pow(weight));
      }
      case ADD_LINEAR -> loss.add(expected.div(target).sub(1).maximum(0).mul(weight));
      case ADD_SYMMETRIC -> loss.add(expected.div(target).sub(1).abs().mul(weight));
    };
  }
}
