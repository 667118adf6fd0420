package dev.nas.runtime.triton;

import com.google.protobuf.Descriptors;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.TextFormatParseLocation;
import dev.nas.runtime.onnx.OnnxModelInfo;
import dev.nas.runtime.onnx.OnnxTensorInfo;
import dev.nas.runtime.triton.proto.DataType;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.runtime.triton.proto.ModelDynamicBatching;
import dev.nas.runtime.triton.proto.ModelInput;
import dev.nas.runtime.triton.proto.ModelOutput;
import dev.nas.runtime.triton.proto.ModelQueuePolicy;
import dev.nas.runtime.triton.proto.ModelVersionPolicy;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Triton model configurations ({@code config.pbtxt}, protobuf text format of Triton's
 * {@code ModelConfig}): reading with clear errors, writing, and the configuration nas writes for
 * an exported model.
 *
 * <p>A repository may come from anyone, so reading also bounds what a configuration may ask for
 * (the {@code MAX_} constants: file size, batch size, queue size and delay, instances, rank and
 * bytes of a tensor, a model file name that stays in its version folder); a value outside them
 * fails with the file, line and column it was written at.
 */
public final class ModelConfigs {
  /** The file name Triton looks for in a model's folder. */
  public static final String FILE = "config.pbtxt";
  /** Triton's platform name for ONNX models (served by the ONNX Runtime backend). */
  public static final String ONNX_PLATFORM = "onnxruntime_onnx";
  /** Triton's platform name for serialized TensorRT engines. */
  public static final String TENSORRT_PLATFORM = "tensorrt_plan";

  /** The largest {@code config.pbtxt} read; a model's configuration is a few hundred bytes. */
  public static final int MAX_FILE_BYTES = 1 << 20;
  /** The largest {@code max_batch_size} accepted: rows of one request and of one formed batch. */
  public static final int MAX_BATCH_SIZE = 1 << 16;
  /** The longest {@code max_queue_delay_microseconds} accepted (10 s). */
  public static final long MAX_QUEUE_DELAY_MICROS = 10_000_000L;
  /** The largest {@code default_queue_policy.max_queue_size} accepted. */
  public static final int MAX_QUEUE_SIZE = 1 << 16;
  /** The most instances all {@code instance_group}s of a model may ask for together. */
  public static final int MAX_INSTANCES = 1024;
  /** The most dims an input or output may have (as many as an inference request may give). */
  public static final int MAX_RANK = 16;
  /** The most bytes one batch of one input or output may take: Java buffers are int-indexed. */
  public static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;

  private static final String UNKNOWN = "Input contains unknown fields and/or extensions:";

  private ModelConfigs() {}

  /**
   * A configuration as read from text, with where each field was written, for messages that point
   * at the line a value came from.
   */
  public static final class Parsed {
    private final ModelConfig config;
    private final List<String> ignoredFields;
    private final String source;
    private final TextFormatParseInfoTree tree;

    private Parsed(ModelConfig config, List<String> ignoredFields, String source, TextFormatParseInfoTree tree) {
      this.config = config;
      this.ignoredFields = List.copyOf(ignoredFields);
      this.source = source;
      this.tree = tree;
    }

    /** The fields nas understands. */
    public ModelConfig config() {
      return config;
    }

    /**
     * Fields of Triton's schema (or typos) outside the subset nas reads, as
     * {@code line:column: name}; they were skipped.
     */
    public List<String> ignoredFields() {
      return ignoredFields;
    }

    /**
     * {@code source:line:column} of the field at {@code path}, e.g. {@code max_batch_size},
     * {@code instance_group[1].count} or {@code input[0].dims[2]}; the enclosing field's place
     * when the text does not pin that one down, and {@code source} alone when the field was not
     * written (a default value).
     */
    public String where(String path) {
      TextFormatParseInfoTree t = tree;
      Descriptors.Descriptor type = ModelConfig.getDescriptor();
      TextFormatParseLocation best = null;
      // Protobuf merges the elements of a list written as [ {...}, {...} ] into one nested
      // tree, so an element's fields are then found by the element's index among them.
      int merged = -1;
      String[] steps = path.split("\\.");
      for (int s = 0; s < steps.length; s++) {
        String step = steps[s];
        int bracket = step.indexOf('[');
        int index = bracket < 0 ? -1 : Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
        Descriptors.FieldDescriptor f = type.findFieldByName(bracket < 0 ? step : step.substring(0, bracket));
        if (f == null) {
          throw new IllegalArgumentException("no field " + step + " in " + type.getName());
        }
        if (merged >= 0 && index >= 0) {
          break;
        }
        int pick = merged >= 0 ? merged : Math.max(index, 0);
        List<TextFormatParseLocation> at = t.getLocations(f);
        if (pick < at.size()) {
          best = at.get(pick);
        } else if (!at.isEmpty() && merged < 0) {
          best = at.get(at.size() - 1);
        }
        if (s == steps.length - 1 || f.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
          break;
        }
        List<TextFormatParseInfoTree> nested = t.getNestedTrees(f);
        if (nested.isEmpty()) {
          break;
        }
        int element = Math.max(index, 0);
        merged = element < nested.size() ? -1 : element;
        t = nested.get(element < nested.size() ? element : 0);
        type = f.getMessageType();
      }
      return best == null ? source : source + ":" + (best.getLine() + 1) + ":" + (best.getColumn() + 1);
    }
  }

