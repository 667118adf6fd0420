package dev.nas.export.onnx;

import static dev.nas.core.genotype.TestGenotypes.cycling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.GenotypeValidator;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.graph.ParamSpec;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.CellPlan;
import dev.nas.core.macro.MacroBlocks;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.Blocks;
import dev.nas.core.ops.OpCatalog;
import dev.nas.core.ops.OpContext;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Parameters;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that an exported model computes in ONNX Runtime what the same graph computes in the DJL
 * (PyTorch) executor that searches and trains it: the largest absolute difference between the two,
 * in float32 and in inference mode, is at most {@value #TOLERANCE}. This holds for every operation
 * of the DARTS space at stride 1 and 2 on an odd and an even map size, for the cell preprocessing
 * blocks, both stems, the classifier and input normalisation, and for whole DARTS_V2 (CIFAR and
 * ImageNet macros), PC_DARTS and PDARTS networks. Weights are random and so are the batch-norm
 * running statistics, so that every operand of every layer takes part in the result.
 *
 * <p>The measured differences are printed as a table after the tests.
 */
class DjlParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final int CHANNELS = 8;
  private static final int OP_BATCH = 3;
  private static final int NETWORK_BATCH = 2;
  private static final List<Row> MEASURED = new ArrayList<>();

  /** What the table groups results by. */
  private enum Part {
    OPERATION("DARTS operations (8 channels, batch 3)"),
    BLOCK("cell preprocessing, stems, classifier, normalisation (batch 3)"),
    NETWORK("whole networks (batch 2, logits)");

    final String title;

    Part(String title) {
      this.title = title;
    }
  }

  /** One measured comparison: largest |ORT - DJL| and largest |output| for scale. */
  private record Row(Part part, String label, double maxDiff, double maxOut) {}

  static Stream<Arguments> catalogOperations() {
    List<Arguments> cases = new ArrayList<>();
    for (String op : SearchSpace.DARTS.ops()) {
      if (op.equals("none")) {
        continue;
      }
      for (int stride : new int[] {1, 2}) {
        for (int size : new int[] {9, 8}) {
          cases.add(Arguments.of(op, stride, size));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, stride {1}, {2}x{2}")
  @MethodSource("catalogOperations")
  void catalogOperation(String op, int stride, int size) throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(CHANNELS, size, size));
    int y = OpCatalog.build(b, op, "op", b.input(), new OpContext(CHANNELS, List.of(stride, stride), true));
    Graph g = b.build(y);
    int expected = stride == 1 ? size : (size + 1) / 2;
    assertEquals(FeatureShape.of(CHANNELS, expected, expected), g.node(g.output()).shape());
    assertParity(Part.OPERATION, String.format(Locale.ROOT, "%s s%d %dx%d", op, stride, size, size), g);
  }

  @Test
  void reluConvBn() throws Exception {
    for (int size : new int[] {9, 8}) {
      GraphBuilder b = new GraphBuilder(FeatureShape.of(2 * CHANNELS, size, size));
      int y = Blocks.reluConvBn(b, "pre1", b.input(), 2 * CHANNELS, CHANNELS, List.of(1, 1), List.of(1, 1),
          List.of(0, 0), true);
      assertParity(Part.BLOCK, "ReLUConvBN 16->8 " + size + "x" + size, b.build(y));
    }
  }

  @Test
  void factorizedReduce() throws Exception {
    for (int size : new int[] {9, 8}) {
      GraphBuilder b = new GraphBuilder(FeatureShape.of(12, size, size));
      int y = Blocks.factorizedReduce(b, "pre0", b.input(), 12, CHANNELS, List.of(2, 2), true);
      assertParity(Part.BLOCK, "FactorizedReduce 12->8 " + size + "x" + size, b.build(y));
    }
  }

  @Test
  void cellPreprocessingAfterReduction() throws Exception {
    // Both inputs of a cell that follows a reduction: FactorizedReduce on one, ReLUConvBN on the other.
    GraphBuilder b = new GraphBuilder(FeatureShape.of(12, 9, 9));
    int s1 = b.add("reduced", new Layer.Pool(Layer.Pool.Kind.MAX, List.of(3, 3), List.of(2, 2), List.of(1, 1)),
        b.input());
    CellPlan cell = new CellPlan(3, "normal", List.of(1, 1), List.of(2, 2), 12, 12, CHANNELS);
    int[] pre = MacroBlocks.preprocess(b, "cells.3", cell, b.input(), s1, true);
    int y = b.add("sum", new Layer.Sum(), pre[0], pre[1]);
    assertParity(Part.BLOCK, "preprocess after reduction 9x9", b.build(y));
  }

  @Test
  void cifarStem() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 9, 9));
    MacroBlocks.StemOutputs stem = MacroBlocks.stem(b, MacroConfig.Kind.CIFAR, b.input(), CHANNELS);
    assertParity(Part.BLOCK, "stem cifar 9x9", b.build(stem.prev()));
  }

  @Test
  void imagenetStem() throws Exception {
    for (boolean second : new boolean[] {false, true}) {
      GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 17, 17));
      MacroBlocks.StemOutputs stem = MacroBlocks.stem(b, MacroConfig.Kind.IMAGENET, b.input(), CHANNELS);
      int y = second ? stem.prev() : stem.prevPrev();
      assertParity(Part.BLOCK, "stem imagenet 17x17 " + (second ? "stem1" : "stem0"), b.build(y));
    }
  }

  @Test
  void classifier() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(4 * CHANNELS, 9, 9));
    assertParity(Part.BLOCK, "classifier 32ch 9x9", b.build(MacroBlocks.classifier(b, b.input(), 10)));
  }

  @Test
  void normalize() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 9, 8));
    int y = b.add("normalize", new Layer.Normalize(List.of(0.4914f, 0.4822f, 0.4465f),
        List.of(0.2470f, 0.2435f, 0.2616f)), b.input());
    assertParity(Part.BLOCK, "normalize 9x8", b.build(y));
  }

  @Test
  void dartsV2Cifar() throws Exception {
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.CIFAR, CHANNELS, 8, 10, FeatureShape.of(3, 32, 32), true);
    assertNetworkParity("DARTS_V2 cifar C8 L8 32x32", "DARTS_V2", macro, cifarPreprocessing());
  }

  @Test
  void dartsV2Imagenet() throws Exception {
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.IMAGENET, CHANNELS, 5, 10, FeatureShape.of(3, 64, 64),
        true);
    Preprocessing imagenet = new Preprocessing(List.of(0.485f, 0.456f, 0.406f), List.of(0.229f, 0.224f, 0.225f),
        "RGB");
    assertNetworkParity("DARTS_V2 imagenet C8 L5 64x64", "DARTS_V2", macro, imagenet);
  }

  @Test
  void pcDartsCifar() throws Exception {
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.CIFAR, CHANNELS, 8, 10, FeatureShape.of(3, 32, 32), true);
    assertNetworkParity("PC_DARTS cifar C8 L8 32x32", "PC_DARTS", macro, cifarPreprocessing());
  }

  @Test
  void pdartsCifar() throws Exception {
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.CIFAR, CHANNELS, 8, 10, FeatureShape.of(3, 32, 32), true);
    assertNetworkParity("PDARTS cifar C8 L8 32x32", "PDARTS", macro, cifarPreprocessing());
  }


  @Test
  void factorizedReduceOfClips() throws Exception {
    // (2,2,2) shifts T as well as H and W; odd sizes keep both halves equal
    for (List<Integer> stride : List.of(List.of(1, 2, 2), List.of(2, 2, 2))) {
      GraphBuilder b = new GraphBuilder(FeatureShape.of(12, 5, 7, 7));
      int y = Blocks.factorizedReduce(b, "pre0", b.input(), 12, CHANNELS, stride, true);
      assertParity(Part.BLOCK, "factorized reduce " + stride + " 5x7x7", b.build(y));
    }
  }

  @Test
  void videoSdasNetwork() throws Exception {
    // o3d cells in the SDAS video macro, K=1, C1=4, C=8 on 4x16x16 clips (the last cells see 1x1x1)
    MacroConfig macro = MacroConfig.video(MacroConfig.Kind.VIDEO_SDAS, CHANNELS, 1, 4, 10,
        FeatureShape.of(3, 4, 16, 16), true);
    assertNetworkParity("o3d video-sdas K1 C8 4x16x16", cycling(SearchSpace.O3D), macro, cifarPreprocessing());
  }

  @Test
  void videoPvnasNetwork() throws Exception {
    // pvnas cells in the PV-NAS derived stack, K=1, C1=4, C=8 on 4x16x16 clips (T-cells at 1x2x2, where
    // libtorch's 3-D average pooling needs the explicit padding path)
    MacroConfig macro = MacroConfig.video(MacroConfig.Kind.VIDEO_PVNAS, CHANNELS, 1, 4, 10,
        FeatureShape.of(3, 4, 16, 16), true);
    assertNetworkParity("pvnas video-pvnas K1 C8 4x16x16", cycling(SearchSpace.PVNAS), macro, cifarPreprocessing());
  }

  @Test
  void resnetBaseline() throws Exception {
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.RESNET, CHANNELS, 2, 10, FeatureShape.of(3, 32, 32), false);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < macro.classes(); i++) {
      names.add("class_" + i);
    }
    NetworkSpec spec = new NetworkSpec(null, macro, cifarPreprocessing(), names, Map.of());
    Graph g = NetworkBuilder.build(spec);
    long seed = 14;
    Map<String, Tensor> weights = RandomWeights.of(g, seed);
    assertNontrivialStatistics(g, weights);
    ModelProto model = OnnxExporter.export(spec, g, weights);
    assertTrue(model.getMetadataPropsList().stream().noneMatch(p -> p.getKey().equals(OnnxMetadata.GENOTYPE)));
    assertParity(Part.NETWORK, "ResNet-14 C8 32x32", g, weights, model, NETWORK_BATCH,
        randomInput(g.inputShape(), NETWORK_BATCH, seed, 0, 1));
  }

  @AfterAll
  static void printTable() {
    StringBuilder s = new StringBuilder("ONNX Runtime vs DJL executor, float32, inference mode, tolerance "
        + TOLERANCE + "\n");
    synchronized (MEASURED) {
      for (Part part : Part.values()) {
        s.append(String.format(Locale.ROOT, "%n%s%n%-40s %12s %10s%n", part.title, "case", "max |diff|", "max |out|"));
        for (Row r : MEASURED) {
          if (r.part() == part) {
            s.append(String.format(Locale.ROOT, "%-40s %12.3e %10.4f%n", r.label(), r.maxDiff(), r.maxOut()));
          }
        }
      }
    }
    System.out.print(s);
  }

  private static Preprocessing cifarPreprocessing() {
    return new Preprocessing(List.of(0.4914f, 0.4822f, 0.4465f), List.of(0.2470f, 0.2435f, 0.2616f), "RGB");
  }

  /** Builds, exports (auxiliary head included in the graph, absent from the model) and compares. */
  private static void assertNetworkParity(String label, String genotype, MacroConfig macro, Preprocessing pre)
      throws Exception {
    assertNetworkParity(label, Genotypes.named(genotype), macro, pre);
  }

  private static void assertNetworkParity(String label, Genotype genotype, MacroConfig macro, Preprocessing pre)
      throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < macro.classes(); i++) {
      names.add("class_" + i);
    }
    NetworkSpec spec = new NetworkSpec(genotype, macro, pre, names, Map.of());
    Graph g = NetworkBuilder.build(spec);
    assertTrue(g.hasAuxOutput(), "the network under test has an auxiliary head");
    long seed = label.hashCode();
    Map<String, Tensor> weights = RandomWeights.of(g, seed);
    assertNontrivialStatistics(g, weights);
    ModelProto model = OnnxExporter.export(spec, g, weights);
    if (OnnxChecker.available()) {
      OnnxChecker.check(model);
    }
    for (TensorProto t : model.getGraph().getInitializerList()) {
      assertFalse(t.getName().startsWith("aux."), "auxiliary head tensor exported: " + t.getName());
    }
    for (NodeProto n : model.getGraph().getNodeList()) {
      assertFalse(n.getName().startsWith("aux."), "auxiliary head node exported: " + n.getName());
    }
    // Pixels already scaled to [0, 1], as the network expects them.
    float[] pixels = randomInput(g.inputShape(), NETWORK_BATCH, seed, 0, 1);
    assertParity(Part.NETWORK, label, g, weights, model, NETWORK_BATCH, pixels);
  }

  /** Exports a fragment with random weights and compares both runtimes on a random batch of 3. */
  private static void assertParity(Part part, String label, Graph g) throws Exception {
    long seed = label.hashCode();
    Map<String, Tensor> weights = RandomWeights.of(g, seed);
    assertNontrivialStatistics(g, weights);
    ModelProto model = OnnxExporter.export(g, weights, Map.of());
    assertParity(part, label, g, weights, model, OP_BATCH, randomInput(g.inputShape(), OP_BATCH, seed, -2, 2));
  }

  /** Runs {@code model} in ONNX Runtime and {@code g} in DJL on {@code x}; records and checks the difference. */
  private static void assertParity(Part part, String label, Graph g, Map<String, Tensor> weights, ModelProto model,
      int batch, float[] x) throws Exception {
    long[] shape = g.inputShape().withBatch(batch);
    Ort.Output ort = Ort.run(model, x, shape);
    Ort.Output djl = runDjl(g, weights, x, shape);
    assertArrayEquals(g.node(g.output()).shape().withBatch(batch), ort.shape(), label + ": ONNX Runtime shape");
    assertArrayEquals(ort.shape(), djl.shape(), label + ": DJL shape");
    double maxDiff = 0;
    double maxOut = 0;
    int worst = -1;
    for (int i = 0; i < ort.data().length; i++) {
      float a = ort.data()[i];
      float b = djl.data()[i];
      assertTrue(Float.isFinite(a) && Float.isFinite(b), label + ": non-finite output at " + i);
      double d = Math.abs((double) a - b);
      if (d > maxDiff) {
        maxDiff = d;
        worst = i;
      }
      maxOut = Math.max(maxOut, Math.abs(b));
    }
    synchronized (MEASURED) {
      MEASURED.add(new Row(part, label, maxDiff, maxOut));
    }
    assertTrue(maxOut > 0, label + ": output is all zeros, the comparison would prove nothing");
    assertTrue(maxDiff <= TOLERANCE, label + ": max |ORT - DJL| = " + maxDiff + " at element " + worst
        + " (ORT " + (worst < 0 ? "" : ort.data()[worst]) + ", DJL " + (worst < 0 ? "" : djl.data()[worst]) + ")");
  }

  /** Every batch norm of the graph gets running statistics other than PyTorch's initial 0 and 1. */
  private static void assertNontrivialStatistics(Graph g, Map<String, Tensor> weights) {
    for (NamedParam p : g.params()) {
      if (p.spec().role() == ParamSpec.Role.RUNNING_MEAN || p.spec().role() == ParamSpec.Role.RUNNING_VAR) {
        float unset = p.spec().role() == ParamSpec.Role.RUNNING_VAR ? 1f : 0f;
        for (float v : weights.get(p.name()).data()) {
          assertTrue(v != unset, p.name() + " holds its initial value " + unset);
        }
      }
    }
  }

  /** The DJL executor's inference-mode output for {@code x}, with {@code weights} loaded. */
  static Ort.Output runDjl(Graph g, Map<String, Tensor> weights, float[] x, long[] shape) {
    try (Parameters params = new Parameters(Device.cpu(), DataType.FLOAT32)) {
      params.init(g.params(), 0);
      params.load(weights, true);
      try (NDManager scope = params.manager().newSubManager()) {
        NDArray input = scope.create(x, new Shape(shape));
        NDArray y = new GraphExecutor(g).apply(params, input, ExecContext.inference());
        return new Ort.Output(y.getShape().getShape(), y.toFloatArray());
      }
    }
  }

  static float[] randomInput(FeatureShape shape, int batch, long seed, double low, double high) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    float[] x = new float[Math.toIntExact(batch * shape.numel())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(low, high);
    }
    return x;
  }
}
