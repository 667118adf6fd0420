package dev.nas.runtime.onnx;

import dev.nas.core.cost.CostReport;
import dev.nas.core.cost.LayerCost;
import dev.nas.core.graph.FeatureShape;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.OnnxTensors;
import dev.nas.export.onnx.proto.AttributeProto;
import dev.nas.export.onnx.proto.GraphProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.TensorProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Counts parameters and MACs of any ONNX model made of common CNN operators, by shape
 * inference at batch 1, with the convention of {@link CostReport#CONVENTION}: MACs come only from
 * Conv, Gemm and MatMul; parameters are the initializers those read as weights and biases and
 * BatchNormalization's scale and shift (not its running statistics, nor constants such as
 * normalisation, pads or shapes, nor Constant-node values). For models nas exports the result
 * equals {@link dev.nas.core.cost.CostCounter} on the source graph.
 */
public final class OnnxCostCounter {
  private OnnxCostCounter() {}

  /** Counts {@code file} at the input shape it declares (dynamic batch taken as 1). */
  public static CostReport count(Path file) throws IOException {
    ModelProto model = OnnxFiles.read(file);
    return count(model, OnnxModelInfo.of(model).input().sampleShape(), file.toString());
  }

  /** Counts {@code file} at the per-sample input shape {@code input} (e.g. 3x224x224). */
  public static CostReport count(Path file, FeatureShape input) throws IOException {
    return count(OnnxFiles.read(file), input, file.toString());
  }

  /**
   * Counts {@code model} at the per-sample input shape {@code input}.
   *
   * @throws IllegalArgumentException naming the operator and node when an operator is not
   *     supported or its inputs do not fit
   */
  public static CostReport count(ModelProto model, FeatureShape input, String source) {
    GraphProto g = model.getGraph();
    Map<String, long[]> shapes = new HashMap<>();
    Map<String, TensorProto> constants = new HashMap<>();
    // Value name -> the initializer it is (through Identity nodes), for parameter counting.
    Map<String, String> initializerOf = new HashMap<>();
    Map<String, Long> initializerSize = new HashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      shapes.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
      constants.put(t.getName(), t);
      initializerOf.put(t.getName(), t.getName());
      initializerSize.put(t.getName(), OnnxTensors.numel(t));
    }
    String inputName = OnnxModelInfo.of(model).input().name();
    shapes.put(inputName, input.withBatch(1));

    Set<String> counted = new HashSet<>();
    List<LayerCost> layers = new ArrayList<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto node = g.getNode(i);
      String name = node.getName().isEmpty() ? node.getOpType() + "_" + i : node.getName();
      if (isConstant(node)) {
        TensorProto value = constantValue(node, name);
        constants.put(node.getOutput(0), value);
        shapes.put(node.getOutput(0), value.getDimsList().stream().mapToLong(Long::longValue).toArray());
        continue;
      }
      Function<NodeContext, OpResult> rule = isDefaultDomain(node) ? OpRules.rule(node.getOpType()) : null;
      if (rule == null) {
        String op = isDefaultDomain(node) ? node.getOpType() : node.getDomain() + ":" + node.getOpType();
        throw new IllegalArgumentException("unsupported ONNX operator '" + op + "' at node '" + name
            + "'; supported: " + OpRules.supported());
      }
      OpResult r = rule.apply(new NodeContext(node, name, shapes, constants));
      for (int o = 0; o < node.getOutputCount(); o++) {
        if (node.getOutput(o).isEmpty()) {
          continue;
        }
        if (o >= r.outputs().size()) {
          throw new IllegalArgumentException("ONNX node '" + name + "' (" + node.getOpType() + ") has "
              + node.getOutputCount() + " outputs; only " + r.outputs().size() + " are understood");
        }
        shapes.put(node.getOutput(o), r.outputs().get(o));
      }
      if (node.getOpType().equals("Identity") && initializerOf.containsKey(node.getInput(0))) {
        initializerOf.put(node.getOutput(0), initializerOf.get(node.getInput(0)));
        constants.put(node.getOutput(0), constants.get(node.getInput(0)));
      }
      long params = 0;
      for (int p : r.paramInputs()) {
        String init = p < node.getInputCount() ? initializerOf.get(node.getInput(p)) : null;
        if (init != null && counted.add(init)) {
          params += initializerSize.get(init);
        }
      }
      layers.add(new LayerCost(name, r.kind(), Shapes.sampleText(r.outputs().get(0)), params, r.macs(),
          r.otherOps()));
    }
    return new CostReport(source, input.toString(), layers);
  }

  private static boolean isDefaultDomain(NodeProto node) {
    return node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
  }

  private static boolean isConstant(NodeProto node) {
    return isDefaultDomain(node) && node.getOpType().equals("Constant");
  }

  private static TensorProto constantValue(NodeProto node, String name) {
    for (AttributeProto a : node.getAttributeList()) {
      switch (a.getName()) {
        case "value":
          return a.getT();
        case "value_int":
          return OnnxTensors.int64s(node.getOutput(0), a.getI()).toBuilder().clearDims().build();
        case "value_ints":
          return OnnxTensors.int64s(node.getOutput(0), a.getIntsList().stream().mapToLong(Long::longValue).toArray());
        case "value_float":
          return TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(a.getF()).build();
        case "value_floats":
          return TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE)
              .addDims(a.getFloatsCount()).addAllFloatData(a.getFloatsList()).build();
        default:
          break;
      }
    }
    throw new IllegalArgumentException("ONNX node '" + name + "' (Constant) has no value attribute this counter "
        + "reads (value, value_int(s), value_float(s))");
  }
}
