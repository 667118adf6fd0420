package dev.nas.runtime.trt;

import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.RandomWeights;
import dev.nas.export.onnx.proto.GraphProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.OperatorSetIdProto;
import dev.nas.export.onnx.proto.TensorProto;
import dev.nas.export.onnx.proto.TensorShapeProto;
import dev.nas.export.onnx.proto.TypeProto;
import dev.nas.export.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Models for the TensorRT tests. */
final class TrtFixtures {
  /** Input of {@link #network}: N x 3 x 16 x 16. */
  static final long[] SAMPLE = {3, 16, 16};
  static final int CLASSES = 10;

  private TrtFixtures() {}

  /** A small exported DARTS_V2 network (C=4, 2 cells, 3x16x16, 10 classes) with seeded random weights. */
  static Path network(Path dir) throws IOException {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"),
        new MacroConfig(MacroConfig.Kind.CIFAR, 4, 2, CLASSES, FeatureShape.of(3, 16, 16), true));
    Graph g = NetworkBuilder.build(spec);
    Path file = dir.resolve("net.onnx");
    OnnxFiles.write(file, OnnxExporter.export(spec, g, RandomWeights.of(g, 1)));
    return file;
  }

  /** {@code y = NoSuchOp(x)} with an operator from a custom domain, which no parser knows. */
  static Path unsupportedOperator(Path dir) throws IOException {
    GraphProto graph = GraphProto.newBuilder().setName("unsupported")
        .addInput(value("x"))
        .addNode(NodeProto.newBuilder().setDomain("dev.nas.test").setOpType("NoSuchOp").setName("mystery")
            .addInput("x").addOutput("y"))
        .addOutput(value("y"))
        .build();
    ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("dev.nas.test").setVersion(1))
        .setGraph(graph)
        .build();
    Path file = dir.resolve("unsupported.onnx");
    OnnxFiles.write(file, model);
    return file;
  }

  private static ValueInfoProto value(String name) {
    TensorShapeProto shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4))
        .build();
    TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
        .setShape(shape).build();
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
  }

  /** Seeded uniform values in [-1, 1), as many as {@code shape} holds. */
  static float[] input(long[] shape, long seed) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[Math.toIntExact(n)];
    Random random = new Random(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextFloat() * 2 - 1;
    }
    return v;
  }

  static long[] batchShape(int batch) {
    return new long[] {batch, SAMPLE[0], SAMPLE[1], SAMPLE[2]};
  }

  static double maxAbsDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  static double maxAbs(float[] a) {
    double max = 0;
    for (float v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
