package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.io.Tensor;
import dev.nas.export.onnx.proto.AttributeProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each primitive layer alone: ONNX Runtime's result on the exported graph must equal a plain
 * float64 computation of the layer's definition.
 */
class PrimitiveParityTest {
  private static final double TOLERANCE = 1e-4;

  @Test
  void pointwiseConv() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 6, 5));
    int y = b.add("pw", conv(3, 5, 1, 1, 0, 1, 1, false), b.input());
    assertMatchesReference(b.build(y), 1);
  }

  @Test
  void depthwiseConv() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(4, 7, 7));
    int y = b.add("dw", conv(4, 4, 3, 1, 1, 1, 4, false), b.input());
    assertMatchesReference(b.build(y), 2);
  }

  @Test
  void dilatedDepthwiseConv() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(4, 9, 8));
    int y = b.add("dil", conv(4, 4, 3, 1, 2, 2, 4, false), b.input());
    assertMatchesReference(b.build(y), 3);
  }

  @Test
  void stridedConvWithBiasOnOddSize() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 7, 9));
    int y = b.add("conv", conv(3, 6, 3, 2, 1, 1, 1, true), b.input());
    Graph g = b.build(y);
    assertEquals(FeatureShape.of(6, 4, 5), g.node(y).shape());
    assertMatchesReference(g, 4);
  }

  @Test
  void groupedStridedDilatedConv() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(4, 11, 10));
    int y = b.add("gconv", conv(4, 6, 5, 2, 4, 2, 2, true), b.input());
    assertMatchesReference(b.build(y), 5);
  }

  @Test
  void affineBatchNorm() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 4, 5));
    int y = b.add("bn", new Layer.BatchNorm(3, true), b.input());
    assertMatchesReference(b.build(y), 6);
  }

  @Test
  void batchNormWithoutAffineParametersTakesConstants() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 4, 5));
    int y = b.add("bn", new Layer.BatchNorm(3, false), b.input());
    ModelProto model = assertMatchesReference(b.build(y), 7);
    List<String> initializers = model.getGraph().getInitializerList().stream().map(t -> t.getName()).toList();
    assertEquals(List.of("bn.running_mean", "bn.running_var"), initializers);
    assertEquals(2, ops(model).stream().filter("Constant"::equals).count());
  }

  @Test
  void relu() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 3, 3));
    assertMatchesReference(b.build(b.add("relu", new Layer.Relu(), b.input())), 8);
  }

  @Test
  void maxPoolWithPaddingAtTheBorder() throws Exception {
    for (int stride : new int[] {1, 2}) {
      GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 7, 6));
      int y = b.add("pool", pool(Layer.Pool.Kind.MAX, 3, stride, 1), b.input());
      assertMatchesReference(b.build(y), 9 + stride);
    }
  }

  @Test
  void averagePoolWithPaddingAtTheBorder() throws Exception {
    for (int stride : new int[] {1, 2}) {
      GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 7, 6));
      int y = b.add("pool", pool(Layer.Pool.Kind.AVG, 3, stride, 1), b.input());
      ModelProto model = assertMatchesReference(b.build(y), 11 + stride);
      NodeProto node = model.getGraph().getNode(0);
      assertEquals("AveragePool", node.getOpType());
      assertEquals(0, attribute(node, "count_include_pad").getI());
    }
  }

  @Test
  void poolCornersByHand() throws Exception {
    // 0..15 in a 4x4 map: the top-left 3x3 window with padding 1 covers 0, 1, 4 and 5 only.
    float[] x = new float[16];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    GraphBuilder avg = new GraphBuilder(FeatureShape.of(1, 4, 4));
    Graph ga = avg.build(avg.add("pool", pool(Layer.Pool.Kind.AVG, 3, 1, 1), avg.input()));
    Ort.Output a = Ort.run(OnnxExporter.export(ga, Map.of(), Map.of()), x, new long[] {1, 1, 4, 4});
    assertEquals(2.5f, a.data()[0], 1e-6, "average of the 4 real pixels, padding not counted");
    assertEquals((10 + 11 + 14 + 15) / 4f, a.data()[15], 1e-6);
    assertEquals((0 + 1 + 2 + 4 + 5 + 6) / 6f, a.data()[1], 1e-6);
    GraphBuilder max = new GraphBuilder(FeatureShape.of(1, 4, 4));
    Graph gm = max.build(max.add("pool", pool(Layer.Pool.Kind.MAX, 3, 1, 1), max.input()));
    Ort.Output m = Ort.run(OnnxExporter.export(gm, Map.of(), Map.of()), x, new long[] {1, 1, 4, 4});
    assertEquals(5f, m.data()[0]);
    assertEquals(15f, m.data()[15]);
  }

  @Test
  void shiftOnEvenAndOddSizes() throws Exception {
    int seed = 20;
    for (FeatureShape s : List.of(FeatureShape.of(2, 6, 6), FeatureShape.of(2, 5, 7), FeatureShape.of(1, 3, 2))) {
      GraphBuilder b = new GraphBuilder(s);
      assertMatchesReference(b.build(b.add("shift", new Layer.Shift(), b.input())), seed++);
    }
  }

  @Test
  void shiftByHand() throws Exception {
    float[] x = new float[9];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    GraphBuilder b = new GraphBuilder(FeatureShape.of(1, 3, 3));
    Graph g = b.build(b.add("shift", new Layer.Shift(), b.input()));
    Ort.Output y = Ort.run(OnnxExporter.export(g, Map.of(), Map.of()), x, new long[] {1, 1, 3, 3});
    assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, y.data());
  }

  @Test
  void globalAveragePoolThenLinear() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(5, 4, 3));
    int gap = b.add("gap", new Layer.GlobalAvgPool(), b.input());
    int fc = b.add("fc", new Layer.Linear(5, 7, true), gap);
    ModelProto model = assertMatchesReference(b.build(fc), 30);
    assertEquals(List.of("GlobalAveragePool", "Flatten", "Gemm"), ops(model));
  }

  @Test
  void linearWithoutBias() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(5, 2, 2));
    int gap = b.add("gap", new Layer.GlobalAvgPool(), b.input());
    assertMatchesReference(b.build(b.add("fc", new Layer.Linear(5, 3, false), gap)), 31);
  }

  @Test
  void sigmoid() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 3, 4, 4));
    assertMatchesReference(b.build(b.add("sigmoid", new Layer.Sigmoid(), b.input())), 37);
  }

  @Test
  void channelScaleAndBiasOfAClip() throws Exception {
    int seed = 38;
    for (Layer op : List.of(new Layer.ChannelMul(), new Layer.ChannelAdd())) {
      GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 2, 4, 5));
      int gap = b.add("gap", new Layer.GlobalAvgPool(), b.input());
      int fc = b.add("fc", new Layer.Linear(3, 3, true), gap);
      ModelProto model = assertMatchesReference(b.build(b.add("op", op, b.input(), fc)), seed++);
      String onnxOp = op instanceof Layer.ChannelMul ? "Mul" : "Add";
      assertEquals(List.of("GlobalAveragePool", "Flatten", "Gemm", "Unsqueeze", onnxOp), ops(model));
    }
  }

  @Test
  void channelVectorMustMatchTheMap() {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 2, 4, 5));
    int gap = b.add("gap", new Layer.GlobalAvgPool(), b.input());
    int fc = b.add("fc", new Layer.Linear(3, 4, true), gap);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> b.add("mul", new Layer.ChannelMul(), b.input(), fc));
    assertEquals("mul: mul needs a feature map and a vector of its 3 channels, got 3x2x4x5 and 4", e.getMessage());
  }

  @Test
  void sumOfThree() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 5, 5));
    int r = b.add("relu", new Layer.Relu(), b.input());
    int c = b.add("conv", conv(3, 3, 3, 1, 1, 1, 1, false), b.input());
    int s = b.add("sum", new Layer.Sum(), r, b.input(), c);
    assertMatchesReference(b.build(s), 32);
  }

  @Test
  void concatOfDifferentWidths() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 4, 4));
    int c = b.add("conv", conv(3, 2, 1, 1, 0, 1, 1, false), b.input());
    int cat = b.add("cat", new Layer.Concat(), b.input(), c);
    assertMatchesReference(b.build(cat), 33);
  }

  @Test
  void normalize() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(3, 4, 4));
    int n = b.add("normalize", new Layer.Normalize(List.of(0.49f, 0.48f, 0.45f), List.of(0.25f, 0.24f, 0.26f)),
        b.input());
    ModelProto model = assertMatchesReference(b.build(n), 34);
    assertEquals(List.of("Sub", "Div"), ops(model));
    assertEquals(List.of(1L, 3L, 1L, 1L), model.getGraph().getInitializer(0).getDimsList());
  }

  @Test
  void dropPathIsElided() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 4, 4));
    int r = b.add("relu", new Layer.Relu(), b.input());
    int d = b.add("relu.drop_path", new Layer.DropPath(), r);
    int s = b.add("sum", new Layer.Sum(), d, b.input());
    ModelProto model = assertMatchesReference(b.build(s), 35);
    assertEquals(List.of("Relu", "Sum"), ops(model));
  }

  @Test
  void elidedOutputKeepsItsPublicName() throws Exception {
    GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 4, 4));
    int r = b.add("relu", new Layer.Relu(), b.input());
    ModelProto model = assertMatchesReference(b.build(b.add("drop", new Layer.DropPath(), r)), 36);
    assertEquals(List.of("Relu", "Identity"), ops(model));
  }

  /** Exports {@code g} with random weights and compares ONNX Runtime with the reference at batch 2. */
  private static ModelProto assertMatchesReference(Graph g, long seed) throws Exception {
    Map<String, Tensor> weights = RandomWeights.of(g, seed);
    ModelProto model = OnnxExporter.export(g, weights, Map.of());
    if (OnnxChecker.available()) {
      OnnxChecker.check(model);
    }
    FeatureShape in = g.inputShape();
    int batch = 2;
    int per = (int) in.numel();
    float[] x = new float[batch * per];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-2, 2);
    }
    Ort.Output y = Ort.run(model, x, in.withBatch(batch));
    FeatureShape out = g.node(g.output()).shape();
    assertArrayEquals(out.withBatch(batch), y.shape());
    ReferenceExecutor reference = new ReferenceExecutor(g, weights);
    int outPer = (int) out.numel();
    for (int s = 0; s < batch; s++) {
      float[] sample = new float[per];
      System.arraycopy(x, s * per, sample, 0, per);
      double[] expected = reference.run(sample);
      for (int i = 0; i < outPer; i++) {
        double diff = Math.abs(expected[i] - y.data()[s * outPer + i]);
        assertTrue(diff <= TOLERANCE, "sample " + s + " element " + i + ": ONNX Runtime " + y.data()[s * outPer + i]
            + ", reference " + expected[i]);
      }
    }
    return model;
  }

  private static List<String> ops(ModelProto model) {
    return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
  }

  private static AttributeProto attribute(NodeProto node, String name) {
    return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
  }

  private static Layer.Conv conv(int in, int out, int k, int stride, int pad, int dilation, int groups,
      boolean bias) {
    return new Layer.Conv(in, out, List.of(k, k), List.of(stride, stride), List.of(pad, pad),
        List.of(dilation, dilation), groups, bias);
  }

  private static Layer.Pool pool(Layer.Pool.Kind kind, int k, int stride, int pad) {
    return new Layer.Pool(kind, List.of(k, k), List.of(stride, stride), List.of(pad, pad));
  }
}
