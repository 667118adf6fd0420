package dev.nas.serve.model;

import java.time.Duration;

/**
 * How one model is served: {@code nas serve}'s options, overridden by what the model's Triton
 * {@code config.pbtxt} sets (see {@link ConfiguredModel}).
 *
 * @param maxBatchSize most samples (rows of dimension 0) in one request, and in one batch the
 *     dynamic batcher forms; a request with more is answered 400, as in Triton
 * @param maxQueueDelay how long a request may wait for others to share its batch
 * @param queueCapacity most requests waiting for a worker; more are answered 503
 * @param workers inference threads, each running one batch at a time
 * @param intraOpThreads threads a backend may use inside one operator of one run
 * @param batching whether requests are batched together; without, every request runs alone
 */
public record ModelSettings(int maxBatchSize, Duration maxQueueDelay, int queueCapacity, int workers,
    int intraOpThreads, boolean batching) {
  public ModelSettings {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be at least 1, got " + maxBatchSize);
    }
    if (maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("max queue delay must not be negative, got " + maxQueueDelay);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intra-op threads must be at least 1, got " + intraOpThreads);
    }
    batching &= maxBatchSize > 1;
  }

  /** Settings that batch whenever {@code maxBatchSize} is above 1. */
  public ModelSettings(int maxBatchSize, Duration maxQueueDelay, int queueCapacity, int workers, int intraOpThreads) {
    this(maxBatchSize, maxQueueDelay, queueCapacity, workers, intraOpThreads, true);
  }

  /** Defaults: batches of up to 8, 2 ms delay, 128 queued requests, 2 workers, the cores shared among them. */
  public static ModelSettings defaults() {
    int workers = 2;
    return new ModelSettings(8, Duration.ofMillis(2), 128, workers,
        Math.max(1, Runtime.getRuntime().availableProcessors() / workers));
  }

  /** The same settings with batching off: every request runs alone, still of at most {@link #maxBatchSize} rows. */
  public ModelSettings withoutBatching() {
    return new ModelSettings(maxBatchSize, Duration.ZERO, queueCapacity, workers, intraOpThreads, false);
  }
}
