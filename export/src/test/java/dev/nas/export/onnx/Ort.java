package dev.nas.export.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nas.export.onnx.proto.ModelProto;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an exported model once in ONNX Runtime (CPU, one thread: the test machine is small). */
final class Ort {
  /** An output: its shape and values. */
  record Output(long[] shape, float[] data) {}

  private Ort() {}

  static Output run(ModelProto model, float[] input, long[] shape) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model.toByteArray(), options);
          OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
          OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, x))) {
        OnnxTensor y = (OnnxTensor) result.get(OnnxExporter.OUTPUT).orElseThrow();
        FloatBuffer buffer = y.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return new Output(y.getInfo().getShape(), data);
      }
    }
  }
}
