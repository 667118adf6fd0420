package dev.nas.runtime.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.Measurement;
import dev.nas.core.graph.FeatureShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures an ONNX model's inference latency in ONNX Runtime at several batch sizes, with the
 * shared {@link Bencher} loop, so the results line up with other runtimes' {@link BenchResult}s.
 *
 * <p>One iteration is one {@code session.run} over one batch of seeded random input, including
 * releasing its outputs; the input tensor is created once per batch size, outside the timed loop,
 * so the numbers are the runtime's, not the cost of copying Java arrays into native memory. With
 * a GPU {@link ExecutionProvider} the input and outputs stay in host memory, so an iteration
 * includes ONNX Runtime's copies to and from the device: end-to-end latency.
 */
public final class OrtBenchmark {
  /** The runtime name under which results are reported and paired with other runtimes. */
  public static final String RUNTIME = "ort";

  private final int intraOpThreads;
  private final Bencher bencher;
  private final long seed;
  private final ExecutionProvider provider;

  /**
   * @param intraOpThreads threads ONNX Runtime may use inside one operator
   * @param bencher warm-up and iteration (or duration) plan, applied at each batch size
   * @param seed seed of the random input; batch {@code n}'s input starts with batch {@code 1}'s
   */
  public OrtBenchmark(int intraOpThreads, Bencher bencher, long seed) {
    this(intraOpThreads, bencher, seed, ExecutionProvider.CPU);
  }

  /**
   * @param provider where ONNX Runtime runs the model; results are reported under its
   *     {@linkplain ExecutionProvider#runtime() runtime name}
   * @see #OrtBenchmark(int, Bencher, long)
   */
  public OrtBenchmark(int intraOpThreads, Bencher bencher, long seed, ExecutionProvider provider) {
    if (intraOpThreads <= 0) {
      throw new IllegalArgumentException("intra-op threads must be positive, got " + intraOpThreads);
    }
    this.intraOpThreads = intraOpThreads;
    this.bencher = bencher;
    this.seed = seed;
    this.provider = provider;
  }

  /** Benchmarks {@code onnx}, whose input dimensions other than the batch must be fixed. */
  public List<BenchResult> run(Path onnx, List<Integer> batchSizes) throws IOException {
    return run(onnx, null, batchSizes);
  }

  /**
   * Benchmarks {@code onnx} at each of {@code batchSizes}, in order.
   *
   * @param sampleShape per-sample input shape for models with dynamic dimensions beyond the
   *     batch; {@code null} to use the model's declared shape
   * @throws IOException if the model file is missing or not a valid ONNX model
   * @throws IllegalArgumentException if the model is not a single float-input network, or a batch
   *     size or the sample shape does not fit its input
   * @throws IllegalStateException if ONNX Runtime fails while running
   */
  public List<BenchResult> run(Path onnx, FeatureShape sampleShape, List<Integer> batchSizes) throws IOException {
    if (batchSizes.isEmpty()) {
      throw new IllegalArgumentException("no batch sizes to benchmark");
    }
    try (OrtModel model = OrtModel.open(onnx, intraOpThreads, provider)) {
      // Resolve every shape before running anything, so a bad batch size fails fast.
      List<long[]> shapes = new ArrayList<>();
      for (int batch : batchSizes) {
        shapes.add(model.inputShapeFor(batch, sampleShape));
      }
      List<BenchResult> results = new ArrayList<>();
      for (int i = 0; i < batchSizes.size(); i++) {
        results.add(measure(model, batchSizes.get(i), shapes.get(i)));
      }
      return results;
    }
  }

  private BenchResult measure(OrtModel model, int batch, long[] shape) {
    try (OnnxTensor input = OnnxTensor.createTensor(model.environment(), randomInput(shape), shape)) {
      Map<String, OnnxTensor> inputs = Map.of(model.inputName(), input);
      OrtSession session = model.session();
      // The result is closed inside the timed region, freeing its native output buffers each
      // iteration as a serving loop would; nothing can fail between run returning and close.
      Measurement m = bencher.measure(() -> session.run(inputs).close());
      return BenchResult.of(provider.runtime(), batch, intraOpThreads, m, extra(model, shape));
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed running " + model.path() + " at batch " + batch + ": "
          + e.getMessage(), e);
    }
  }

  /** Uniform values in [-1, 1) in a direct buffer, which ONNX Runtime uses without copying. */
  private FloatBuffer randomInput(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE / Float.BYTES) {
      throw new IllegalArgumentException("input " + OrtModel.describe(shape) + " is too large for one buffer");
    }
    FloatBuffer buffer = ByteBuffer.allocateDirect((int) n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      buffer.put(random.nextFloat() * 2f - 1f);
    }
    return buffer.rewind();
  }

  private Map<String, String> extra(OrtModel model, long[] shape) {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("model", model.path().toString());
    extra.put("input", OrtModel.describe(shape));
    extra.put("executionProvider", provider.label());
    if (provider.isGpu()) {
      extra.put("latency", "end-to-end: input and outputs in host memory, copies to and from CUDA device 0 included");
    }
    extra.put("graphOptimization", "ALL");
    extra.put("interOpThreads", "1");
    extra.put("onnxruntime", model.runtimeVersion());
    extra.put("seed", Long.toString(seed));
    return extra;
  }
}
