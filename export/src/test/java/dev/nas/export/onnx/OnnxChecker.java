package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nas.export.onnx.proto.ModelProto;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.onnx.global.onnx;

/** The official ONNX checker (C++ onnx 1.17 through the bytedeco preset). */
final class OnnxChecker {
  private static final String LOAD_FAILURE = loadFailure();

  private OnnxChecker() {}

  /** Whether the checker's native library loaded. */
  static boolean available() {
    return LOAD_FAILURE == null;
  }

  /** Skips the calling test, saying why, when the checker's native library cannot load here. */
  static void assumeAvailable() {
    assumeTrue(LOAD_FAILURE == null, () -> "ONNX checker native library does not load: " + LOAD_FAILURE);
  }

  /**
   * Runs the full check (structure, operator schemas, strict shape inference); throws with the
   * checker's message when the model is invalid.
   */
  static void check(ModelProto model) {
    assumeAvailable();
    byte[] bytes = model.toByteArray();
    org.bytedeco.onnx.ModelProto parsed = new org.bytedeco.onnx.ModelProto();
    try (BytePointer data = new BytePointer(bytes)) {
      if (!parsed.ParseFromArray(data, bytes.length)) {
        throw new AssertionError("the ONNX library cannot parse the model's bytes");
      }
      onnx.check_model(parsed, true, false, false);
    } finally {
      parsed.close();
    }
  }

  private static String loadFailure() {
    try {
      Loader.load(onnx.class);
      return null;
    } catch (Throwable e) {
      return e.toString();
    }
  }
}
