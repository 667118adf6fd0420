package dev.nas.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves that the DJL executor's average pooling leaves the padding out of each window's count
 * (DARTS' {@code count_include_pad=False}, the ONNX export's {@code count_include_pad=0}), values
 * worked out by hand on small maps holding 0, 1, 2, ..., and that its gradient is the exact adjoint.
 */
class GraphExecutorPoolTest {
  private static float[] run(Graph g, float[] x, long... shape) {
    try (Parameters p = new Parameters(Device.cpu(), DataType.FLOAT32);
        NDManager m = p.manager().newSubManager()) {
      NDArray y = new GraphExecutor(g).apply(p, m.create(x, new Shape(shape)), ExecContext.inference());
      return y.toFloatArray();
    }
  }

  private static float[] ramp(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }

  @Test
  void paddedAveragePoolDividesByRealInputsOnly() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(1, 4, 4));
    Graph g = b.build(b.add("pool", new Layer.Pool(Layer.Pool.Kind.AVG, List.of(3, 3), List.of(1, 1), List.of(1, 1)),
        b.input()));
    float[] y = run(g, ramp(16), 1, 1, 4, 4);
    assertEquals((0 + 1 + 4 + 5) / 4f, y[0], 1e-6, "corner: 4 real pixels");
    assertEquals((0 + 1 + 2 + 4 + 5 + 6) / 6f, y[1], 1e-6, "edge: 6 real pixels");
    assertEquals((0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10) / 9f, y[5], 1e-6, "interior: 9 pixels");
    assertEquals((10 + 11 + 14 + 15) / 4f, y[15], 1e-6);
  }

  @Test
  void stridedPaddedAveragePoolOnOddSize() {
    // 5x5 map, stride 2: outputs at rows/cols 0, 2, 4; windows at the borders hold 2 real rows/cols.
    GraphBuilder b = new GraphBuilder(FeatureShape.of(1, 5, 5));
    Graph g = b.build(b.add("pool", new Layer.Pool(Layer.Pool.Kind.AVG, List.of(3, 3), List.of(2, 2), List.of(1, 1)),
        b.input()));
    float[] y = run(g, ramp(25), 1, 1, 5, 5);
    assertArrayEquals(new float[] {3, 4.5f, 6, 10.5f, 12, 13.5f, 18, 19.5f, 21}, y, 1e-5f);
  }

  @Test
  void unpaddedAveragePoolIsThePlainMean() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(1, 4, 4));
    Graph g = b.build(b.add("pool", new Layer.Pool(Layer.Pool.Kind.AVG, List.of(2, 2), List.of(2, 2), List.of(0, 0)),
        b.input()));
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, run(g, ramp(16), 1, 1, 4, 4), 1e-6f);
  }

  @Test
  void gradientIsTheExactAdjointOfThePooling() {
    // The pooling is linear, so L(x) = sum(u * pool(x)) has a constant gradient g with g_i = L(e_i).
    // float64, stride 2 on an odd size, so every kind of border window takes part.
    int h = 5;
    int w = 7;
    GraphBuilder b = new GraphBuilder(FeatureShape.of(1, h, w));
    Graph g = b.build(b.add("pool", new Layer.Pool(Layer.Pool.Kind.AVG, List.of(3, 3), List.of(2, 2), List.of(1, 1)),
        b.input()));
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    double[] u = new double[3 * 4];
    for (int i = 0; i < u.length; i++) {
      u[i] = random.nextDouble(-1, 1);
    }
    double[] x = new double[h * w];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble(-1, 1);
    }
    try (Parameters p = new Parameters(Device.cpu(), DataType.FLOAT64);
        NDManager m = p.manager().newSubManager();
        ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
      GraphExecutor exec = new GraphExecutor(g);
      NDArray weights = m.create(u, new Shape(1, 1, 3, 4));
      NDArray input = m.create(x, new Shape(1, 1, h, w));
      input.setRequiresGradient(true);
      collector.backward(exec.apply(p, input, ExecContext.search()).mul(weights).sum());
      double[] grad = input.getGradient().toDoubleArray();
      for (int i = 0; i < h * w; i++) {
        double[] basis = new double[h * w];
        basis[i] = 1;
        NDArray y = exec.apply(p, m.create(basis, new Shape(1, 1, h, w)), ExecContext.inference());
        assertEquals(y.mul(weights).sum().getDouble(), grad[i], 1e-12, "input element " + i);
      }
    }
  }

  @Test
  void gradientReachesTheInputThroughTheRescaling() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(1, 3, 3));
    Graph g = b.build(b.add("pool", new Layer.Pool(Layer.Pool.Kind.AVG, List.of(3, 3), List.of(1, 1), List.of(1, 1)),
        b.input()));
    try (Parameters p = new Parameters(Device.cpu(), DataType.FLOAT32);
        NDManager m = p.manager().newSubManager();
        ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
      NDArray x = m.create(ramp(9), new Shape(1, 1, 3, 3));
      x.setRequiresGradient(true);
      NDArray y = new GraphExecutor(g).apply(p, x, ExecContext.search());
      collector.backward(y.sum());
      // d(sum of outputs)/d(centre pixel): it lies in all 9 windows, of 4, 6 or 9 real pixels.
      float expected = 4 * (1 / 4f) + 4 * (1 / 6f) + 1 / 9f;
      assertEquals(expected, x.getGradient().toFloatArray()[4], 1e-6);
    }
  }
}
