package dev.nas.runtime.triton;

import com.google.protobuf.TextFormat;
import dev.nas.runtime.onnx.OnnxModelInfo;
import dev.nas.runtime.onnx.OnnxTensorInfo;
import dev.nas.runtime.triton.proto.DataType;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.runtime.triton.proto.ModelDynamicBatching;
import dev.nas.runtime.triton.proto.ModelInput;
import dev.nas.runtime.triton.proto.ModelInstanceGroup;
import dev.nas.runtime.triton.proto.ModelOutput;
import dev.nas.runtime.triton.proto.ModelQueuePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Triton model configurations ({@code config.pbtxt}, protobuf text format of Triton's
 * {@code ModelConfig}): reading with clear errors, writing, and the configuration nas writes for
 * an exported model.
 */
public final class ModelConfigs {
  /** The file name Triton looks for in a model's folder. */
  public static final String FILE = "config.pbtxt";
  /** Triton's platform name for ONNX models (served by the ONNX Runtime backend). */
  public static final String ONNX_PLATFORM = "onnxruntime_onnx";
  /** Triton's platform name for serialized TensorRT engines. */
  public static final String TENSORRT_PLATFORM = "tensorrt_plan";

  private static final String UNKNOWN = "Input contains unknown fields and/or extensions:";

  private ModelConfigs() {}

  /**
   * A configuration as read from text.
   *
   * @param config the fields nas understands
   * @param ignoredFields fields of Triton's schema (or typos) outside the subset nas reads, as
   *     {@code line:column: name}; they were skipped
   */
  public record Parsed(ModelConfig config, List<String> ignoredFields) {
    public Parsed {
      ignoredFields = List.copyOf(ignoredFields);
    }
  }

