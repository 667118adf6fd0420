package dev.nas.serve.metrics;

import dev.nas.serve.batching.Batcher;
import dev.nas.serve.batching.JobResult;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Locale;

/** The metric series of one model version; see {@link ServerMetrics} for their meaning. */
public final class VersionMetrics implements Batcher.Listener {
  /** Why an inference request failed, the {@code reason} label. */
  public enum Failure {
    /** The request did not fit the protocol or the model (4xx). */
    INVALID,
    /** Refused: queue full, or the server shutting down (503). */
    REJECTED,
    /** Not answered within the request timeout. */
    TIMEOUT,
    /** The model failed on the request's inputs. */
    BACKEND;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ServerMetrics m;
  private final String model;
  private final String version;
  private final CounterDataPoint success;
  private final CounterDataPoint inferenceCount;
  private final CounterDataPoint execCount;
  private final CounterDataPoint requestDuration;
  private final CounterDataPoint queueDuration;
  private final CounterDataPoint computeInput;
  private final CounterDataPoint computeInfer;
  private final CounterDataPoint computeOutput;

  VersionMetrics(ServerMetrics m, String model, String version) {
    this.m = m;
    this.model = model;
    this.version = version;
    success = m.success.labelValues(model, version);
    inferenceCount = m.inferenceCount.labelValues(model, version);
    execCount = m.execCount.labelValues(model, version);
    requestDuration = m.requestDuration.labelValues(model, version);
    queueDuration = m.queueDuration.labelValues(model, version);
    computeInput = m.computeInput.labelValues(model, version);
    computeInfer = m.computeInfer.labelValues(model, version);
    computeOutput = m.computeOutput.labelValues(model, version);
  }

  public String model() {
    return model;
  }

  public String version() {
    return version;
  }

  @Override
  public void executed(int samples) {
    execCount.inc();
    inferenceCount.inc(samples);
  }

  /** A request answered with outputs, {@code requestNanos} after it arrived. */
  public void succeeded(long requestNanos, JobResult r) {
    success.inc();
    requestDuration.inc(micros(requestNanos));
    queueDuration.inc(micros(r.queueNanos()));
    computeInput.inc(micros(r.inputNanos()));
    computeInfer.inc(micros(r.inferNanos()));
    computeOutput.inc(micros(r.outputNanos()));
  }

  public void failed(Failure reason) {
    m.failure.labelValues(model, version, reason.label()).inc();
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos / 1000);
  }
}
