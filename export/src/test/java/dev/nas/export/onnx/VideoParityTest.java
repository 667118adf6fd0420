package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.io.Tensor;
import dev.nas.core.ops.OpCatalog;
import dev.nas.core.ops.OpContext;
import dev.nas.core.ops.SearchSpace;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the video spaces, exported as a 5-D ONNX model, computes in ONNX Runtime
 * what the DJL executor computes (max |diff| ≤ {@value #TOLERANCE}, float32, inference mode) at
 * stride 1, at the S-reduction stride (1,2,2) and at the ST-reduction stride (2,2,2), on a 4×8×8
 * clip and, at (2,2,2), an odd 3×7×7 clip; each model also passes the official ONNX checker.
 */
class VideoParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final int CHANNELS = 4;
  private static final int BATCH = 2;
  private static final List<String> MEASURED = new ArrayList<>();

  static Set<String> videoOps() {
    Set<String> ops = new LinkedHashSet<>();
    for (String space : SearchSpace.names()) {
      if (SearchSpace.named(space).video()) {
        ops.addAll(SearchSpace.named(space).allOps());
      }
    }
    ops.remove(SearchSpace.NONE); // zeros: supernet-only, never exported
    return ops;
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String op : videoOps()) {
      cases.add(Arguments.of(op, List.of(1, 1, 1), FeatureShape.of(CHANNELS, 4, 8, 8)));
      cases.add(Arguments.of(op, List.of(1, 2, 2), FeatureShape.of(CHANNELS, 4, 8, 8)));
      cases.add(Arguments.of(op, List.of(2, 2, 2), FeatureShape.of(CHANNELS, 4, 8, 8)));
      cases.add(Arguments.of(op, List.of(2, 2, 2), FeatureShape.of(CHANNELS, 3, 7, 7)));
    }
    return cases.stream();
  }

  @Test
  void everyVideoSpaceOperationIsCovered() {
    Set<String> expected = new LinkedHashSet<>(List.of("skip_connect", "max_pool_3x3", "avg_pool_3x3", "sep_conv_3x3",
        "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5", "max_pool_3x3x3", "sep3d_conv_3x3x3", "sep3d_conv_3x5x5",
        "dil_sep3d_conv_3x3x3", "chan_scale", "chan_bias", "conv_3+3x3", "conv_3+1x1"));
    assertEquals(expected, new LinkedHashSet<>(videoOps()));
  }

  @ParameterizedTest(name = "{0}, stride {1}, {2}")
  @MethodSource("cases")
  void operation(String op, List<Integer> stride, FeatureShape in) throws Exception {
    GraphBuilder b = new GraphBuilder(in);
    int y = OpCatalog.build(b, op, "op", b.input(), new OpContext(CHANNELS, stride, true));
    // skip_connect at stride 1 is the input itself: a ReLU after it gives the graph a computed output.
    Graph g = b.build(y == b.input() ? b.add("out", new Layer.Relu(), y) : y);
    String label = String.format(Locale.ROOT, "%s s%s %s", op, stride, in);
    assertParity(label, g);
  }

  @Test
  void officialCheckerAcceptsAFiveDimensionalModelWithEveryNewLayer() {
    OnnxChecker.assumeAvailable();
    FeatureShape in = FeatureShape.of(CHANNELS, 4, 8, 8);
    GraphBuilder b = new GraphBuilder(in);
    int x = b.input();
    for (String op : List.of("sep3d_conv_3x5x5", "dil_sep3d_conv_3x3x3", "max_pool_3x3x3", "chan_scale",
        "chan_bias", "conv_3+3x3", "conv_3+1x1")) {
      x = OpCatalog.build(b, op, op, x, new OpContext(CHANNELS, List.of(1, 1, 1), true));
    }
    x = OpCatalog.build(b, "sep_conv_3x3", "reduce", x, new OpContext(CHANNELS, List.of(2, 2, 2), true));
    int gap = b.add("gap", new Layer.GlobalAvgPool(), x);
    Graph g = b.build(b.add("fc", new Layer.Linear(CHANNELS, 3, true), gap));
    ModelProto model = OnnxExporter.export(g, RandomWeights.of(g, 11), Map.of());
    OnnxChecker.check(model);
    List<String> ops = model.getGraph().getNodeList().stream().map(NodeProto::getOpType).distinct().toList();
    assertTrue(ops.containsAll(List.of("Sigmoid", "Unsqueeze", "Mul", "Add", "MaxPool", "Conv", "Sum")), ops.toString());
  }

  @AfterAll
  static void printTable() {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "ONNX Runtime vs DJL, video operations (%d channels, batch %d), tolerance %s%n%-48s %12s %10s%n",
        CHANNELS, BATCH, TOLERANCE, "case", "max |diff|", "max |out|"));
    synchronized (MEASURED) {
      MEASURED.forEach(r -> s.append(r).append('\n'));
    }
    System.out.print(s);
  }

  private static void assertParity(String label, Graph g) throws Exception {
    long seed = label.hashCode();
    Map<String, Tensor> weights = RandomWeights.of(g, seed);
    ModelProto model = OnnxExporter.export(g, weights, Map.of());
    if (OnnxChecker.available()) {
      OnnxChecker.check(model);
    }
    long[] shape = g.inputShape().withBatch(BATCH);
    float[] x = DjlParityTest.randomInput(g.inputShape(), BATCH, seed, -2, 2);
    Ort.Output ort = Ort.run(model, x, shape);
    Ort.Output djl = DjlParityTest.runDjl(g, weights, x, shape);
    assertArrayEquals(g.node(g.output()).shape().withBatch(BATCH), ort.shape(), label + ": ONNX Runtime shape");
    assertArrayEquals(ort.shape(), djl.shape(), label + ": DJL shape");
    double maxDiff = 0;
    double maxOut = 0;
    for (int i = 0; i < ort.data().length; i++) {
      assertTrue(Float.isFinite(ort.data()[i]) && Float.isFinite(djl.data()[i]), label + ": non-finite at " + i);
      maxDiff = Math.max(maxDiff, Math.abs((double) ort.data()[i] - djl.data()[i]));
      maxOut = Math.max(maxOut, Math.abs(djl.data()[i]));
    }
    synchronized (MEASURED) {
      MEASURED.add(String.format(Locale.ROOT, "%-48s %12.3e %10.4f", label, maxDiff, maxOut));
    }
    assertTrue(maxOut > 0, label + ": output is all zeros, the comparison would prove nothing");
    assertTrue(maxDiff <= TOLERANCE, label + ": max |ORT - DJL| = " + maxDiff);
  }
}
