package dev.nas.core.graph;

import java.util.List;

/**
 * A tensor a layer owns, named as in PyTorch ({@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var}) so that checkpoints read naturally to anyone who knows that convention.
 */
public record ParamSpec(String name, List<Integer> shape, Role role, int fanIn) {
  /** What the tensor is for; decides its initial value and whether it is learned. */
  public enum Role {
    /** Learned; initialised uniformly in ±1/√fanIn (PyTorch's default for conv and linear). */
    UNIFORM_FAN_IN,
    /** Learned; starts at one (BN scale). */
    ONES,
    /** Learned; starts at zero (BN shift). */
    ZEROS,
    /** Running mean: a buffer, starts at zero. */
    RUNNING_MEAN,
    /** Running variance: a buffer, starts at one. */
    RUNNING_VAR;

    public boolean trainable() {
      return this != RUNNING_MEAN && this != RUNNING_VAR;
    }
  }

  public ParamSpec {
    shape = List.copyOf(shape);
  }

  public long numel() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  public boolean trainable() {
    return role.trainable();
  }
}
