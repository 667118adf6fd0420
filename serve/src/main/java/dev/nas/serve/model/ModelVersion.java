package dev.nas.serve.model;

import dev.nas.serve.batching.Batcher;
import dev.nas.serve.batching.Job;
import dev.nas.serve.batching.QueueFullException;
import dev.nas.serve.metrics.VersionMetrics;
import dev.nas.serve.protocol.DataType;
import dev.nas.serve.protocol.InferRequest;
import dev.nas.serve.protocol.ProtocolException;
import dev.nas.serve.protocol.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One version of a model: ready (its backend loaded, a {@link Batcher} running it) or unavailable
 * with the reason, which its ready and metadata answers give.
 */
public final class ModelVersion implements AutoCloseable {
  private final String model;
  private final long version;
  private final String platform;
  private final Path file;
  private final Backend backend;
  private final Batcher batcher;
  private final VersionMetrics metrics;
  private final String reason;
  private final boolean batchable;
  private final int maxRows;
  private final List<TensorSpec> inputs;
  private final Map<String, TensorSpec> inputsByName = new HashMap<>();

  private ModelVersion(String model, long version, String platform, Path file, Backend backend, Batcher batcher,
      List<TensorSpec> inputs, int maxRows, VersionMetrics metrics, String reason) {
    this.model = model;
    this.version = version;
    this.platform = platform;
    this.file = file;
    this.backend = backend;
    this.batcher = batcher;
    this.metrics = metrics;
    this.reason = reason;
    this.maxRows = maxRows;
    this.inputs = List.copyOf(inputs);
    this.inputs.forEach(in -> inputsByName.put(in.name(), in));
    this.batchable = backend != null && backend.inputs().stream().allMatch(TensorSpec::dynamicBatch)
        && backend.outputs().stream().allMatch(TensorSpec::dynamicBatch);
  }

  /**
   * @param inputs the backend's inputs as requests must give them (a configuration may fix
   *     dimensions the model file leaves dynamic)
   * @param maxRows most rows (dimension 0, where it is dynamic) of a request's inputs
   */
  static ModelVersion ready(String model, long version, Path file, Backend backend, Batcher batcher,
      List<TensorSpec> inputs, int maxRows, VersionMetrics metrics) {
    return new ModelVersion(model, version, backend.platform(), file, backend, batcher, inputs, maxRows, metrics,
        null);
  }

  static ModelVersion unavailable(String model, long version, String platform, Path file, VersionMetrics metrics,
      String reason) {
    return new ModelVersion(model, version, platform, file, null, null, List.of(), 0, metrics, reason);
  }

  /** How the version's requests are scheduled (see {@link Batcher#describe}); empty when it is not ready. */
  public String scheduling() {
    if (batcher == null) {
      return "";
    }
    return (batcher.batching() ? "" : "requests of up to " + maxRows + " samples, ") + batcher.describe();
  }

  public String model() {
    return model;
  }

  public long version() {
    return version;
  }

  /** The version as the protocol writes it, a string. */
  public String versionString() {
    return Long.toString(version);
  }

  /** {@code model 'm' version 1}, for messages. */
  public String label() {
    return "model '" + model + "' version " + version;
  }

  public String platform() {
    return platform;
  }

  /** The model file, or {@code null} when the version folder has none. */
  public Path file() {
    return file;
  }

  public boolean ready() {
    return backend != null;
  }

  /** Why the version is not ready, or {@code null} when it is. */
  public String reason() {
    return reason;
  }

