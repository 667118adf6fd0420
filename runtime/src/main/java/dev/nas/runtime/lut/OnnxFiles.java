package dev.nas.runtime.lut;

import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.export.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A private temporary folder the file-based timers export each graph into, removed on close. */
final class OnnxFiles implements AutoCloseable {
  private final Path dir;

  OnnxFiles() throws IOException {
    dir = Files.createTempDirectory("nas-lut");
  }

  /** {@code graph} exported by the project's own exporter to {@code name.onnx}, replacing an earlier one. */
  Path export(Graph graph, Map<String, Tensor> weights, String name) throws IOException {
    Path onnx = dir.resolve(name + ".onnx");
    Files.write(onnx, OnnxExporter.export(graph, weights, Map.of()).toByteArray());
    return onnx;
  }

  Path resolve(String name) {
    return dir.resolve(name);
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
