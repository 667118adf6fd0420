package dev.nas.serve.model;

import java.time.Duration;

/**
 * How one model is served: {@code nas serve}'s options, overridden by what the model's Triton
 * {@code config.pbtxt} sets (see {@link ConfiguredModel}).
 *
 * @param maxBatchSize most samples run together by the dynamic batcher; 1 disables batching
 * @param maxQueueDelay how long a request may wait for others to share its batch
 * @param queueCapacity most requests waiting for a worker; more are answered 503
 * @param workers inference threads, each running one batch at a time
 * @param intraOpThreads threads a backend may use inside one operator of one run
 */
public record ModelSettings(int maxBatchSize, Duration maxQueueDelay, int queueCapacity, int workers,
    int intraOpThreads) {
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
  }

  /** Defaults: batches of up to 8, 2 ms delay, 128 queued requests, 2 workers, the cores shared among them. */
  public static ModelSettings defaults() {
    int workers = 2;
    return new ModelSettings(8, Duration.ofMillis(2), 128, workers,
        Math.max(1, Runtime.getRuntime().availableProcessors() / workers));
  }

  /** The same settings with batching off: every request runs alone. */
  public ModelSettings withoutBatching() {
    return new ModelSettings(1, Duration.ZERO, queueCapacity, workers, intraOpThreads);
  }
}
