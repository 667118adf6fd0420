package dev.nas.serve.model;

import dev.nas.runtime.triton.ModelConfigs;
import dev.nas.runtime.triton.ModelRepository.VersionDir;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.runtime.triton.proto.ModelVersionPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * What a model's Triton {@code config.pbtxt} changes about how it is served, with Triton's
 * meanings: {@code max_batch_size} bounds the samples of a request and of a batch;
 * {@code dynamic_batching} turns server-side batching on (waiting
 * {@code max_queue_delay_microseconds}); without it every request runs alone.
 * {@code max_batch_size: 0} (a model without a batch dimension) also runs every request alone,
 * each of at most the command line's maximum batch size of rows.
 * {@code default_queue_policy.max_queue_size} bounds the queue, the {@code instance_group} counts
 * give the workers (at most {@link #INSTANCES_PER_CORE} per core), and {@code version_policy}
 * picks the versions served (default: the latest one, as in Triton). Settings a configuration
 * leaves out keep the command line's values.
 */
public final class ConfiguredModel {
  /** Workers a configuration may ask for per core of this machine, all instance groups together. */
  public static final int INSTANCES_PER_CORE = 4;

  private ConfiguredModel() {}

  /**
   * {@code base} with what {@code parsed} sets.
   *
   * @throws IOException naming the file and line when the configuration asks for more workers
   *     than this machine's cores allow
   */
  public static ModelSettings settings(ModelConfigs.Parsed parsed, ModelSettings base) throws IOException {
    return settings(parsed, base, Runtime.getRuntime().availableProcessors());
  }

  static ModelSettings settings(ModelConfigs.Parsed parsed, ModelSettings base, int cores) throws IOException {
    ModelConfig c = parsed.config();
    int maxBatch = base.maxBatchSize();
    boolean batching = false;
    Duration delay = Duration.ZERO;
    if (c.getMaxBatchSize() > 0) {
      maxBatch = c.getMaxBatchSize();
      batching = c.hasDynamicBatching();
      if (batching) {
        // at most ModelConfigs.MAX_QUEUE_DELAY_MICROS, so this neither overflows nor goes negative
        delay = Duration.ofNanos(1000 * c.getDynamicBatching().getMaxQueueDelayMicroseconds());
      }
    }
    int queue = base.queueCapacity();
    int configuredQueue = c.getDynamicBatching().getDefaultQueuePolicy().getMaxQueueSize();
    if (configuredQueue > 0) {
      queue = configuredQueue;
    }
    int workers = 0;
    int allowed = INSTANCES_PER_CORE * cores;
    for (int i = 0; i < c.getInstanceGroupCount(); i++) {
      workers += c.getInstanceGroup(i).getCount(); // each count and their sum are bounded by ModelConfigs
      if (workers > allowed) {
        throw new IOException(parsed.where("instance_group[" + i + "].count") + ": instance_group counts add up to "
            + workers + " workers; this machine allows at most " + allowed + " (" + INSTANCES_PER_CORE + " per core, "
            + cores + " cores)");
      }
    }
    return new ModelSettings(maxBatch, delay, queue, workers > 0 ? workers : base.workers(), base.intraOpThreads(),
        batching);
  }

  /** The versions {@code c}'s version policy serves, ascending. */
  public static List<VersionDir> servedVersions(ModelConfig c, List<VersionDir> all) {
    ModelVersionPolicy p = c.getVersionPolicy();
    if (p.hasAll()) {
      return all;
    }
    if (p.hasSpecific()) {
      return all.stream().filter(v -> p.getSpecific().getVersionsList().contains(v.version())).toList();
    }
    // num_versions is a uint32: read it unsigned, so 4294967295 means all rather than an error
    long latest = p.hasLatest() ? Integer.toUnsignedLong(p.getLatest().getNumVersions()) : 1;
    return all.stream().sorted(Comparator.comparingLong(VersionDir::version).reversed()).limit(latest)
        .sorted(Comparator.comparingLong(VersionDir::version)).toList();
  }
}
