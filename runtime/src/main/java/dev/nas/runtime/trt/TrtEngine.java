package dev.nas.runtime.trt;

import static org.bytedeco.cuda.global.cudart.cudaEventCreate;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventElapsedTime;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;
import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import dev.nas.runtime.gpu.Cuda;
import dev.nas.runtime.gpu.Gpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * A TensorRT engine opened from a plan built by {@link TrtBuilder}, ready to run float batches:
 * single-input float networks such as exported classifiers, with one or more float outputs.
 *
 * <p>Opening checks the plan against its sidecar (file hash, TensorRT version, GPU), deserializes
 * it, and allocates everything a run needs for the largest batch of the engine's profile: one
 * execution context, device buffers for the input and every output, pinned host buffers for the
 * copies, one CUDA stream and four CUDA events. A run copies the input to the device, enqueues the
 * engine ({@code enqueueV3}), copies the outputs back and waits for the stream.
 *
 * <p>Runs are serialised on this object (one context, one stream); a server wanting parallel GPU
 * work opens one engine per worker. {@link #close()} frees the context, engine, runtime, buffers,
 * events and stream, in that order, and must not race with a run.
 */
public final class TrtEngine implements AutoCloseable {
  private static final int FLOAT_BYTES = Float.BYTES;

  /**
   * One output tensor of a run.
   *
   * @param name the tensor's name in the engine
   * @param values its values, row-major
   * @param shape its dimensions, batch first
   */
  public record Output(String name, float[] values, long[] shape) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Output out && out.name.equals(name) && Arrays.equals(out.values, values)
          && Arrays.equals(out.shape, shape);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * name.hashCode() + Arrays.hashCode(values)) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return "Output[" + name + ", shape=" + Arrays.toString(shape) + ", " + values.length + " values]";
    }
  }

  private final Path plan;
  private final PlanInfo info;
  private final TrtLogger logger;
  private IRuntime runtime;
  private ICudaEngine engine;
  private IExecutionContext context;
  private CUstream_st stream;
  private final CUevent_st[] events = new CUevent_st[4];
  private String inputName;
  private long[] inputShape;
  private int minBatch;
  private int maxBatch;
  private final List<String> outputNames = new ArrayList<>();
  private Pointer deviceInput;
  private FloatPointer hostInput;
  private final List<Pointer> deviceOutputs = new ArrayList<>();
  private final List<FloatPointer> hostOutputs = new ArrayList<>();
  /** The input shape the context is set to, and what follows from it. */
  private long[] shape;
  private long inputCount;
  private long[][] outputShapes;
  private long[] outputCounts;
  private boolean closed;

  private TrtEngine(Path plan, PlanInfo info, TrtLogger logger) {
    this.plan = plan;
    this.info = info;
    this.logger = logger;
  }

  /**
   * Opens {@code plan}.
   *
   * @throws java.nio.file.NoSuchFileException if the plan or its sidecar is missing
   * @throws IOException if the sidecar is malformed or does not describe this plan file
   * @throws dev.nas.runtime.gpu.GpuUnavailableException if there is no GPU or TensorRT here
   * @throws IllegalStateException if the plan was built by another TensorRT version or for another
   *     GPU, or TensorRT or CUDA fail
   * @throws IllegalArgumentException if the engine is not a single-float-input, float-output network
   */
  public static TrtEngine open(Path plan) throws IOException {
    PlanInfo info = PlanInfo.read(plan);
    info.checkPlan(plan);
    Gpu.Probe probe = Gpu.requireTensorRt();
    info.checkRuntime(probe.tensorRtVersion(), probe.gpu());
    byte[] bytes = Files.readAllBytes(plan);
    TrtEngine e = new TrtEngine(plan, info, TrtLogger.get());
    try {
      e.load(bytes);
      return e;
    } catch (RuntimeException ex) {
      e.closeAfterFailure(ex);
      throw ex;
    }
  }

  private void load(byte[] bytes) {
    synchronized (logger) {
      logger.clear();
      runtime = Owned.adopt(createInferRuntime(logger), IRuntime::new);
      if (runtime == null) {
        throw new IllegalStateException("TensorRT could not create a runtime" + logger.drain());
      }
      try (BytePointer blob = new BytePointer(bytes)) {
        engine = Owned.adopt(runtime.deserializeCudaEngine(blob, bytes.length), ICudaEngine::new);
      }
      if (engine == null) {
        throw new IllegalStateException("TensorRT could not deserialize " + plan + logger.drain());
      }
      context = Owned.adopt(engine.createExecutionContext(), IExecutionContext::new);
      if (context == null) {
        throw new IllegalStateException("TensorRT could not create an execution context for " + plan
            + logger.drain());
      }
    }
    findTensors();
    stream = new CUstream_st();
    Cuda.check(cudaStreamCreate(stream), "cudaStreamCreate");
    for (int i = 0; i < events.length; i++) {
      CUevent_st event = new CUevent_st();
      Cuda.check(cudaEventCreate(event), "cudaEventCreate");
      events[i] = event;
    }
    // Buffers for the largest batch, so that no run allocates.
    long[] largest = inputShape.clone();
    largest[0] = maxBatch;
    setShape(largest);
    deviceInput = deviceMalloc(inputCount, inputName);
    hostInput = hostMalloc(inputCount, inputName);
    for (int i = 0; i < outputNames.size(); i++) {
      deviceOutputs.add(deviceMalloc(outputCounts[i], outputNames.get(i)));
      hostOutputs.add(hostMalloc(outputCounts[i], outputNames.get(i)));
    }
    bind(inputName, deviceInput);
    for (int i = 0; i < outputNames.size(); i++) {
      bind(outputNames.get(i), deviceOutputs.get(i));
    }
  }

  private void findTensors() {
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < engine.getNbIOTensors(); i++) {
      String name = engine.getIOTensorName(i);
      if (engine.getTensorDataType(name).value != DataType.kFLOAT.value) {
        throw new IllegalArgumentException("TensorRT plan " + plan + " tensor '" + name + "' is "
            + engine.getTensorDataType(name) + "; only float32 inputs and outputs are supported");
      }
      if (engine.getTensorIOMode(name).value == TensorIOMode.kINPUT.value) {
        inputs.add(name);
      } else {
        outputNames.add(name);
      }
    }
    if (inputs.size() != 1 || outputNames.isEmpty()) {
      throw new IllegalArgumentException("TensorRT plan " + plan + " has inputs " + inputs + " and outputs "
          + outputNames + "; only single-input networks with outputs are supported");
    }
    inputName = inputs.get(0);
    try (Dims64 d = engine.getTensorShape(inputName)) {
      inputShape = toArray(shape(d));
    }
    if (inputShape.length == 0) {
      throw new IllegalArgumentException("TensorRT plan " + plan + " input '" + inputName + "' is a scalar");
    }
    for (int i = 1; i < inputShape.length; i++) {
      if (inputShape[i] < 0) {
        throw new IllegalArgumentException("TensorRT plan " + plan + " input '" + inputName + "' has dynamic "
            + "dimension " + i + "; only the batch dimension may be dynamic");
      }
    }
    if (inputShape[0] >= 0) {
      minBatch = maxBatch = Math.toIntExact(inputShape[0]);
    } else {
      try (Dims64 min = engine.getProfileShape(inputName, 0, OptProfileSelector.kMIN);
          Dims64 max = engine.getProfileShape(inputName, 0, OptProfileSelector.kMAX)) {
        minBatch = Math.toIntExact(min.d(0));
        maxBatch = Math.toIntExact(max.d(0));
      }
    }
  }

  private void bind(String name, Pointer device) {
    if (!context.setTensorAddress(name, device)) {
      throw new IllegalStateException("TensorRT did not accept the buffer of tensor '" + name + "'" + logger.drain());
    }
  }

  private static Pointer deviceMalloc(long floats, String tensor) {
    Pointer p = new Pointer();
    Cuda.check(cudaMalloc(p, floats * FLOAT_BYTES), "cudaMalloc(" + tensor + ", " + floats * FLOAT_BYTES + " bytes)");
    return p;
  }

  /** Page-locked host memory: copies from it run at full bus speed and asynchronously. */
  private static FloatPointer hostMalloc(long floats, String tensor) {
    Pointer p = new Pointer();
    Cuda.check(cudaMallocHost(p, floats * FLOAT_BYTES),
        "cudaMallocHost(" + tensor + ", " + floats * FLOAT_BYTES + " bytes)");
    return new FloatPointer(p).capacity(floats);
  }

  public Path plan() {
    return plan;
  }

  /** The sidecar the plan was opened with. */
  public PlanInfo info() {
    return info;
  }

  public String inputName() {
    return inputName;
  }

  /** The engine's input shape, batch first; {@code -1} for a dynamic batch. */
  public long[] inputShape() {
    return inputShape.clone();
  }

  public List<String> outputNames() {
    return List.copyOf(outputNames);
  }

  /** Smallest batch size the engine accepts. */
  public int minBatch() {
    return minBatch;
  }

  /** Largest batch size the engine accepts. */
  public int maxBatch() {
    return maxBatch;
  }

  /**
   * The input shape for {@code batch} samples.
   *
   * @throws IllegalArgumentException if the engine's profile does not cover {@code batch}
   */
  public long[] inputShapeFor(int batch) {
    if (batch < minBatch || batch > maxBatch) {
      throw new IllegalArgumentException("batch " + batch + " is outside the TensorRT plan's optimisation profile ["
          + minBatch + ", " + maxBatch + "]; rebuild it with --min-batch/--max-batch covering it");
    }
    long[] s = inputShape.clone();
    s[0] = batch;
    return s;
  }

  /**
   * Runs the engine on {@code input} of the given {@code shape} (batch first) and returns every
   * output, copied into Java memory, in the engine's order.
   *
   * @throws IllegalArgumentException if {@code shape} does not fit the engine or the data length
   * @throws IllegalStateException if CUDA or TensorRT fail, or the engine is closed
   */
  public synchronized Map<String, Output> run(float[] input, long[] shape) {
    ensureOpen();
    long n = checkShape(shape);
    if (n != input.length) {
      throw new IllegalArgumentException("input shape " + Arrays.toString(shape) + " holds " + n + " values, got "
          + input.length);
    }
    setShape(shape);
    hostInput.put(input, 0, input.length);
    runPinned(null);
    Map<String, Output> out = new LinkedHashMap<>();
    for (int i = 0; i < outputNames.size(); i++) {
      float[] values = new float[Math.toIntExact(outputCounts[i])];
      hostOutputs.get(i).get(values, 0, values.length);
      out.put(outputNames.get(i), new Output(outputNames.get(i), values, outputShapes[i].clone()));
    }
    return out;
  }

  /** Element count of a valid input shape. */
  private long checkShape(long[] s) {
    if (s.length != inputShape.length) {
      throw new IllegalArgumentException("input shape " + Arrays.toString(s) + " does not fit TensorRT plan " + plan
          + " input " + Arrays.toString(inputShape));
    }
    inputShapeFor(Math.toIntExact(s[0]));
    long n = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] <= 0 || (i > 0 && s[i] != inputShape[i])) {
        throw new IllegalArgumentException("input shape " + Arrays.toString(s) + " does not fit TensorRT plan " + plan
            + " input " + Arrays.toString(inputShape));
      }
      n = Math.multiplyExact(n, s[i]);
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("input shape " + Arrays.toString(s) + " is too large for one Java array");
    }
    return n;
  }

  /**
   * Sets the input shape of the following runs: tells the context, and works out the output
   * shapes and the byte counts of the copies. Package-private for {@link TrtBenchmark}.
   */
  synchronized void setShape(long[] s) {
    ensureOpen();
    if (Arrays.equals(s, shape)) {
      return;
    }
    try (Dims64 d = dims(s)) {
      if (!context.setInputShape(inputName, d)) {
        throw new IllegalStateException("TensorRT rejected input shape " + Arrays.toString(s) + logger.drain());
      }
    }
    long[][] shapes = new long[outputNames.size()][];
    long[] counts = new long[outputNames.size()];
    for (int i = 0; i < shapes.length; i++) {
      try (Dims64 d = context.getTensorShape(outputNames.get(i))) {
        shapes[i] = toArray(shape(d));
      }
      counts[i] = 1;
      for (long v : shapes[i]) {
        if (v < 0) {
          throw new IllegalArgumentException("TensorRT plan " + plan + " output '" + outputNames.get(i) + "' has "
              + "shape " + Arrays.toString(shapes[i]) + ", which depends on the data; not supported");
        }
        counts[i] = Math.multiplyExact(counts[i], v);
      }
      if (counts[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("output '" + outputNames.get(i) + "' of " + Arrays.toString(shapes[i])
            + " is too large for one Java array");
      }
    }
    long n = 1;
    for (long v : s) {
      n = Math.multiplyExact(n, v);
    }
    shape = s.clone();
    inputCount = n;
    outputShapes = shapes;
    outputCounts = counts;
  }

  /** Fills the pinned input buffer for the current shape. Package-private for {@link TrtBenchmark}. */
  synchronized void fillInput(float[] values) {
    ensureOpen();
    if (values.length != inputCount) {
      throw new IllegalArgumentException("expected " + inputCount + " input values, got " + values.length);
    }
    hostInput.put(values, 0, values.length);
  }

  /**
   * One end-to-end run on the pinned input buffer at the current shape, as trtexec measures it:
   * host-to-device copy, {@code enqueueV3}, device-to-host copies, stream synchronisation. CUDA
   * events around each part give, when {@code stageMs} is not null, the milliseconds of the
   * input copy, the engine's GPU compute and the output copies, in that order.
   * Package-private for {@link TrtBenchmark}.
   */
  synchronized void runPinned(float[] stageMs) {
    ensureOpen();
    Cuda.check(cudaEventRecord(events[0], stream), "cudaEventRecord");
    Cuda.check(cudaMemcpyAsync(deviceInput, hostInput, inputCount * FLOAT_BYTES, cudaMemcpyHostToDevice, stream),
        "cudaMemcpyAsync(host to device)");
    Cuda.check(cudaEventRecord(events[1], stream), "cudaEventRecord");
    if (!context.enqueueV3(stream)) {
      throw new IllegalStateException("TensorRT failed to enqueue " + plan + " at input shape "
          + Arrays.toString(shape) + logger.drain());
    }
    Cuda.check(cudaEventRecord(events[2], stream), "cudaEventRecord");
    for (int i = 0; i < outputNames.size(); i++) {
      Cuda.check(cudaMemcpyAsync(hostOutputs.get(i), deviceOutputs.get(i), outputCounts[i] * FLOAT_BYTES,
          cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(device to host)");
    }
    Cuda.check(cudaEventRecord(events[3], stream), "cudaEventRecord");
    Cuda.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    if (stageMs != null) {
      float[] ms = new float[1];
      for (int i = 0; i < 3; i++) {
        Cuda.check(cudaEventElapsedTime(ms, events[i], events[i + 1]), "cudaEventElapsedTime");
        stageMs[i] = ms[0];
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("TensorRT engine " + plan + " is closed");
    }
  }

  /** Frees everything; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    release();
  }

  private void closeAfterFailure(RuntimeException primary) {
    try {
      closed = true;
      release();
    } catch (RuntimeException e) {
      primary.addSuppressed(e);
    }
  }

  /** Frees what was created, in reverse dependency order; reports the first failure after trying all. */
  private void release() {
    List<String> failures = new ArrayList<>();
    if (stream != null && !stream.isNull()) {
      collect(failures, cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }
    // TensorRT: the context before its engine, the engine before its runtime.
    Owned.free(context);
    Owned.free(engine);
    Owned.free(runtime);
    for (Pointer p : deviceOutputs) {
      collect(failures, cudaFree(p), "cudaFree");
    }
    if (deviceInput != null && !deviceInput.isNull()) {
      collect(failures, cudaFree(deviceInput), "cudaFree");
    }
    for (Pointer p : hostOutputs) {
      collect(failures, cudaFreeHost(p), "cudaFreeHost");
    }
    if (hostInput != null && !hostInput.isNull()) {
      collect(failures, cudaFreeHost(hostInput), "cudaFreeHost");
    }
    for (CUevent_st e : events) {
      if (e != null && !e.isNull()) {
        collect(failures, cudaEventDestroy(e), "cudaEventDestroy");
      }
    }
    if (stream != null && !stream.isNull()) {
      collect(failures, cudaStreamDestroy(stream), "cudaStreamDestroy");
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("closing TensorRT engine " + plan + ": " + String.join("; ", failures));
    }
  }

  private static void collect(List<String> failures, int status, String call) {
    if (status != 0) {
      failures.add(call + ": " + Cuda.errorText(status));
    }
  }

  /** A TensorRT dimension list as a Java list; {@code -1} stays for dynamic dimensions. */
  static List<Long> shape(Dims64 d) {
    int n = d.nbDims();
    if (n < 0) {
      throw new IllegalStateException("TensorRT reports a tensor of unknown rank");
    }
    List<Long> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(d.d(i));
    }
    return out;
  }

  /** A TensorRT dimension list of {@code shape}; close it after use. */
  static Dims64 dims(long[] shape) {
    if (shape.length > Dims64.MAX_DIMS) {
      throw new IllegalArgumentException("TensorRT supports at most " + Dims64.MAX_DIMS + " dimensions, got "
          + Arrays.toString(shape));
    }
    Dims64 d = new Dims64();
    d.nbDims(shape.length);
    for (int i = 0; i < shape.length; i++) {
      d.d(i, shape[i]);
    }
    return d;
  }

  private static long[] toArray(List<Long> list) {
    return list.stream().mapToLong(Long::longValue).toArray();
  }
}
