package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.ExecContext;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.TensorProto;
import dev.nas.search.cdarts.CdartsLosses;
import dev.nas.search.cdarts.EvalNet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained CDARTS E-Net, written as a network folder (stage heads left out) and exported, computes
 * in ONNX Runtime what the E-Net computes in DJL: max |ORT − DJL| ≤ 1e-4 on the logits.
 */
class CdartsEnetParityTest {
  @Test
  void exportedEnetMatchesDjl(@TempDir Path tmp) throws Exception {
    FeatureShape input = FeatureShape.of(3, 16, 16);
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.CIFAR, 8, 5, 4, input, false);
    Preprocessing pre = new Preprocessing(List.of(0.5f, 0.4f, 0.3f), List.of(0.25f, 0.2f, 0.3f), "RGB");
    NetworkSpec spec = new NetworkSpec(Genotypes.named("DARTS_V2"), macro, pre, List.of("a", "b", "c", "d"),
        Map.of());
    float[] x = DjlParityTest.randomInput(input, 2, 17, 0, 1);
    long[] shape = input.withBatch(2);
    float[] djl;
    try (EvalNet enet = EvalNet.create(spec, Device.cpu(), 3, 0.9, 3e-4);
        NDManager m = NDManager.newBaseManager()) {
      // a few training steps: BN running statistics and weights move away from their initial values
      float[] train = DjlParityTest.randomInput(input, 8, 5, 0, 1);
      NDArray xb = m.create(train, new Shape(input.withBatch(8)));
      NDArray yb = m.create(new long[] {0, 1, 2, 3, 0, 1, 2, 3});
      for (int i = 0; i < 3; i++) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(CdartsLosses.multiLevelCrossEntropy(enet.forward(xb, ExecContext.search()), yb));
        }
        enet.optimizer().step(enet.params(), enet.weights(), 0.05);
      }
      djl = enet.logits(m.create(x, new Shape(shape)), ExecContext.inference()).toFloatArray();
      enet.write(tmp.resolve("enet"), Map.of("search", "cdarts"));
    }
    NetworkFolder folder = NetworkFolder.read(tmp.resolve("enet"));
    ModelProto model = OnnxExporter.export(folder.spec(), folder.graph(), folder.inferenceWeights());
    for (TensorProto t : model.getGraph().getInitializerList()) {
      assertFalse(t.getName().startsWith(EvalNet.HEAD_PREFIX + "."), "stage head exported: " + t.getName());
    }
    Ort.Output ort = Ort.run(model, x, shape);
    assertArrayEquals(new long[] {2, 4}, ort.shape());
    double max = 0;
    double maxOut = 0;
    for (int i = 0; i < djl.length; i++) {
      max = Math.max(max, Math.abs(ort.data()[i] - djl[i]));
      maxOut = Math.max(maxOut, Math.abs(djl[i]));
    }
    System.out.printf("CDARTS E-Net (DARTS_V2, C8, 5 cells, 16x16): max |ORT - DJL| = %.3e, max |out| = %.4f%n", max,
        maxOut);
    assertTrue(maxOut > 0, "logits are all zero");
    assertTrue(max <= 1e-4, "max |ORT - DJL| = " + max);
  }
}
