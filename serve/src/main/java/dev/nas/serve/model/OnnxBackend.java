package dev.nas.serve.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.bench.OrtSessions;
import dev.nas.serve.protocol.DataType;
import dev.nas.serve.protocol.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model in an ONNX Runtime CPU session, with any number of inputs and outputs of the
 * supported element types. The session is shared by the model's workers (ONNX Runtime allows
 * concurrent runs); options as {@code nas bench} uses them: all graph optimisations, sequential
 * execution, the given intra-op threads, except that several intra-op threads wait without
 * spinning.
 */
public final class OnnxBackend implements Backend {
  public static final String PLATFORM = "onnxruntime_onnx";

  private final Path file;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Map<String, OnnxJavaType> inputTypes = new LinkedHashMap<>();

  private OnnxBackend(Path file, OrtEnvironment env, OrtSession session, List<TensorSpec> inputs,
      List<TensorSpec> outputs) {
    this.file = file;
    this.env = env;
    this.session = session;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    for (TensorSpec s : inputs) {
      inputTypes.put(s.name(), ortType(s.datatype()));
    }
  }

  /**
   * Opens {@code file}.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws IOException if it is not a model ONNX Runtime can load, or it has an input or output
   *     this server cannot exchange (not a tensor, or an unsupported element type)
   */
  public static OnnxBackend open(Path file, int intraOpThreads) throws IOException {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      // Tensor bytes are little-endian on the wire and handed to ONNX Runtime as they are.
      throw new IOException("serving ONNX models needs a little-endian CPU");
    }
    OrtSession session = OrtSessions.open(file, intraOpThreads, ExecutionProvider.CPU, true);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try {
      return new OnnxBackend(file, env, session, specs(file, "input", session.getInputInfo()),
          specs(file, "output", session.getOutputInfo()));
    } catch (OrtException e) {
      IOException io = new IOException("cannot read the inputs and outputs of " + file + ": " + e.getMessage(), e);
      closeQuietly(session, io);
      throw io;
    } catch (IOException | RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    }
  }

  private static void closeQuietly(OrtSession session, Exception primary) {
    try {
      session.close();
    } catch (OrtException e) {
      primary.addSuppressed(e);
    }
  }

  private static List<TensorSpec> specs(Path file, String role, Map<String, NodeInfo> nodes) throws IOException {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo n : nodes.values()) {
      if (!(n.getInfo() instanceof TensorInfo t)) {
        throw new IOException("ONNX model " + file + " " + role + " '" + n.getName() + "' is not a tensor ("
            + n.getInfo() + "); only tensors can be served");
      }
      DataType d = datatype(t.type);
      if (d == null) {
        throw new IOException("ONNX model " + file + " " + role + " '" + n.getName() + "' has element type "
            + t.type + "; this server supports " + DataType.supported());
      }
      specs.add(new TensorSpec(n.getName(), d, t.getShape()));
    }
    if (specs.isEmpty()) {
      throw new IOException("ONNX model " + file + " has no " + role + "s");
    }
    return specs;
  }

  private static DataType datatype(OnnxJavaType t) {
    return switch (t) {
      case FLOAT -> DataType.FP32;
      case DOUBLE -> DataType.FP64;
      case INT8 -> DataType.INT8;
      case UINT8 -> DataType.UINT8;
      case INT32 -> DataType.INT32;
      case INT64 -> DataType.INT64;
      case BOOL -> DataType.BOOL;
      default -> null;
    };
  }

  private static OnnxJavaType ortType(DataType d) {
    return switch (d) {
      case FP32 -> OnnxJavaType.FLOAT;
      case FP64 -> OnnxJavaType.DOUBLE;
      case INT8 -> OnnxJavaType.INT8;
      case UINT8 -> OnnxJavaType.UINT8;
      case INT32 -> OnnxJavaType.INT32;
      case INT64 -> OnnxJavaType.INT64;
      case BOOL -> OnnxJavaType.BOOL;
    };
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  /** The ONNX Runtime version, for logs. */
  public String runtimeVersion() {
    return env.getVersion();
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> in, Set<String> wanted) throws BackendException {
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    try {
      for (Tensor t : in.values()) {
        feeds.put(t.name(), OnnxTensor.createTensor(env, direct(t.data()), t.shape(), inputTypes.get(t.name())));
      }
      try (OrtSession.Result result = session.run(feeds, wanted)) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : outputs) {
          if (!wanted.contains(spec.name())) {
            continue;
          }
          OnnxValue v = result.get(spec.name()).orElseThrow();
          OnnxTensor t = (OnnxTensor) v;
          out.put(spec.name(), new Tensor(spec.name(), spec.datatype(), t.getInfo().getShape(), t.getByteBuffer()));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new BackendException("ONNX Runtime failed: " + String.valueOf(e.getMessage()).trim(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * {@code data} itself when direct (ONNX Runtime reads it in place), else a direct copy: ONNX
   * Runtime's own copy of a heap byte buffer only handles one-byte element types.
   */
  private static ByteBuffer direct(ByteBuffer data) {
    if (data.isDirect()) {
      return data;
    }
    ByteBuffer copy = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
    return copy.put(data).flip();
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the ONNX Runtime session of " + file, e);
    }
  }
}
