package dev.nas.core.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark configuration's outcome, in the same form for every runtime.
 *
 * @param runtime short runtime name used to pair results across runtimes, e.g. {@code ort} or
 *     {@code djl}
 * @param batchSize samples per iteration
 * @param threads intra-op threads the runtime was asked to use
 * @param warmupIterations untimed iterations before measuring
 * @param iterations timed iterations
 * @param wallTimeMs wall time of the timed phase (warm-up excluded)
 * @param latency per-iteration latency statistics
 * @param extra free-form details that do not warrant a column (model path, execution provider,
 *     library versions); sorted by key so output is stable
 * @param stages latency of parts of an iteration that the runtime timed itself, e.g. TensorRT's
 *     {@code gpuCompute} measured with CUDA events inside each end-to-end iteration; empty for
 *     runtimes that only time whole iterations (and then left out of the JSON)
 */
@JsonIgnoreProperties(value = "throughputSamplesPerSec", allowGetters = true)
public record BenchResult(
    String runtime,
    int batchSize,
    int threads,
    int warmupIterations,
    int iterations,
    double wallTimeMs,
    LatencyStats latency,
    Map<String, String> extra,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, LatencyStats> stages) {

  @JsonCreator
  public BenchResult {
    if (runtime == null || runtime.isBlank()) {
      throw new IllegalArgumentException("runtime name must not be blank");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    if (iterations <= 0 || wallTimeMs <= 0) {
      throw new IllegalArgumentException("a result needs timed iterations and positive wall time, got "
          + iterations + " iterations in " + wallTimeMs + " ms");
    }
    extra = extra == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
    // Insertion order is kept: stages are listed in the order they happen within an iteration.
    stages = stages == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stages));
  }

  /** A result without stage timings. */
  public BenchResult(String runtime, int batchSize, int threads, int warmupIterations, int iterations,
      double wallTimeMs, LatencyStats latency, Map<String, String> extra) {
    this(runtime, batchSize, threads, warmupIterations, iterations, wallTimeMs, latency, extra, Map.of());
  }

  /** This result with {@code stages} as its stage timings. */
  public BenchResult withStages(Map<String, LatencyStats> stages) {
    return new BenchResult(runtime, batchSize, threads, warmupIterations, iterations, wallTimeMs, latency, extra,
        stages);
  }

  /** Builds a result from a {@link Bencher} measurement. */
  public static BenchResult of(String runtime, int batchSize, int threads, Measurement m, Map<String, String> extra) {
    return new BenchResult(runtime, batchSize, threads, m.warmupIterations(), m.iterations(), m.wallNanos() / 1e6,
        m.stats(), extra);
  }

  /**
   * Samples per second over the timed phase: {@code batchSize * iterations / wall time}. Derived
   * rather than stored so that every runtime reports it the same way; written to JSON for
   * readers, ignored when reading back.
   */
  @JsonProperty("throughputSamplesPerSec")
  public double throughput() {
    return batchSize * (double) iterations / (wallTimeMs / 1e3);
  }
}
