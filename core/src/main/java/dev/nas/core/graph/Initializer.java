package dev.nas.core.graph;

import dev.nas.core.io.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Initial values of a network's tensors, as PyTorch initialises its layers: conv and linear
 * weights and biases uniform in ±1/√fanIn, BN scale 1, shift 0, running mean 0, variance 1.
 * A tensor's values depend only on the seed and its name, so a tensor starts the same in a
 * supernet and in any network derived from it, whatever order they are built in.
 */
public final class Initializer {
  private Initializer() {}

  public static float[] values(ParamSpec spec, long seed, String name) {
    float[] v = new float[Math.toIntExact(spec.numel())];
    switch (spec.role()) {
      case ONES, RUNNING_VAR -> Arrays.fill(v, 1f);
      case ZEROS, RUNNING_MEAN -> { }
      case UNIFORM_FAN_IN -> {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        double bound = 1.0 / Math.sqrt(Math.max(1, spec.fanIn()));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
      }
      default -> throw new IllegalStateException("unhandled role " + spec.role());
    }
    return v;
  }

  /** Initial values of every tensor of {@code graph} (auxiliary head included). */
  public static Map<String, Tensor> of(Graph graph, long seed) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (NamedParam p : graph.params()) {
      out.put(p.name(), new Tensor(p.spec().shape(), values(p.spec(), seed, p.name())));
    }
    return out;
  }
}
