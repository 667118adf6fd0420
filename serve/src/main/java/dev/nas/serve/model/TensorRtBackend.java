package dev.nas.serve.model;

import dev.nas.runtime.trt.PlanInfo;
import dev.nas.runtime.trt.TrtEngine;
import dev.nas.serve.protocol.DataType;
import dev.nas.serve.protocol.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TensorRT plan built by {@code nas export --format tensorrt}, run by {@link TrtEngine}. Opening
 * it on a machine without a GPU or TensorRT fails with the GPU probe's reason, so the model is
 * listed as not ready with that reason. Runs are serialised on the engine (one execution context
 * and stream); batches above the plan's profile are refused with its limits.
 */
public final class TensorRtBackend implements Backend {
  public static final String PLATFORM = "tensorrt_plan";

  private final TrtEngine engine;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;

  private TensorRtBackend(TrtEngine engine) {
    this.engine = engine;
    PlanInfo info = engine.info();
    this.inputs = info.inputs().stream().map(TensorRtBackend::spec).toList();
    this.outputs = info.outputs().stream().map(TensorRtBackend::spec).toList();
  }

  private static TensorSpec spec(PlanInfo.TensorSpec t) {
    return new TensorSpec(t.name(), DataType.FP32, t.shape().stream().mapToLong(Long::longValue).toArray());
  }

  /** Opens {@code plan}; see {@link TrtEngine#open} for the errors, which all become load failures. */
  public static TensorRtBackend open(Path plan) throws IOException {
    try {
      return new TensorRtBackend(TrtEngine.open(plan));
    } catch (NoSuchFileException e) {
      // the registry would report a missing file as the plan's; it may be the sidecar
      throw new IOException(e.getReason() != null ? e.getReason() : "no such file: " + e.getFile(), e);
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
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

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> in, Set<String> wanted) throws BackendException {
    Tensor x = in.get(engine.inputName());
    float[] values = new float[Math.toIntExact(Tensor.elementCount(x.shape()))];
    x.data().asFloatBuffer().get(values);
    Map<String, TrtEngine.Output> out;
    try {
      out = engine.run(values, x.shape());
    } catch (RuntimeException e) {
      throw new BackendException(e.getMessage(), e);
    }
    Map<String, Tensor> result = new LinkedHashMap<>();
    for (TrtEngine.Output o : out.values()) {
      if (wanted.contains(o.name())) {
        ByteBuffer b = ByteBuffer.allocate(o.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(o.values());
        result.put(o.name(), new Tensor(o.name(), DataType.FP32, o.shape(), b));
      }
    }
    return result;
  }

  @Override
  public void close() {
    engine.close();
  }
}
