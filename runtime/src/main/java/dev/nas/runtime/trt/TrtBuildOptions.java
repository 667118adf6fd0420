package dev.nas.runtime.trt;

import java.nio.file.Path;

/**
 * How {@link TrtBuilder} builds an engine.
 *
 * @param workspaceMb limit of TensorRT's workspace memory pool (scratch memory of layers), MiB
 * @param fp16 allow FP16 kernels; otherwise the engine is strict FP32 (TF32 disabled too)
 * @param minBatch smallest batch size the engine accepts
 * @param optBatch batch size TensorRT tunes its kernels for
 * @param maxBatch largest batch size the engine accepts; device buffers are sized for it
 * @param timingCache file of TensorRT's kernel timing cache, loaded if it exists and saved after
 *     the build, so that rebuilds skip measurements; {@code null} for none
 */
public record TrtBuildOptions(long workspaceMb, boolean fp16, int minBatch, int optBatch, int maxBatch,
    Path timingCache) {
  /** Workspace limit when none is given, MiB. */
  public static final long DEFAULT_WORKSPACE_MB = 1024;
  /** Profile when none is given: the batch sizes {@code nas bench} measures by default. */
  public static final int DEFAULT_MIN_BATCH = 1;
  public static final int DEFAULT_OPT_BATCH = 8;
  public static final int DEFAULT_MAX_BATCH = 32;

  /** Above this the byte count would overflow; no GPU has a petabyte anyway. */
  private static final long MAX_WORKSPACE_MB = 1L << 30;

  /** @throws IllegalArgumentException unless {@code 1 <= minBatch <= optBatch <= maxBatch} and the workspace is positive */
  public TrtBuildOptions {
    if (workspaceMb < 1 || workspaceMb > MAX_WORKSPACE_MB) {
      throw new IllegalArgumentException("the workspace must be between 1 and " + MAX_WORKSPACE_MB + " MiB, got "
          + workspaceMb);
    }
    if (minBatch < 1 || minBatch > optBatch || optBatch > maxBatch) {
      throw new IllegalArgumentException("the batch profile must satisfy 1 <= min <= opt <= max, got min " + minBatch
          + ", opt " + optBatch + ", max " + maxBatch);
    }
  }

  /** FP32 with the default workspace and profile, no timing cache. */
  public static TrtBuildOptions defaults() {
    return new TrtBuildOptions(DEFAULT_WORKSPACE_MB, false, DEFAULT_MIN_BATCH, DEFAULT_OPT_BATCH, DEFAULT_MAX_BATCH,
        null);
  }

  /** The optimisation batch size to use when only some of min/max are given: 8, kept within [min, max]. */
  public static int defaultOpt(int minBatch, int maxBatch) {
    return Math.max(minBatch, Math.min(DEFAULT_OPT_BATCH, maxBatch));
  }

  public long workspaceBytes() {
    return workspaceMb << 20;
  }

  /** {@code fp16} or {@code fp32}, as written into the sidecar. */
  public String precision() {
    return fp16 ? PlanInfo.FP16 : PlanInfo.FP32;
  }
}
