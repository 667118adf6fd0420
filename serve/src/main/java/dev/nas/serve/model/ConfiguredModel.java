package dev.nas.serve.model;

import dev.nas.runtime.triton.ModelConfigs;
import dev.nas.runtime.triton.ModelRepository.VersionDir;
import dev.nas.runtime.triton.proto.DataType;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.runtime.triton.proto.ModelInput;
import dev.nas.runtime.triton.proto.ModelOutput;
import dev.nas.runtime.triton.proto.ModelVersionPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * What a model's Triton {@code config.pbtxt} changes about how it is served, with Triton's
 * meanings: {@code max_batch_size} bounds the samples of a request and of a batch;
 * {@code dynamic_batching} turns server-side batching on (waiting
 * {@code max_queue_delay_microseconds}); without it every request runs alone.
 * {@code max_batch_size: 0} (a model without a batch dimension) also runs every request alone,
 * each of at most the command line's maximum batch size of rows.
 * {@code default_queue_policy.max_queue_size} bounds the queue, the {@code instance_group} counts
 * give the workers (at most {@link #INSTANCES_PER_CORE} per core), {@code version_policy}
 * picks the versions served (default: the latest one, as in Triton), and {@code input} and
 * {@code output} must fit the model file (see {@link #inputs}). Settings a configuration leaves
 * out keep the command line's values.
 */
public final class ConfiguredModel {
  /** Workers a configuration may ask for per core of this machine, all instance groups together. */
  public static final int INSTANCES_PER_CORE = 4;

  private ConfiguredModel() {}

  /**
   * {@code base} with what {@code parsed} sets.
   *
   * @throws IOException naming the file and line when the configuration asks for more workers
   *     than this machine's cores allow
   */
  public static ModelSettings settings(ModelConfigs.Parsed parsed, ModelSettings base) throws IOException {
    return settings(parsed, base, Runtime.getRuntime().availableProcessors());
  }

  static ModelSettings settings(ModelConfigs.Parsed parsed, ModelSettings base, int cores) throws IOException {
    ModelConfig c = parsed.config();
    int maxBatch = base.maxBatchSize();
    boolean batching = false;
    Duration delay = Duration.ZERO;
    if (c.getMaxBatchSize() > 0) {
      maxBatch = c.getMaxBatchSize();
      batching = c.hasDynamicBatching();
      if (batching) {
        // at most ModelConfigs.MAX_QUEUE_DELAY_MICROS, so this neither overflows nor goes negative
        delay = Duration.ofNanos(1000 * c.getDynamicBatching().getMaxQueueDelayMicroseconds());
      }
    }
    int queue = base.queueCapacity();
    int configuredQueue = c.getDynamicBatching().getDefaultQueuePolicy().getMaxQueueSize();
    if (configuredQueue > 0) {
      queue = configuredQueue;
    }
    int workers = 0;
    int allowed = INSTANCES_PER_CORE * cores;
    for (int i = 0; i < c.getInstanceGroupCount(); i++) {
      workers += c.getInstanceGroup(i).getCount(); // each count and their sum are bounded by ModelConfigs
      if (workers > allowed) {
        throw new IOException(parsed.where("instance_group[" + i + "].count") + ": instance_group counts add up to "
            + workers + " workers; this machine allows at most " + allowed + " (" + INSTANCES_PER_CORE + " per core, "
            + cores + " cores)");
      }
    }
    return new ModelSettings(maxBatch, delay, queue, workers > 0 ? workers : base.workers(), base.intraOpThreads(),
        batching);
  }

  /**
   * The model's inputs as its configuration declares them. A configured input must be one the
   * model file has, of the same datatype, with dims that fit the file's (the batch dimension
   * left out when {@code max_batch_size} is above 0, as in Triton); where the file leaves a
   * dimension dynamic and the configuration fixes it, requests are held to the configuration's
   * size. Outputs are checked the same way. Tensors the configuration does not list, and those
   * it reshapes, keep the file's shapes.
   *
   * @param file the model file, for messages
   * @throws IOException naming the configuration's file and line, when a tensor does not fit
   */
  public static List<TensorSpec> inputs(ModelConfigs.Parsed parsed, Backend backend, String file) throws IOException {
    ModelConfig c = parsed.config();
    List<TensorSpec> inputs = new java.util.ArrayList<>(backend.inputs());
    for (int i = 0; i < c.getInputCount(); i++) {
      ModelInput in = c.getInput(i);
      int at = indexOf(inputs, in.getName());
      TensorSpec narrowed = fit(parsed, "input[" + i + "]", "input", in.getName(), in.getDataType(), in.getDimsList(),
          in.hasReshape(), at < 0 ? null : inputs.get(at), backend.inputs(), file);
      inputs.set(at, narrowed);
    }
    for (int i = 0; i < c.getOutputCount(); i++) {
      ModelOutput out = c.getOutput(i);
      int at = indexOf(backend.outputs(), out.getName());
      fit(parsed, "output[" + i + "]", "output", out.getName(), out.getDataType(), out.getDimsList(), out.hasReshape(),
          at < 0 ? null : backend.outputs().get(at), backend.outputs(), file);
    }
    return inputs;
  }

  private static int indexOf(List<TensorSpec> specs, String name) {
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static TensorSpec fit(ModelConfigs.Parsed parsed, String path, String kind, String name, DataType type,
      List<Long> dims, boolean reshaped, TensorSpec model, List<TensorSpec> all, String file) throws IOException {
    if (model == null) {
      throw new IOException(parsed.where(path + ".name") + ": the configuration declares " + kind + " '" + name
          + "', which " + file + " does not have (" + kind + "s: " + String.join(", ", all.stream()
          .map(TensorSpec::name).toList()) + ")");
    }
    if (type != DataType.TYPE_INVALID && type != DataType.UNRECOGNIZED
        && !ModelConfigs.protocolName(type).equals(model.datatype().name())) {
      throw new IOException(parsed.where(path + ".data_type") + ": " + kind + " '" + name + "' is " + type
          + " in the configuration but " + model.datatype() + " in " + file);
    }
    if (reshaped) {
      return model;
    }
    int maxBatch = parsed.config().getMaxBatchSize();
    long[] declared = new long[dims.size() + (maxBatch > 0 ? 1 : 0)];
    int offset = 0;
    if (maxBatch > 0) {
      declared[0] = -1;
      offset = 1;
    }
    for (int j = 0; j < dims.size(); j++) {
      declared[j + offset] = dims.get(j);
    }
    long[] shape = model.shape();
    boolean fits = declared.length == shape.length && (maxBatch == 0 || shape[0] < 0);
    for (int j = 0; fits && j < shape.length; j++) {
      fits = shape[j] < 0 || declared[j] < 0 || shape[j] == declared[j];
    }
    if (!fits) {
      throw new IOException(parsed.where(path + ".dims") + ": " + kind + " '" + name + "' has dims " + dims
          + (maxBatch > 0 ? " after the batch dimension (max_batch_size " + maxBatch + ")" : "")
          + " in the configuration, but shape " + java.util.Arrays.toString(shape) + " in " + file
          + " (-1: any size)");
    }
    long[] narrowed = shape.clone();
    for (int j = 0; j < shape.length; j++) {
      if (shape[j] < 0 && declared[j] > 0) {
        narrowed[j] = declared[j];
      }
    }
    return new TensorSpec(model.name(), model.datatype(), narrowed);
  }

  /** The versions {@code c}'s version policy serves, ascending. */
  public static List<VersionDir> servedVersions(ModelConfig c, List<VersionDir> all) {
    ModelVersionPolicy p = c.getVersionPolicy();
    if (p.hasAll()) {
      return all;
    }
    if (p.hasSpecific()) {
      return all.stream().filter(v -> p.getSpecific().getVersionsList().contains(v.version())).toList();
    }
    // num_versions is a uint32: read it unsigned, so 4294967295 means all rather than an error
    long latest = p.hasLatest() ? Integer.toUnsignedLong(p.getLatest().getNumVersions()) : 1;
    return all.stream().sorted(Comparator.comparingLong(VersionDir::version).reversed()).limit(latest)
        .sorted(Comparator.comparingLong(VersionDir::version)).toList();
  }
}