  /** The inputs as requests must give them. */
  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return backend == null ? List.of() : backend.outputs();
  }

  public VersionMetrics metrics() {
    return metrics;
  }

  /** Whether requests to this version can share batches: every input and output has a dynamic dimension 0. */
  public boolean batchable() {
    return batchable && batcher.batching();
  }

  /**
   * Checks one input of a request as soon as its name, datatype and shape are known, before its
   * data is decoded, so that a request the model cannot take costs no memory: the model must have
   * the input, of that datatype and a shape that fits, with at most {@link #maxRows} rows where
   * dimension 0 is dynamic (so the elements are bounded by the model's other dimensions).
   *
   * @throws ProtocolException 400 naming what does not fit
   */
  public void checkInput(String name, DataType datatype, long[] shape) throws ProtocolException {
    if (!ready()) {
      throw ProtocolException.badRequest(label() + " is not ready: " + reason);
    }
    TensorSpec spec = inputsByName.get(name);
    if (spec == null) {
      throw ProtocolException.badRequest(label() + " has no input '" + name + "' (inputs: " + names(inputs()) + ")");
    }
    if (datatype != spec.datatype()) {
      throw ProtocolException.badRequest("input '" + name + "' is " + datatype + " but " + label() + " expects "
          + spec.datatype());
    }
    long[] declared = spec.shape();
    if (!fits(shape, declared)) {
      throw ProtocolException.badRequest("input '" + name + "' has shape " + Arrays.toString(shape) + " but "
          + label() + " expects " + Arrays.toString(declared) + " (-1: any size)");
    }
    if (declared.length > 0 && declared[0] < 0 && shape[0] > maxRows) {
      throw ProtocolException.badRequest("input '" + name + "' has " + shape[0] + " rows (shape "
          + Arrays.toString(shape) + ") but " + label() + " takes at most " + maxRows + " per request (its maximum "
          + "batch size); split the request");
    }
  }

  /**
   * Checks {@code request} against the model's inputs and outputs and makes the job to run.
   *
   * @throws ProtocolException 400 for a missing, unknown or mistyped input, a shape that does not
   *     fit, more rows than {@link #maxRows}, or an unknown output; 400 when the version is not ready
   */
  public PreparedRequest prepare(InferRequest request) throws ProtocolException {
    if (!ready()) {
      throw ProtocolException.badRequest(label() + " is not ready: " + reason);
    }
    Map<String, Tensor> given = new HashMap<>();
    for (Tensor t : request.inputs()) {
      checkInput(t.name(), t.datatype(), t.shape());
      given.put(t.name(), t);
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    StringBuilder key = new StringBuilder();
    long rows = -1;
    boolean sameRows = true;
    for (TensorSpec spec : inputs()) {
      Tensor t = given.get(spec.name());
      if (t == null) {
        throw ProtocolException.badRequest("missing input '" + spec.name() + "' of " + label() + " (inputs: "
            + names(inputs()) + ")");
      }
      inputs.put(spec.name(), t);
      if (t.rank() > 0) {
        sameRows &= rows < 0 || rows == t.dim(0);
        rows = t.dim(0);
        key.append(Arrays.toString(Arrays.copyOfRange(t.shape(), 1, t.rank()))).append(';');
      }
    }
    List<PreparedRequest.Output> outputs = new ArrayList<>();
    if (request.outputs().isEmpty()) {
      for (TensorSpec o : outputs()) {
        outputs.add(new PreparedRequest.Output(o.name(), request.binaryDataOutput()));
      }
    } else {
      Set<String> outputNames = outputs().stream().map(TensorSpec::name).collect(Collectors.toSet());
      for (InferRequest.RequestedOutput o : request.outputs()) {
        if (!outputNames.contains(o.name())) {
          throw ProtocolException.badRequest(label() + " has no output '" + o.name() + "' (outputs: "
              + names(outputs()) + ")");
        }
        outputs.add(new PreparedRequest.Output(o.name(), o.binary(request.binaryDataOutput())));
      }
    }
    Set<String> wanted = outputs.stream().map(PreparedRequest.Output::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    // Inputs that disagree on dimension 0 cannot be cut back into per-request rows: such a job runs alone.
    int batchRows = batchable && sameRows && rows > 0 && rows <= Integer.MAX_VALUE ? (int) rows : 0;
    return new PreparedRequest(new Job(inputs, wanted, batchRows, key.toString()), outputs);
  }

  private static boolean fits(long[] given, long[] declared) {
    if (given.length != declared.length) {
      return false;
    }
    for (int i = 0; i < given.length; i++) {
      if (declared[i] >= 0 && declared[i] != given[i]) {
        return false;
      }
    }
    return true;
  }

  private static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).collect(Collectors.joining(", "));
  }

  /**
   * Queues a prepared job.
   *
   * @throws QueueFullException if the queue is full
   * @throws java.util.concurrent.RejectedExecutionException if the version is shutting down
   */
  public void submit(Job job) throws QueueFullException {
    batcher.submit(job);
  }

  /** Takes a job out of the queue if no worker has started it. */
  public boolean cancel(Job job) {
    return batcher != null && batcher.cancel(job);
  }

  /** Requests waiting in the queue. */
  public int queued() {
    return batcher == null ? 0 : batcher.queued();
  }

  /** Stops the batcher after running what is queued, then releases the backend. */
  @Override
  public void close() {
    if (batcher != null) {
      batcher.close();
    }
    if (backend != null) {
      backend.close();
    }
  }
}
