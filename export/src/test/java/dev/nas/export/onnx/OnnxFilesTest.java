package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.Graph;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.proto.ModelProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxFilesTest {
  @TempDir
  Path dir;

  @Test
  void writeThenReadGivesTheSameModelAndLeavesNoTemporaryFile() throws IOException {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    ModelProto model = OnnxExporter.export(spec, g, RandomWeights.of(g, 1));
    Path file = dir.resolve("out/model.onnx");
    OnnxFiles.write(file, model);
    OnnxFiles.write(file, model);
    assertEquals(model, OnnxFiles.read(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void missingFile() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> OnnxFiles.read(dir.resolve("nope.onnx")));
    assertTrue(e.getMessage().endsWith("nope.onnx: no such ONNX file"), e.getMessage());
  }

  @Test
  void directory() {
    IOException e = assertThrows(IOException.class, () -> OnnxFiles.read(dir));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void emptyFile() throws IOException {
    Path f = Files.createFile(dir.resolve("empty.onnx"));
    IOException e = assertThrows(IOException.class, () -> OnnxFiles.read(f));
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
  }

  @Test
  void textFileIsNotAModel() throws IOException {
    Path f = Files.writeString(dir.resolve("notes.onnx"), "{\"this\": \"is json\"}\n", StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> OnnxFiles.read(f));
    assertTrue(e.getMessage().contains("is not an ONNX model"), e.getMessage());
  }

  @Test
  void truncatedModelIsNotAModel() throws IOException {
    NetworkSpec spec = TestNetworks.tinyDarts(2);
    Graph g = NetworkBuilder.build(spec);
    byte[] bytes = OnnxExporter.export(spec, g, RandomWeights.of(g, 1)).toByteArray();
    Path f = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> OnnxFiles.read(f));
    assertTrue(e.getMessage().contains("is not an ONNX model"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line, no protobuf dump");
  }
}
