package dev.nas.serve;

import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.proto.GraphProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.OperatorSetIdProto;
import dev.nas.export.onnx.proto.TensorProto;
import dev.nas.export.onnx.proto.TensorShapeProto;
import dev.nas.export.onnx.proto.TypeProto;
import dev.nas.export.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** ONNX models for the server's tests, written with the project's exporter and ONNX protobuf classes. */
final class TestModels {
  static final long N = -1;

  private TestModels() {}

  /** DARTS_V2 in a CIFAR macro of 3 cells, C=4, 3×16×16, 10 classes, random weights from {@code seed}. */
  static Path tinyDarts(Path file, long seed) throws IOException {
    MacroConfig macro = new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 10, FeatureShape.of(3, 16, 16), false);
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"), macro);
    Graph graph = NetworkBuilder.build(spec);
    Files.createDirectories(file.toAbsolutePath().getParent());
    OnnxFiles.write(file, OnnxExporter.export(spec, graph, Initializer.of(graph, seed)));
    return file;
  }

  /** Two float inputs {@code a}, {@code b} of [N, 4]; outputs {@code sum} = a + b and {@code product} = a * b. */
  static Path twoInTwoOut(Path file) throws IOException {
    return write(file, List.of(node("Add", List.of("a", "b"), "sum"), node("Mul", List.of("a", "b"), "product")),
        List.of(value("a", TensorProto.DataType.FLOAT, N, 4), value("b", TensorProto.DataType.FLOAT, N, 4)),
        List.of(value("sum", TensorProto.DataType.FLOAT, N, 4), value("product", TensorProto.DataType.FLOAT, N, 4)));
  }

  /**
   * One input and output per supported element type, each [N, 2]: FP64, INT32, INT64, INT8 and
   * UINT8 pass through Identity; BOOL {@code flag} becomes {@code not_flag}; INT32 {@code i32} also
   * gives {@code neg_i32}.
   */
  static Path allTypes(Path file) throws IOException {
    List<NodeProto> nodes = List.of(node("Identity", List.of("f64"), "out_f64"),
        node("Identity", List.of("i32"), "out_i32"), node("Neg", List.of("i32"), "neg_i32"),
        node("Identity", List.of("i64"), "out_i64"), node("Identity", List.of("i8"), "out_i8"),
        node("Identity", List.of("u8"), "out_u8"), node("Not", List.of("flag"), "not_flag"));
    List<ValueInfoProto> inputs = List.of(value("f64", TensorProto.DataType.DOUBLE, N, 2),
        value("i32", TensorProto.DataType.INT32, N, 2), value("i64", TensorProto.DataType.INT64, N, 2),
        value("i8", TensorProto.DataType.INT8, N, 2), value("u8", TensorProto.DataType.UINT8, N, 2),
        value("flag", TensorProto.DataType.BOOL, N, 2));
    List<ValueInfoProto> outputs = List.of(value("out_f64", TensorProto.DataType.DOUBLE, N, 2),
        value("out_i32", TensorProto.DataType.INT32, N, 2), value("neg_i32", TensorProto.DataType.INT32, N, 2),
        value("out_i64", TensorProto.DataType.INT64, N, 2), value("out_i8", TensorProto.DataType.INT8, N, 2),
        value("out_u8", TensorProto.DataType.UINT8, N, 2), value("not_flag", TensorProto.DataType.BOOL, N, 2));
    return write(file, nodes, inputs, outputs);
  }

  /** {@code y = Relu(x)} with every dimension fixed: x of [2, 3]; requests cannot be batched. */
  static Path fixedShape(Path file) throws IOException {
    return write(file, List.of(node("Relu", List.of("x"), "y")), List.of(value("x", TensorProto.DataType.FLOAT, 2, 3)),
        List.of(value("y", TensorProto.DataType.FLOAT, 2, 3)));
  }

  /** {@code y = Identity(x)} with x of [N, N]: only the configuration can bound the second dimension. */
  static Path anyWidth(Path file) throws IOException {
    return write(file, List.of(node("Identity", List.of("x"), "y")),
        List.of(value("x", TensorProto.DataType.FLOAT, N, N)), List.of(value("y", TensorProto.DataType.FLOAT, N, N)));
  }

  /** A model with a float16 input, which the server cannot exchange. */
  static Path float16(Path file) throws IOException {
    return write(file, List.of(node("Identity", List.of("h"), "o")),
        List.of(value("h", TensorProto.DataType.FLOAT16, N, 2)), List.of(value("o", TensorProto.DataType.FLOAT16, N, 2)));
  }

  static NodeProto node(String op, List<String> inputs, String output) {
    return NodeProto.newBuilder().addAllInput(inputs).addOutput(output).setName(output).setOpType(op).build();
  }

  /** A graph input or output; {@link #N} marks a dynamic dimension. */
  static ValueInfoProto value(String name, TensorProto.DataType type, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d == N ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }

  static Path write(Path file, List<NodeProto> nodes, List<ValueInfoProto> inputs, List<ValueInfoProto> outputs)
      throws IOException {
    GraphProto graph = GraphProto.newBuilder().setName("test").addAllNode(nodes).addAllInput(inputs)
        .addAllOutput(outputs).build();
    ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("nas-serve-test").setGraph(graph)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
    Files.createDirectories(file.toAbsolutePath().getParent());
    OnnxFiles.write(file, model);
    return file;
  }
}
