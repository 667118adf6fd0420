package dev.nas.serve.model;

import dev.nas.runtime.triton.ModelRepository.VersionDir;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.runtime.triton.proto.ModelInstanceGroup;
import dev.nas.runtime.triton.proto.ModelVersionPolicy;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * What a model's Triton {@code config.pbtxt} changes about how it is served, with Triton's
 * meanings: {@code dynamic_batching} turns server-side batching on (up to {@code max_batch_size}
 * samples, waiting {@code max_queue_delay_microseconds}); without it, or with
 * {@code max_batch_size: 0}, every request runs alone. {@code default_queue_policy.max_queue_size}
 * bounds the queue, the {@code instance_group} counts give the workers, and
 * {@code version_policy} picks the versions served (default: the latest one, as in Triton).
 * Settings a configuration leaves out keep the command line's values.
 */
public final class ConfiguredModel {
  private ConfiguredModel() {}

  /** {@code base} with what {@code c} sets. */
  public static ModelSettings settings(ModelConfig c, ModelSettings base) {
    int maxBatch = 1;
    Duration delay = Duration.ZERO;
    if (c.hasDynamicBatching() && c.getMaxBatchSize() > 1) {
      maxBatch = c.getMaxBatchSize();
      delay = Duration.ofNanos(1000 * c.getDynamicBatching().getMaxQueueDelayMicroseconds());
    }
    int queue = base.queueCapacity();
    int configuredQueue = c.getDynamicBatching().getDefaultQueuePolicy().getMaxQueueSize();
    if (configuredQueue > 0) {
      queue = configuredQueue;
    }
    int workers = c.getInstanceGroupList().stream().mapToInt(ModelInstanceGroup::getCount).sum();
    return new ModelSettings(maxBatch, delay, queue, workers > 0 ? workers : base.workers(), base.intraOpThreads());
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
    int latest = p.hasLatest() ? p.getLatest().getNumVersions() : 1;
    return all.stream().sorted(Comparator.comparingLong(VersionDir::version).reversed()).limit(latest)
        .sorted(Comparator.comparingLong(VersionDir::version)).toList();
  }
}
