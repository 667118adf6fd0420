package dev.nas.export.onnx;

import dev.nas.core.graph.Graph;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.io.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test fixture: seeded random weights for every tensor of a graph (auxiliary head included), so
 * parity and export tests see every operand matter. Unlike a fresh initialisation, batch-norm
 * scales, shifts and running statistics are drawn too. Shared with other modules' tests through
 * this module's test jar.
 */
public final class RandomWeights {
  private RandomWeights() {}

  /** Weights for all of {@code graph}'s tensors, the same for the same seed. */
  public static Map<String, Tensor> of(Graph graph, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (NamedParam p : graph.params()) {
      float[] data = new float[Math.toIntExact(p.spec().numel())];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) switch (p.spec().role()) {
          // PyTorch's default range for conv and linear layers keeps activations of unit scale.
          case UNIFORM_FAN_IN -> random.nextDouble(-1, 1) / Math.sqrt(p.spec().fanIn());
          case ONES, RUNNING_VAR -> random.nextDouble(0.5, 1.5);
          case ZEROS, RUNNING_MEAN -> random.nextDouble(-0.1, 0.1);
        };
      }
      out.put(p.name(), new Tensor(p.spec().shape(), data));
    }
    return out;
  }
}
