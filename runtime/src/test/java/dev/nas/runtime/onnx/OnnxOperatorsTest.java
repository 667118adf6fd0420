package dev.nas.runtime.onnx;

import static dev.nas.runtime.onnx.Models.attr;
import static dev.nas.runtime.onnx.Models.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.cost.CostReport;
import dev.nas.core.cost.LayerCost;
import dev.nas.core.graph.FeatureShape;
import dev.nas.export.onnx.proto.AttributeProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.TensorProto;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Shape inference and cost of operators that other exporters (e.g. PyTorch's) emit. */
class OnnxOperatorsTest {
  @Test
  void pytorchStyleClassifierWithMatMulReshapeAndActivations() {
    ModelProto m = new Models("x", "batch", 8, 10, 10)
        .weight("conv.w", 16, 8, 3, 3).weight("conv.b", 16)
        .weight("fc.w", 16, 5).weight("fc.b", 5)
        .int64s("flat", 1, -1)
        .node("Conv", "conv", List.of("x", "conv.w", "conv.b"), List.of("c"), ints("strides", 2, 2),
            ints("pads", 0, 0, 1, 1))
        .node("Clip", "relu6", List.of("c"), List.of("r"))
        .node("ReduceMean", "mean", List.of("r"), List.of("p"), ints("axes", 2, 3), attr("keepdims", 1))
        .node("Reshape", "flatten", List.of("p", "flat"), List.of("f"))
        .node("MatMul", "fc", List.of("f", "fc.w"), List.of("y0"))
        .node("Add", "fc_bias", List.of("y0", "fc.b"), List.of("y1"))
        .node("Sigmoid", "gate", List.of("y1"), List.of("y"))
        .build("y");
    Map<String, LayerCost> l = layers(OnnxCostCounter.count(m, FeatureShape.of(8, 10, 10), "m"));
    // (10 + 0 + 1 - 3) / 2 + 1 = 5 with the asymmetric padding.
    assertEquals("16x5x5", l.get("conv").outputShape());
    assertEquals(16L * 5 * 5 * 8 * 9, l.get("conv").macs());
    assertEquals(16 * 8 * 9 + 16, l.get("conv").params());
    assertEquals("16x1x1", l.get("mean").outputShape());
    assertEquals("16", l.get("flatten").outputShape());
    assertEquals(16 * 5, l.get("fc").macs());
    assertEquals(16 * 5, l.get("fc").params(), "MatMul weights are learned; the Add's bias is not counted");
    assertEquals("5", l.get("gate").outputShape());
  }

  @Test
  void sliceTransposeSqueezeUnsqueezePadAndConcat() {
    ModelProto m = new Models("x", 1, 4, 9, 7)
        .int64s("starts", -5, 1).int64s("ends", Long.MAX_VALUE, -1).int64s("axes", 2, 3).int64s("steps", 2, 1)
        .int64s("pads", 0, 0, 1, 0, 0, 0, 2, 3).int64s("spatial", 2, 3).int64s("last", -1)
        .node("Slice", "slice", List.of("x", "starts", "ends", "axes", "steps"), List.of("s"))
        .node("Pad", "pad", List.of("s", "pads"), List.of("p"))
        .node("Transpose", "t", List.of("p"), List.of("t"), ints("perm", 0, 2, 3, 1))
        .node("Concat", "cat", List.of("t", "t"), List.of("c"), attr("axis", -1))
        .node("GlobalMaxPool", "gmp", List.of("p"), List.of("g"))
        .node("Squeeze", "sq", List.of("g", "spatial"), List.of("q"))
        .node("Unsqueeze", "unsq", List.of("q", "last"), List.of("u"))
        .build("u");
    Map<String, LayerCost> l = layers(OnnxCostCounter.count(m, FeatureShape.of(4, 9, 7), "m"));
    assertEquals("4x3x5", l.get("slice").outputShape(), "rows 4, 6, 8; columns 1..5");
    assertEquals("4x6x8", l.get("pad").outputShape());
    assertEquals("6x8x4", l.get("t").outputShape());
    assertEquals("6x8x8", l.get("cat").outputShape());
    assertEquals("4x1x1", l.get("gmp").outputShape());
    assertEquals("4", l.get("sq").outputShape());
    assertEquals("4x1", l.get("unsq").outputShape());
  }

  @Test
  void poolingWithCeilModeAndAutoPad() {
    ModelProto m = new Models("x", "N", 2, 8, 8)
        .node("MaxPool", "ceil", List.of("x"), List.of("a"), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
            attr("ceil_mode", 1))
        .node("AveragePool", "same", List.of("x"), List.of("b"), ints("kernel_shape", 3, 3), ints("strides", 3, 3),
            AttributeProto.newBuilder().setName("auto_pad").setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8("SAME_UPPER")).build())
        .build("a");
    Map<String, LayerCost> l = layers(OnnxCostCounter.count(m, FeatureShape.of(2, 8, 8), "m"));
    assertEquals("2x4x4", l.get("ceil").outputShape());
    assertEquals("2x3x3", l.get("same").outputShape());
    assertEquals(2 * 3 * 3 * 9, l.get("same").otherOps());
  }

  @Test
  void identityOfAnInitializerStillCountsAsAWeightAndSharedWeightsCountOnce() {
    ModelProto m = new Models("x", 1, 3, 4, 4)
        .weight("w", 3, 3, 1, 1)
        .node("Identity", "w_alias", List.of("w"), List.of("w2"))
        .node("Conv", "a", List.of("x", "w2"), List.of("y"))
        .node("Conv", "b", List.of("y", "w"), List.of("z"))
        .build("z");
    CostReport r = OnnxCostCounter.count(m, FeatureShape.of(3, 4, 4), "m");
    assertEquals(9, r.params());
    assertEquals(2L * 3 * 16 * 3, r.macs());
  }

  @Test
  void constantNodesAreNotParameters() {
    TensorProto ones = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(3)
        .addFloatData(1).addFloatData(1).addFloatData(1).build();
    AttributeProto value = AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
        .setT(ones).build();
    ModelProto m = new Models("x", 1, 3, 4, 4)
        .weight("mean", 3).weight("var", 3)
        .node("Constant", "scale", List.of(), List.of("scale"), value)
        .node("Constant", "shift", List.of(), List.of("shift"), value)
        .node("BatchNormalization", "bn", List.of("x", "scale", "shift", "mean", "var"), List.of("y"))
        .build("y");
    CostReport r = OnnxCostCounter.count(m, FeatureShape.of(3, 4, 4), "m");
    assertEquals(0, r.params());
    assertEquals(1, r.layers().size());
  }

  @Test
  void unsupportedOperatorIsNamedWithItsNode() {
    ModelProto m = new Models("x", 1, 3, 4, 4)
        .node("Relu", "r", List.of("x"), List.of("a"))
        .node("LSTM", "encoder.lstm", List.of("a"), List.of("b"))
        .build("b");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxCostCounter.count(m, FeatureShape.of(3, 4, 4), "m"));
    assertTrue(e.getMessage().startsWith("unsupported ONNX operator 'LSTM' at node 'encoder.lstm'"), e.getMessage());
  }

  @Test
  void operatorsOfOtherDomainsAreUnsupported() {
    ModelProto m = new Models("x", 1, 3, 4, 4)
        .node("com.microsoft", "FusedConv", "", List.of("x"), List.of("y"))
        .build("y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxCostCounter.count(m, FeatureShape.of(3, 4, 4), "m"));
    assertTrue(e.getMessage().startsWith("unsupported ONNX operator 'com.microsoft:FusedConv' at node 'FusedConv_0'"),
        e.getMessage());
  }

  @Test
  void runtimeShapesAreRefusedClearly() {
    ModelProto m = new Models("x", 1, 3, 4, 4)
        .node("Shape", "shape", List.of("x"), List.of("s"))
        .node("Reshape", "view", List.of("x", "s"), List.of("y"))
        .build("y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxCostCounter.count(m, FeatureShape.of(3, 4, 4), "m"));
    assertTrue(e.getMessage().contains("'Shape'"), e.getMessage());
  }

  @Test
  void mismatchedChannelsNameTheNode() {
    ModelProto m = new Models("x", 1, 3, 4, 4)
        .weight("w", 8, 4, 3, 3)
        .node("Conv", "stem", List.of("x", "w"), List.of("y"))
        .build("y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxCostCounter.count(m, FeatureShape.of(3, 4, 4), "m"));
    assertTrue(e.getMessage().startsWith("ONNX node 'stem' (Conv): input has 3 channels"), e.getMessage());
  }

  @Test
  void dynamicSpatialDimensionsNeedAnExplicitShape() {
    ModelProto m = new Models("image", "N", 3, "H", "W")
        .node("Relu", "r", List.of("image"), List.of("y"))
        .build("y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxModelInfo.of(m).input().sampleShape());
    assertTrue(e.getMessage().contains("dynamic dimension 'H'"), e.getMessage());
    assertTrue(e.getMessage().contains("give the input shape explicitly"), e.getMessage());
    assertEquals("3x5x6", OnnxCostCounter.count(m, FeatureShape.of(3, 5, 6), "m").layers().get(0).outputShape());
  }

  private static Map<String, LayerCost> layers(CostReport r) {
    return r.layers().stream().collect(Collectors.toMap(LayerCost::name, Function.identity()));
  }
}
