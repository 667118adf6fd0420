package dev.nas.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
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
    Map<String, String> extra) {

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