  /** Reads and validates {@code file}; errors name the file, line and column. */
  public static Parsed read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "model configuration not found");
    }
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException(file + ": " + size + " bytes; a model configuration may have at most " + MAX_FILE_BYTES
          + " bytes");
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
   * still loads; syntax errors, values of the wrong type and values outside the bounds above fail.
   *
   * @param source how to name the text in errors, e.g. its path
   */
  public static Parsed parse(String text, String source) throws IOException {
    List<String> ignored = new ArrayList<>();
    ModelConfig.Builder b = ModelConfig.newBuilder();
    TextFormatParseInfoTree.Builder tree = TextFormatParseInfoTree.builder();
    try {
      TextFormat.Parser.newBuilder().setParseInfoTreeBuilder(tree).build().merge(text, b);
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
      tree = TextFormatParseInfoTree.builder();
      try {
        lenientParser(tree).merge(text, b);
      } catch (TextFormat.ParseException e) {
        throw new IOException(source + ":" + strip(String.valueOf(e.getMessage())));
      }
    }
    Parsed p = new Parsed(b.build(), ignored, source, tree.build());
    validate(p);
    return p;
  }

  private static TextFormat.Parser lenientParser(TextFormatParseInfoTree.Builder tree) {
    // The lenient parser logs the skipped fields through java.util.logging; they are reported
    // by the caller instead, once and in our format.
    Logger.getLogger(TextFormat.class.getName()).setLevel(Level.OFF);
    return TextFormat.Parser.newBuilder().setAllowUnknownFields(true).setParseInfoTreeBuilder(tree).build();
  }

  private static String strip(String message) {
    return message.startsWith(":") ? message.substring(1) : message;
  }

  private static void validate(Parsed p) throws IOException {
    ModelConfig c = p.config();
    int maxBatch = c.getMaxBatchSize();
    if (maxBatch < 0 || maxBatch > MAX_BATCH_SIZE) {
      throw new IOException(p.where("max_batch_size") + ": max_batch_size must be in 0.." + MAX_BATCH_SIZE + ", got "
          + maxBatch);
    }
    if (c.hasDynamicBatching() && maxBatch == 0) {
      throw new IOException(p.where("dynamic_batching") + ": dynamic_batching needs max_batch_size > 0");
    }
    ModelDynamicBatching db = c.getDynamicBatching();
    for (int i = 0; i < db.getPreferredBatchSizeCount(); i++) {
      int size = db.getPreferredBatchSize(i);
      if (size <= 0 || size > maxBatch) {
        throw new IOException(p.where("dynamic_batching.preferred_batch_size[" + i + "]") + ": preferred_batch_size "
            + size + " is outside 1.." + maxBatch);
      }
    }
    long delay = db.getMaxQueueDelayMicroseconds();
    if (Long.compareUnsigned(delay, MAX_QUEUE_DELAY_MICROS) > 0) {
      throw new IOException(p.where("dynamic_batching.max_queue_delay_microseconds")
          + ": max_queue_delay_microseconds " + Long.toUnsignedString(delay) + " is more than the "
          + MAX_QUEUE_DELAY_MICROS + " (10 s) a request may wait for others to batch with");
    }
    int queue = db.getDefaultQueuePolicy().getMaxQueueSize();
    if (Integer.compareUnsigned(queue, MAX_QUEUE_SIZE) > 0) {
      throw new IOException(p.where("dynamic_batching.default_queue_policy.max_queue_size") + ": max_queue_size "
          + Integer.toUnsignedString(queue) + " is more than " + MAX_QUEUE_SIZE + " (0 keeps the server's default)");
    }
    long instances = 0;
    for (int i = 0; i < c.getInstanceGroupCount(); i++) {
      int count = c.getInstanceGroup(i).getCount();
      if (count < 0) {
        throw new IOException(p.where("instance_group[" + i + "].count") + ": instance_group count must be at least "
            + "0, got " + count);
      }
      instances += count;
      if (instances > MAX_INSTANCES) {
        throw new IOException(p.where("instance_group[" + i + "].count") + ": instance_group counts add up to "
            + instances + "; at most " + MAX_INSTANCES + " instances per model");
      }
    }
    ModelVersionPolicy policy = c.getVersionPolicy();
    if (policy.hasLatest() && policy.getLatest().getNumVersions() == 0) {
      throw new IOException(p.where("version_policy.latest.num_versions")
          + ": version_policy latest needs num_versions >= 1");
    }
    for (int i = 0; i < policy.getSpecific().getVersionsCount(); i++) {
      if (policy.getSpecific().getVersions(i) < 0) {
        throw new IOException(p.where("version_policy.specific.versions[" + i + "]") + ": version "
            + policy.getSpecific().getVersions(i) + " is negative; versions are numbered from 0");
      }
    }
    String file = c.getDefaultModelFilename();
    if (!file.isEmpty() && !plainFileName(file)) {
      throw new IOException(p.where("default_model_filename") + ": default_model_filename '" + printable(file)
          + "' must be the name of a file in the version folder, not a path");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.getInputCount(); i++) {
      ModelInput in = c.getInput(i);
      checkTensor(p, "input[" + i + "]", "input", in.getName(), in.getDataType(), in.getDimsList(), maxBatch, names);
    }
    names.clear();
    for (int i = 0; i < c.getOutputCount(); i++) {
      ModelOutput out = c.getOutput(i);
      checkTensor(p, "output[" + i + "]", "output", out.getName(), out.getDataType(), out.getDimsList(), maxBatch,
          names);
    }
  }

  private static void checkTensor(Parsed p, String path, String kind, String name, DataType type, List<Long> dims,
      int maxBatch, Set<String> names) throws IOException {
    if (name.isEmpty()) {
      throw new IOException(p.where(path) + ": an " + kind + " has no name");
    }
    if (!names.add(name)) {
      throw new IOException(p.where(path + ".name") + ": " + kind + " '" + name + "' is declared twice");
    }
    if (dims.size() > MAX_RANK) {
      throw new IOException(p.where(path + ".dims") + ": " + kind + " '" + name + "' has " + dims.size()
          + " dims; at most " + MAX_RANK);
    }
    long bytes = Math.max(1, maxBatch) * (long) elementBytes(type);
    for (int j = 0; j < dims.size(); j++) {
      long d = dims.get(j);
      if (d == 0 || d < -1) {
        throw new IOException(p.where(path + ".dims[" + j + "]") + ": " + kind + " '" + name + "' has dimension " + d
            + "; dims are positive or -1 (dynamic)");
      }
      if (d > 0) {
        bytes = d > MAX_TENSOR_BYTES ? Long.MAX_VALUE : bytes * d; // both factors fit 2^31: no overflow
        if (bytes > MAX_TENSOR_BYTES) {
          throw new IOException(p.where(path + ".dims[" + j + "]") + ": " + kind + " '" + name + "' dims " + dims
              + (maxBatch > 0 ? " in batches of " + maxBatch : "") + " take more than " + MAX_TENSOR_BYTES
              + " bytes; a tensor must fit 2 GiB");
        }
      }
    }
  }

  /** Bytes per element; 1 for strings, whose size a configuration does not say. */
  private static int elementBytes(DataType type) {
    return switch (type) {
      case TYPE_UINT16, TYPE_INT16, TYPE_FP16, TYPE_BF16 -> 2;
      case TYPE_UINT32, TYPE_INT32, TYPE_FP32 -> 4;
      case TYPE_UINT64, TYPE_INT64, TYPE_FP64 -> 8;
      default -> 1;
    };
  }

  private static boolean plainFileName(String name) {
    return name.length() <= 255 && !name.equals(".") && !name.equals("..")
        && name.chars().noneMatch(ch -> ch == '/' || ch == '\\' || ch < 0x20 || ch == 0x7f);
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().limit(200).forEach(cp -> sb.append(cp < 0x20 || cp == 0x7f ? "?" : Character.toString(cp)));
    return s.length() > 200 ? sb + "..." : sb.toString();
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
    if (maxBatchSize <= 0 || maxBatchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("max batch size must be in 1.." + MAX_BATCH_SIZE + ", got " + maxBatchSize);
    }
    if (maxQueueDelayMicros > MAX_QUEUE_DELAY_MICROS) {
      throw new IllegalArgumentException("max queue delay must be at most " + MAX_QUEUE_DELAY_MICROS + " us, got "
          + maxQueueDelayMicros);
    }
    if (maxQueueSize < 0 || maxQueueSize > MAX_QUEUE_SIZE) {
      throw new IllegalArgumentException("max queue size must be in 0.." + MAX_QUEUE_SIZE + ", got " + maxQueueSize);
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
