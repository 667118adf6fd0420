package dev.nas.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A network run channels-last computes what it computes in NCHW order: logits, every weight's
 * gradient and the batch-norm running statistics, within float rounding (oneDNN sums in
 * another order).
 */
class ChannelsLastTest {
  private static final FeatureShape INPUT = FeatureShape.of(3, 8, 8);

  private static Graph network(int channels) {
    MacroConfig m = new MacroConfig(MacroConfig.Kind.CIFAR, channels, 3, 4, INPUT, true);
    return NetworkBuilder.build(Genotypes.named("DARTS_V2"), m, Preprocessing.identity(3));
  }

  /** Logits, then each learned tensor's gradient and each buffer, by name. */
  private static Map<String, float[]> trainStep(Graph g, boolean channelsLast) {
    Map<String, float[]> out = new TreeMap<>();
    try (Parameters p = new Parameters(Device.cpu(), DataType.FLOAT32);
        NDManager m = p.manager().newSubManager()) {
      p.init(g.params(), 9);
      SplittableRandom r = new SplittableRandom(4);
      float[] x = new float[(int) (4 * INPUT.numel())];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      GraphExecutor exec = new GraphExecutor(g, channelsLast);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        GraphExecutor.Outputs y = exec.forward(p, m.create(x, new Shape(INPUT.withBatch(4))),
            new ExecContext(true, 0, null));
        out.put(" logits", y.logits().toFloatArray());
        gc.backward(y.logits().square().sum().add(y.aux().sum()));
      }
      p.learned().forEach((k, v) -> out.put(k + ".grad", v.getGradient().toFloatArray()));
      for (var n : g.params()) {
        if (!n.spec().trainable()) {
          out.put(n.name(), p.get(n.name()).toFloatArray());
        }
      }
    }
    return out;
  }

  @Test
  void channelsLastComputesWhatNchwComputes() {
    Graph g = network(16);
    assertTrue(ChannelsLast.pays(List.of(g)), "16 channels and more run channels-last");
    Map<String, float[]> nchw = trainStep(g, false);
    Map<String, float[]> last = trainStep(g, true);
    assertEquals(nchw.keySet(), last.keySet());
    for (String k : nchw.keySet()) {
      float[] a = nchw.get(k);
      float[] b = last.get(k);
      double scale = 0;
      for (float v : a) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-4 * Math.max(scale, 1e-3), k + "[" + i + "]");
      }
    }
  }

  @Test
  void narrowNetworksAndClipsStayNchw() {
    assertFalse(ChannelsLast.pays(List.of(network(4))), "batch norm over 4 channels is slow channels-last");
  }
}
