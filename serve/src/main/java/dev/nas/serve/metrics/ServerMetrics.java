package dev.nas.serve.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, with the meanings of Triton's {@code nv_inference_*} metrics,
 * labelled by {@code model} and {@code version}:
 *
 * <ul>
 *   <li>{@code nas_inference_request_success_total}, {@code nas_inference_request_failure_total}
 *       (with a {@code reason} label: {@code invalid}, {@code rejected}, {@code timeout},
 *       {@code backend}): inference requests answered;
 *   <li>{@code nas_inference_count_total}: samples inferred (rows of the batch dimension), and
 *       {@code nas_inference_exec_count_total}: model executions; count / exec_count is the
 *       average batch size;
 *   <li>cumulative microseconds over successful requests, as Triton's {@code *_duration_us}:
 *       {@code nas_inference_request_duration_us_total} (from the request's arrival to its response
 *       being ready), {@code nas_inference_queue_duration_us_total}, and the compute phases of the
 *       batch each request ran in: {@code nas_inference_compute_input_duration_us_total},
 *       {@code nas_inference_compute_infer_duration_us_total},
 *       {@code nas_inference_compute_output_duration_us_total}; divided by the success count they
 *       give mean times per request;
 *   <li>{@code nas_inference_pending_request_count}: requests waiting in the queue now.
 * </ul>
 *
 * The Prometheus client appends {@code _total} to counter names in the text format.
 */
public final class ServerMetrics {
  /** The media type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final String[] LABELS = {"model", "version"};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Map<VersionMetrics, IntSupplier> queues = new ConcurrentHashMap<>();
  final Counter success;
  final Counter failure;
  final Counter inferenceCount;
  final Counter execCount;
  final Counter requestDuration;
  final Counter queueDuration;
  final Counter computeInput;
  final Counter computeInfer;
  final Counter computeOutput;

  public ServerMetrics() {
    success = counter("nas_inference_request_success", "Number of successful inference requests", LABELS);
    failure = counter("nas_inference_request_failure", "Number of failed inference requests, by reason", "model",
        "version", "reason");
    inferenceCount = counter("nas_inference_count", "Number of inferences performed (samples: a batch of N "
        + "counts N)", LABELS);
    execCount = counter("nas_inference_exec_count", "Number of model executions performed (a batch counts once)",
        LABELS);
    requestDuration = counter("nas_inference_request_duration_us", "Cumulative request duration in microseconds, "
        + "from arrival to the response being ready", LABELS);
    queueDuration = counter("nas_inference_queue_duration_us", "Cumulative time requests spent waiting in the "
        + "queue in microseconds", LABELS);
    computeInput = counter("nas_inference_compute_input_duration_us", "Cumulative time gathering batch inputs in "
        + "microseconds", LABELS);
    computeInfer = counter("nas_inference_compute_infer_duration_us", "Cumulative model execution time in "
        + "microseconds", LABELS);
    computeOutput = counter("nas_inference_compute_output_duration_us", "Cumulative time splitting batch outputs "
        + "in microseconds", LABELS);
    GaugeWithCallback.builder()
        .name("nas_inference_pending_request_count")
        .help("Number of inference requests waiting in the queue")
        .labelNames(LABELS)
        .callback(cb -> queues.forEach((v, size) -> cb.call(size.getAsInt(), v.model(), v.version())))
        .register(registry);
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
  }

  /** The metrics of one model version; its series appear at zero from now on. */
  public VersionMetrics version(String model, String version) {
    return new VersionMetrics(this, model, version);
  }

  /** Reports the queue length of {@code version}, read by {@code queueSize} at each scrape. */
  public void watchQueue(VersionMetrics version, IntSupplier queueSize) {
    queues.put(version, queueSize);
  }

  /** All metrics in the Prometheus text format (version 0.0.4). */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics in memory", e);
    }
    return out.toByteArray();
  }
}
