package dev.nas.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.OnnxMetadata;
import dev.nas.export.onnx.RandomWeights;
import dev.nas.export.onnx.proto.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelInfoTest {
  @TempDir
  Path dir;

  @Test
  void describesAnExportedNetwork() throws IOException {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"),
        new MacroConfig(MacroConfig.Kind.CIFAR, 4, 2, 10, FeatureShape.of(3, 16, 16), true));
    Graph g = NetworkBuilder.build(spec);
    Path file = dir.resolve("net.onnx");
    OnnxFiles.write(file, OnnxExporter.export(spec, g, RandomWeights.of(g, 1)));

    OnnxModelInfo info = OnnxModelInfo.read(file);
    assertEquals(8, info.irVersion());
    assertEquals(17, info.opset());
    assertTrue(info.producer().startsWith("nas "), info.producer());
    OnnxTensorInfo in = info.input();
    assertEquals("input", in.name());
    assertEquals("FLOAT", in.elementType());
    assertEquals(List.of(-1L, 3L, 16L, 16L), in.dims());
    assertEquals(List.of("N", "3", "16", "16"), in.dimNames());
    assertEquals("Nx3x16x16", in.shapeText());
    assertEquals(FeatureShape.of(3, 16, 16), in.sampleShape());
    assertEquals(1, info.outputs().size());
    assertEquals("logits", info.outputs().get(0).name());
    assertEquals("Nx10", info.outputs().get(0).shapeText());
    assertEquals(spec.toJson(), info.metadata().get(OnnxMetadata.NETWORK));
    assertTrue(info.metadata().containsKey(OnnxMetadata.GENOTYPE));
  }

  @Test
  void initializersListedAsInputsAreNotInputs() {
    // Models written before IR version 4 declare every weight as a graph input too.
    ModelProto m = new Models("x", 1, 3, 4, 4).weight("w", 2, 3, 1, 1)
        .node("Conv", "c", List.of("x", "w"), List.of("y"))
        .build("y");
    ModelProto old = m.toBuilder().setGraph(m.getGraph().toBuilder().addInput(Models.value("w", 2, 3, 1, 1))).build();
    assertEquals(List.of("x"), OnnxModelInfo.of(old).inputs().stream().map(OnnxTensorInfo::name).toList());
    assertEquals(6, OnnxCostCounter.count(old, FeatureShape.of(3, 4, 4), "old").params());
  }

  @Test
  void severalInputsAreRefused() {
    ModelProto m = new Models("a", 1, 3).build("a");
    ModelProto two = m.toBuilder().setGraph(m.getGraph().toBuilder().addInput(Models.value("b", 1, 3))).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxModelInfo.of(two).input());
    assertTrue(e.getMessage().contains("2 inputs (a, b)"), e.getMessage());
  }

  @Test
  void unreadableFilesGiveOneLineReasons() throws IOException {
    NoSuchFileException missing = assertThrows(NoSuchFileException.class,
        () -> OnnxCostCounter.count(dir.resolve("missing.onnx")));
    assertTrue(missing.getMessage().contains("no such ONNX file"), missing.getMessage());

    Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {(byte) 0xff, (byte) 0xff, 0x13, 0x7f});
    IOException corrupt = assertThrows(IOException.class, () -> OnnxModelInfo.read(garbage));
    assertTrue(corrupt.getMessage().contains("is not an ONNX model"), corrupt.getMessage());

    Path text = Files.writeString(dir.resolve("readme.onnx"), "not a model at all\n");
    IOException notOnnx = assertThrows(IOException.class, () -> OnnxCostCounter.count(text));
    assertTrue(notOnnx.getMessage().contains("is not an ONNX model"), notOnnx.getMessage());
    assertEquals(1, notOnnx.getMessage().lines().count());
  }
}