  /** Reads and validates {@code file}; errors name the file, line and column. */
  public static Parsed read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "model configuration not found");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not a text file (invalid UTF-8)");
    }
    return parse(text, file.toString());
  }

  /**
   * Parses protobuf text format. Fields outside the subset in {@code triton_model_config.proto}
   * are skipped and listed, so a Triton configuration with, say, an {@code optimization} block
   * still loads; syntax errors and values of the wrong type fail.
   *
   * @param source how to name the text in errors, e.g. its path
   */
  public static Parsed parse(String text, String source) throws IOException {
    List<String> ignored = new ArrayList<>();
    ModelConfig.Builder b = ModelConfig.newBuilder();
    try {
      TextFormat.Parser.newBuilder().build().merge(text, b);
    } catch (TextFormat.ParseException strict) {
      String msg = String.valueOf(strict.getMessage());
      if (!msg.contains(UNKNOWN)) {
        throw new IOException(source + ":" + strip(msg));
      }
      for (String line : msg.substring(msg.indexOf(UNKNOWN) + UNKNOWN.length()).split("\n")) {
        if (!line.isBlank()) {
          ignored.add(line.trim().replace("\tinference.ModelConfig.", " ").replace("\tinference.", " ")
              .replace("\t", " "));
        }
      }
      b = ModelConfig.newBuilder();
      try {
        lenientParser().merge(text, b);
      } catch (TextFormat.ParseException e) {
        throw new IOException(source + ":" + strip(String.valueOf(e.getMessage())));
      }
    }
    ModelConfig c = b.build();
    validate(c, source);
    return new Parsed(c, ignored);
  }

  private static TextFormat.Parser lenientParser() {
    // The lenient parser logs the skipped fields through java.util.logging; they are reported
    // by the caller instead, once and in our format.
    Logger.getLogger(TextFormat.class.getName()).setLevel(Level.OFF);
    return TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build();
  }

  private static String strip(String message) {
    return message.startsWith(":") ? message.substring(1) : message;
  }

  private static void validate(ModelConfig c, String source) throws IOException {
    if (c.getMaxBatchSize() < 0) {
      throw new IOException(source + ": max_batch_size must be at least 0, got " + c.getMaxBatchSize());
    }
    if (c.hasDynamicBatching() && c.getMaxBatchSize() == 0) {
      throw new IOException(source + ": dynamic_batching needs max_batch_size > 0");
    }
    for (int p : c.getDynamicBatching().getPreferredBatchSizeList()) {
      if (p <= 0 || p > c.getMaxBatchSize()) {
        throw new IOException(source + ": preferred_batch_size " + p + " is outside 1.." + c.getMaxBatchSize());
      }
    }
    for (ModelInstanceGroup g : c.getInstanceGroupList()) {
      if (g.getCount() < 0) {
        throw new IOException(source + ": instance_group count must be at least 0, got " + g.getCount());
      }
    }
    if (c.getVersionPolicy().hasLatest() && c.getVersionPolicy().getLatest().getNumVersions() == 0) {
      throw new IOException(source + ": version_policy latest needs num_versions >= 1");
    }
    for (ModelInput in : c.getInputList()) {
      checkDims(source, "input", in.getName(), in.getDimsList());
    }
    for (ModelOutput out : c.getOutputList()) {
      checkDims(source, "output", out.getName(), out.getDimsList());
    }
  }

  private static void checkDims(String source, String kind, String name, List<Long> dims) throws IOException {
    if (name.isEmpty()) {
      throw new IOException(source + ": an " + kind + " has no name");
    }
    for (long d : dims) {
      if (d == 0 || d < -1) {
        throw new IOException(source + ": " + kind + " '" + name + "' has dimension " + d
            + "; dims are positive or -1 (dynamic)");
      }
    }
  }

  /** Protobuf text format, as Triton writes and reads it. */
  public static String toText(ModelConfig config) {
    return TextFormat.printer().printToString(config);
  }

  /**
   * The configuration of an exported model: its inputs and outputs as the ONNX file declares
   * them. When the first dimension of every input and output is dynamic, the model batches:
   * {@code max_batch_size} is set and the batch dimension is left out of the dims, as Triton
   * expects; otherwise {@code max_batch_size} is 0 and the dims are the full shapes.
   *
   * @param platform {@link #ONNX_PLATFORM} or {@link #TENSORRT_PLATFORM}
   * @param maxBatchSize largest batch a request or a dynamically formed batch may have
   * @param maxQueueDelayMicros dynamic batching's wait for more requests; negative for no
   *     dynamic batching
   * @param maxQueueSize bound of the model's request queue, 0 for Triton's unbounded default
   */
  public static ModelConfig forModel(String name, String platform, OnnxModelInfo info, int maxBatchSize,
      long maxQueueDelayMicros, int maxQueueSize) {
    if (maxBatchSize <= 0) {
      throw new IllegalArgumentException("max batch size must be positive, got " + maxBatchSize);
    }
    boolean batches = info.inputs().stream().allMatch(ModelConfigs::batchFirst)
        && info.outputs().stream().allMatch(ModelConfigs::batchFirst);
    ModelConfig.Builder b = ModelConfig.newBuilder().setName(name).setPlatform(platform)
        .setMaxBatchSize(batches ? maxBatchSize : 0);
    for (OnnxTensorInfo t : info.inputs()) {
      b.addInput(ModelInput.newBuilder().setName(t.name()).setDataType(dataType(t.elementType()))
          .addAllDims(batches ? t.dims().subList(1, t.dims().size()) : t.dims()));
    }
    for (OnnxTensorInfo t : info.outputs()) {
      b.addOutput(ModelOutput.newBuilder().setName(t.name()).setDataType(dataType(t.elementType()))
          .addAllDims(batches ? t.dims().subList(1, t.dims().size()) : t.dims()));
    }
    if (batches && maxQueueDelayMicros >= 0) {
      ModelDynamicBatching.Builder db = ModelDynamicBatching.newBuilder()
          .setMaxQueueDelayMicroseconds(maxQueueDelayMicros);
      if (maxQueueSize > 0) {
        db.setDefaultQueuePolicy(ModelQueuePolicy.newBuilder().setMaxQueueSize(maxQueueSize));
      }
      b.setDynamicBatching(db);
    }
    return b.build();
  }

  private static boolean batchFirst(OnnxTensorInfo t) {
    return !t.dims().isEmpty() && t.dims().get(0) == -1;
  }

  /** Triton's data type for an ONNX element type name (as {@link OnnxTensorInfo} gives it). */
  public static DataType dataType(String onnxElementType) {
    return switch (onnxElementType.toUpperCase(Locale.ROOT)) {
      case "BOOL" -> DataType.TYPE_BOOL;
      case "UINT8" -> DataType.TYPE_UINT8;
      case "UINT16" -> DataType.TYPE_UINT16;
      case "UINT32" -> DataType.TYPE_UINT32;
      case "UINT64" -> DataType.TYPE_UINT64;
      case "INT8" -> DataType.TYPE_INT8;
      case "INT16" -> DataType.TYPE_INT16;
      case "INT32" -> DataType.TYPE_INT32;
      case "INT64" -> DataType.TYPE_INT64;
      case "FLOAT16" -> DataType.TYPE_FP16;
      case "FLOAT" -> DataType.TYPE_FP32;
      case "DOUBLE" -> DataType.TYPE_FP64;
      case "STRING" -> DataType.TYPE_STRING;
      case "BFLOAT16" -> DataType.TYPE_BF16;
      default -> throw new IllegalArgumentException("ONNX element type " + onnxElementType
          + " has no Triton data type");
    };
  }

  /** The Open Inference Protocol's name of a Triton data type, e.g. {@code FP32}. */
  public static String protocolName(DataType type) {
    if (type == DataType.TYPE_INVALID || type == DataType.UNRECOGNIZED) {
      throw new IllegalArgumentException("no protocol name for " + type);
    }
    return type == DataType.TYPE_STRING ? "BYTES" : type.name().substring("TYPE_".length());
  }
}
