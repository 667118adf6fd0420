package dev.nas.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import org.junit.jupiter.api.Test;

/**
 * The GPU path: without a CUDA GPU, asking for one fails at once with the reason; with one, a
 * network runs there and agrees with the CPU. The second test is skipped (with the reason) on
 * machines without a GPU, such as CI.
 */
class GpuTest {
  private static int gpus() {
    NativeRuntime.init();
    return Engine.getEngine("PyTorch").getGpuCount();
  }

  @Test
  void askingForAMissingGpuFailsClearly() {
    assumeTrue(gpus() == 0, "a GPU is present; the missing-GPU message cannot be observed here");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Devices.parse("gpu"));
    assertTrue(e.getMessage().contains("no CUDA GPU") && e.getMessage().contains("--device cpu")
        && e.getMessage().contains("driver"), e.getMessage());
    assertEquals(Device.cpu(), Devices.parse("cpu"));
    assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
  }

  @Test
  void networkOnGpuMatchesCpu() {
    assumeTrue(gpus() > 0, "no CUDA GPU visible to libtorch (CPU build of libtorch, or no NVIDIA driver); build with "
        + "-Pcuda on a GPU machine to run this test");
    Graph g = NetworkBuilder.build(Genotypes.named("DARTS_V2"),
        new MacroConfig(MacroConfig.Kind.CIFAR, 8, 5, 10, FeatureShape.of(3, 16, 16), false), Preprocessing.identity(3));
    try (Parameters cpu = new Parameters(Device.cpu(), DataType.FLOAT32);
        Parameters gpu = new Parameters(Device.gpu(), DataType.FLOAT32);
        NDManager m = NDManager.newBaseManager(Device.cpu())) {
      cpu.init(g.params(), 1);
      gpu.init(g.params(), 1);
      NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 16, 16));
      GraphExecutor exec = new GraphExecutor(g);
      float[] a = exec.apply(cpu, x, ExecContext.inference()).toFloatArray();
      float[] b = exec.apply(gpu, x.toDevice(Device.gpu(), true), ExecContext.inference())
          .toDevice(Device.cpu(), false).toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-3, "logit " + i);
      }
    }
  }
}
