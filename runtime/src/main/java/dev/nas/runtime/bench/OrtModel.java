package dev.nas.runtime.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.nas.core.graph.FeatureShape;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An ONNX model opened once in ONNX Runtime, for single-input float networks such as exported
 * classifiers: one float input with a dynamic batch dimension, logits out. It runs on the CPU
 * unless opened with a GPU {@link ExecutionProvider}.
 *
 * <p>The session is created with graph optimisation level ALL, sequential execution (one inter-op
 * thread) and the given number of intra-op threads. {@link #run} may be called from several
 * threads at once, as ONNX Runtime sessions allow; {@link #close} must not race with it.
 */
public final class OrtModel implements AutoCloseable {
  private final Path path;
  private final int intraOpThreads;
  private final ExecutionProvider provider;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final long[] inputShape;
  private final String outputName;
  private volatile boolean closed;

  /**
   * The output of one run.
   *
   * @param values the output tensor, row-major
   * @param shape its dimensions, batch first
   */
  public record Output(float[] values, long[] shape) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Output out && Arrays.equals(out.values, values) && Arrays.equals(out.shape, shape);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return "Output[shape=" + Arrays.toString(shape) + ", " + values.length + " values]";
    }
  }

  private OrtModel(Path path, int intraOpThreads, ExecutionProvider provider, OrtEnvironment env,
      OrtSession session, String inputName, long[] inputShape, String outputName) {
    this.path = path;
    this.intraOpThreads = intraOpThreads;
    this.provider = provider;
    this.env = env;
    this.session = session;
    this.inputName = inputName;
    this.inputShape = inputShape;
    this.outputName = outputName;
  }

  /**
   * Opens {@code onnx} with {@code intraOpThreads} intra-op threads.
   *
   * @throws NoSuchFileException if there is no file at {@code onnx}
   * @throws IOException if the file cannot be read or is not a valid ONNX model
   * @throws IllegalArgumentException if the model is valid but not a single-float-input,
   *     float-output network
   */
  public static OrtModel open(Path onnx, int intraOpThreads) throws IOException {
    return open(onnx, intraOpThreads, ExecutionProvider.CPU);
  }

  /**
   * Opens {@code onnx} with {@code intraOpThreads} intra-op threads on {@code provider}.
   *
   * @throws dev.nas.runtime.gpu.GpuUnavailableException if a GPU provider cannot start here,
   *     naming what is missing
   * @see #open(Path, int)
   */
  public static OrtModel open(Path onnx, int intraOpThreads, ExecutionProvider provider) throws IOException {
    OrtSession session = OrtSessions.open(onnx, intraOpThreads, provider, false);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try {
      String input = onlyFloatInput(onnx, session);
      long[] shape = ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape();
      String output = firstFloatOutput(onnx, session);
      return new OrtModel(onnx, intraOpThreads, provider, env, session, input, shape, output);
    } catch (OrtException e) {
      closeQuietly(session, e);
      throw new IOException("cannot read the inputs and outputs of ONNX model " + onnx + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    }
  }

  private static String onlyFloatInput(Path onnx, OrtSession session) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("ONNX model " + onnx + " has " + inputs.size() + " inputs "
          + inputs.keySet() + "; only single-input networks are supported");
    }
    NodeInfo input = inputs.values().iterator().next();
    requireFloatTensor(onnx, "input", input);
    return input.getName();
  }

  private static String firstFloatOutput(Path onnx, OrtSession session) throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("ONNX model " + onnx + " has no outputs");
    }
    NodeInfo output = outputs.values().iterator().next();
    requireFloatTensor(onnx, "output", output);
    return output.getName();
  }

  private static void requireFloatTensor(Path onnx, String role, NodeInfo node) {
    ValueInfo info = node.getInfo();
    if (!(info instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException("ONNX model " + onnx + " " + role + " '" + node.getName() + "' is " + info
          + "; only float32 tensors are supported");
    }
  }

  private static void closeQuietly(OrtSession session, Exception primary) {
    try {
      session.close();
    } catch (OrtException e) {
      primary.addSuppressed(e);
    }
  }

  public Path path() {
    return path;
  }

  public int intraOpThreads() {
    return intraOpThreads;
  }

  public ExecutionProvider provider() {
    return provider;
  }

  public String inputName() {
    return inputName;
  }

  public String outputName() {
    return outputName;
  }

  /** The declared input shape, batch first; dynamic dimensions are {@code -1}. */
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** The ONNX Runtime version doing the work, for reports. */
  public String runtimeVersion() {
    return env.getVersion();
  }

  /**
   * The concrete input shape for {@code batch} samples: the model's declared shape with the batch
   * dimension set, and any other dynamic dimension taken from {@code sample} (per-sample shape,
   * without batch), which may be {@code null} when the model fixes them all.
   *
   * @throws IllegalArgumentException if the model fixes a different batch size, a dynamic
   *     dimension has no value, or {@code sample} contradicts a fixed dimension
   */
  public long[] inputShapeFor(int batch, FeatureShape sample) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batch);
    }
    if (inputShape.length == 0) {
      throw new IllegalArgumentException("ONNX model " + path + " input '" + inputName + "' is a scalar; "
          + "a batch dimension is needed");
    }
    long[] given = sample == null ? null : sample.withBatch(batch);
    if (given != null && given.length != inputShape.length) {
      throw new IllegalArgumentException("sample shape " + sample + " has rank " + (given.length - 1)
          + " but ONNX model " + path + " expects input " + describe(inputShape));
    }
    long[] shape = new long[inputShape.length];
    for (int i = 0; i < shape.length; i++) {
      long declared = inputShape[i];
      long wanted = i == 0 ? batch : given == null ? -1 : given[i];
      if (declared >= 0 && wanted >= 0 && declared != wanted) {
        throw new IllegalArgumentException("ONNX model " + path + " fixes input dimension " + i + " to " + declared
            + " (input " + describe(inputShape) + "), cannot use " + wanted
            + (i == 0 ? "; export the model with a dynamic batch dimension" : ""));
      }
      shape[i] = declared >= 0 ? declared : wanted;
      if (shape[i] < 0) {
        throw new IllegalArgumentException("ONNX model " + path + " input " + describe(inputShape)
            + " has dynamic dimension " + i + "; give the per-sample shape");
      }
    }
    return shape;
  }

  /**
   * Runs the model on {@code input} of the given {@code shape} (batch first) and returns the first
   * output, copied into Java memory.
   *
   * @throws IllegalArgumentException if {@code shape} does not fit the model or the data length
   * @throws IllegalStateException if ONNX Runtime fails while running, or the model is closed
   */
  public Output run(float[] input, long[] shape) {
    checkInput(input, shape);
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      OnnxValue value = result.get(outputName).orElseThrow();
      OnnxTensor out = (OnnxTensor) value;
      FloatBuffer buffer = out.getFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      return new Output(values, out.getInfo().getShape());
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed running " + path + " on input " + describe(shape) + ": "
          + e.getMessage(), e);
    }
  }

  private void checkInput(float[] input, long[] shape) {
    if (closed) {
      throw new IllegalStateException("ONNX model " + path + " is closed");
    }
    if (shape.length != inputShape.length) {
      throw new IllegalArgumentException("input shape " + describe(shape) + " has rank " + shape.length
          + " but ONNX model " + path + " expects " + describe(inputShape));
    }
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] <= 0 || (inputShape[i] >= 0 && inputShape[i] != shape[i])) {
        throw new IllegalArgumentException("input shape " + describe(shape) + " does not fit ONNX model " + path
            + " input " + describe(inputShape));
      }
      n = Math.multiplyExact(n, shape[i]);
    }
    if (n != input.length) {
      throw new IllegalArgumentException("input shape " + describe(shape) + " holds " + n + " values, got "
          + input.length);
    }
  }

  /** Shape as {@code [N, 3, ?, ?]}: {@code N} for a dynamic batch, {@code ?} for other dynamic dimensions. */
  static String describe(long[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      String dynamic = i == 0 ? "N" : "?";
      sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? dynamic : Long.toString(shape[i]));
    }
    return sb.append(']').toString();
  }

  OrtEnvironment environment() {
    return env;
  }

  OrtSession session() {
    return session;
  }

  /** Releases the native session; later calls to {@link #run} fail. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX Runtime session for " + path, e);
    }
  }
}
