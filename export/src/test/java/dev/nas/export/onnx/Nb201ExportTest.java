package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.proto.ModelProto;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Derived NAS-Bench-201 networks (residual blocks, BN–ReLU head, cells that output their last node,
 * kept zero edges, a node whose every edge is zero, dead nodes) export and compute in ONNX Runtime
 * what the reference executor computes, sample by sample.
 */
class Nb201ExportTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
      "|none~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|",
      "|nor_conv_1x1~0|+|none~0|none~1|+|avg_pool_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
      "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|"})
  void exportsAndMatchesTheReference(String arch) throws Exception {
    Genotype g = Genotypes.parse(arch);
    MacroConfig m = new MacroConfig(MacroConfig.Kind.NB201, 4, 3, 10, FeatureShape.of(3, 8, 8), false);
    NetworkSpec spec = NetworkSpec.of(g, m);
    Graph net = NetworkBuilder.build(spec);
    Map<String, Tensor> weights = RandomWeights.of(net, 3);
    ModelProto model = OnnxExporter.export(spec, net, weights);
    if (OnnxChecker.available()) {
      OnnxChecker.check(model);
    }
    float[] x = new float[2 * 3 * 8 * 8];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    Ort.Output y = Ort.run(model, x, new long[] {2, 3, 8, 8});
    new ReferenceExecutor(net, weights).assertMatchesEverySample(x, y.data(), 10, 1e-4, arch);
    assertEquals(List.of(2L, 10L), java.util.Arrays.stream(y.shape()).boxed().toList());
  }
}
