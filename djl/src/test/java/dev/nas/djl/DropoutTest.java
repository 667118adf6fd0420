package dev.nas.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.Preprocessing;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Dropout before the classifier: active while training, seeded, absent at inference. */
class DropoutTest {
  private static final FeatureShape IN = FeatureShape.of(3, 8, 8);

  @Test
  void dropoutActsOnlyWhileTrainingAndRepeatsWithItsSeed() {
    MacroConfig plain = new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 5, IN, false);
    Graph without = NetworkBuilder.build(Genotypes.resolve("DARTS_V2"), plain, Preprocessing.identity(3));
    Graph with = NetworkBuilder.build(Genotypes.resolve("DARTS_V2"), plain.withDropout(0.5), Preprocessing.identity(3));
    assertTrue(with.nodes().stream().anyMatch(n -> n.layer() instanceof Layer.Dropout d && d.rate() == 0.5));
    assertFalse(without.nodes().stream().anyMatch(n -> n.layer() instanceof Layer.Dropout));
    assertEquals(without.params().size(), with.params().size(), "dropout has no tensors");
    try (Parameters p = new Parameters(Device.cpu(), DataType.FLOAT32); NDManager m = NDManager.newBaseManager()) {
      p.init(with.params(), 1);
      NDArray x = m.randomUniform(0, 1, new Shape(4, 3, 8, 8));
      float[] inferenceWith = new GraphExecutor(with).apply(p, x, ExecContext.inference()).toFloatArray();
      float[] inferenceWithout = new GraphExecutor(without).apply(p, x, ExecContext.inference()).toFloatArray();
      assertArrayEquals(inferenceWithout, inferenceWith, "identity at inference");
      float[] a = new GraphExecutor(with).apply(p, x, ExecContext.training(0, new SplittableRandom(3))).toFloatArray();
      float[] b = new GraphExecutor(with).apply(p, x, ExecContext.training(0, new SplittableRandom(3))).toFloatArray();
      float[] plainTraining = new GraphExecutor(without).apply(p, x, ExecContext.training(0, new SplittableRandom(3)))
          .toFloatArray();
      assertArrayEquals(a, b, "the same seed drops the same elements");
      assertFalse(java.util.Arrays.equals(a, plainTraining), "while training, dropout changes the logits");
    }
    NetworkSpec spec = NetworkSpec.of(Genotypes.resolve("DARTS_V2"), plain.withDropout(0.4));
    assertEquals(0.4, NetworkSpec.fromTree(spec.toTree()).macro().dropout());
    assertFalse(NetworkSpec.of(Genotypes.resolve("DARTS_V2"), plain).toTree().path("macro").has("dropout"),
        "networks without dropout describe themselves as before");
  }
}
