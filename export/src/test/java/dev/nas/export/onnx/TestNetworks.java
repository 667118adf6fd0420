package dev.nas.export.onnx;

import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.Preprocessing;
import java.util.List;
import java.util.Map;

/** Small derived networks that export and run in well under a second. */
final class TestNetworks {
  private TestNetworks() {}

  /** DARTS_V2 in a CIFAR macro of {@code cells} cells, C=4, on 3x16x16, with the auxiliary head. */
  static NetworkSpec tinyDarts(int cells) {
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.CIFAR, 4, cells, 10, FeatureShape.of(3, 16, 16), true);
    List<String> names = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
        "truck");
    Preprocessing pre = new Preprocessing(List.of(0.4914f, 0.4822f, 0.4465f), List.of(0.2470f, 0.2435f, 0.2616f),
        "RGB");
    return new NetworkSpec(Genotypes.named("DARTS_V2"), macro, pre, names, Map.of("dataset", "cifar10"));
  }
}
