package dev.nas.export.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nas.core.io.AtomicFiles;
import dev.nas.export.onnx.proto.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading and writing {@code .onnx} files. */
public final class OnnxFiles {
  private OnnxFiles() {}

  /** Writes {@code model} to {@code file} atomically: readers see the old file or the whole new one. */
  public static void write(Path file, ModelProto model) throws IOException {
    AtomicFiles.write(file, model::writeTo);
  }

  /**
   * Reads an ONNX model.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException with a one-line reason when it cannot be read or is not an ONNX model
   */
  public static ModelProto read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such ONNX file");
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not an ONNX file");
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0) {
      throw new IOException(file + " is empty, not an ONNX model");
    }
    ModelProto model;
    try {
      model = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(file + " is not an ONNX model (it does not parse as one: " + e.getMessage() + ")");
    }
    // Protobuf parses many byte strings as a message of unknown fields, so check the essentials.
    if (model.getIrVersion() <= 0 || !model.hasGraph()) {
      throw new IOException(file + " is not an ONNX model (it has no " + (model.getIrVersion() <= 0 ? "ir_version"
          : "graph") + ")");
    }
    return model;
  }
}
