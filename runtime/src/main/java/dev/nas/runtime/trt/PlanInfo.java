package dev.nas.runtime.trt;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.io.Json;
import dev.nas.runtime.gpu.GpuInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON sidecar of a TensorRT engine ({@code model.plan.json} beside {@code model.plan}): what
 * built it and for which GPU, so that a plan is checked before TensorRT deserializes it. A plan
 * only runs on the TensorRT version and GPU model that built it; TensorRT itself reports a
 * mismatch as a bare deserialization failure.
 *
 * @param format always {@link #FORMAT}
 * @param version sidecar layout version, {@link #VERSION}
 * @param tensorRtVersion version of the TensorRT library that built the plan, e.g. {@code 10.6.0}
 * @param gpu name of the GPU it was built on
 * @param computeCapability that GPU's compute capability, e.g. {@code 8.6}
 * @param precision {@link #FP32} or {@link #FP16}
 * @param profile batch sizes the engine accepts
 * @param inputs network inputs with their shapes ({@code -1}: dynamic batch)
 * @param outputs network outputs with their shapes
 * @param workspaceBytes workspace memory-pool limit of the build
 * @param buildSeconds wall time of TensorRT's engine build ({@code buildSerializedNetwork})
 * @param sourceOnnx the model the plan was built from, as given: an ONNX file, or a network folder
 *     that was exported to ONNX for the build
 * @param sourceOnnxSha256 SHA-256 of that ONNX file
 * @param planSha256 SHA-256 of the plan file, which ties the sidecar to it
 * @param createdAt when the plan was built, ISO-8601 UTC
 */
public record PlanInfo(
    String format,
    int version,
    String tensorRtVersion,
    String gpu,
    String computeCapability,
    String precision,
    Profile profile,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    long workspaceBytes,
    double buildSeconds,
    String sourceOnnx,
    String sourceOnnxSha256,
    String planSha256,
    String createdAt) {

  public static final String FORMAT = "nas-tensorrt-plan";
  public static final int VERSION = 1;
  public static final String FP32 = "fp32";
  public static final String FP16 = "fp16";

  /**
   * The batch sizes of the engine's optimisation profile.
   *
   * @param minBatch smallest accepted batch
   * @param optBatch the batch TensorRT tuned for
   * @param maxBatch largest accepted batch
   */
  public record Profile(int minBatch, int optBatch, int maxBatch) {}

  /**
   * A network input or output.
   *
   * @param name tensor name
   * @param shape dimensions, batch first; {@code -1} where dynamic
   */
  public record TensorSpec(String name, List<Long> shape) {
    public TensorSpec {
      shape = shape == null ? List.of() : List.copyOf(shape);
    }
  }

  public PlanInfo {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  /** The sidecar of {@code plan}: its path with {@code .json} appended. */
  public static Path sidecar(Path plan) {
    return plan.resolveSibling(plan.getFileName() + ".json");
  }

  /** Writes this sidecar beside {@code plan}, atomically. */
  public void write(Path plan) throws IOException {
    AtomicFiles.writeString(sidecar(plan), Json.write(this));
  }

  /**
   * Reads the sidecar of {@code plan}.
   *
   * @throws NoSuchFileException if the plan or its sidecar is missing
   * @throws IOException if the sidecar cannot be read or is not one
   */
  public static PlanInfo read(Path plan) throws IOException {
    if (!Files.isRegularFile(plan)) {
      throw new NoSuchFileException(plan.toString(), null, "TensorRT plan not found");
    }
    Path file = sidecar(plan);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "the sidecar of TensorRT plan " + plan
          + " is missing; nas export --format tensorrt writes both");
    }
    PlanInfo info;
    try {
      info = Json.MAPPER.readValue(Files.readString(file), PlanInfo.class);
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not a nas TensorRT sidecar: " + e.getOriginalMessage(), e);
    }
    if (info == null || !FORMAT.equals(info.format())) {
      throw new IOException(file + " is not a nas TensorRT sidecar (format '" + (info == null ? null : info.format())
          + "', expected '" + FORMAT + "')");
    }
    if (info.version() > VERSION) {
      throw new IOException(file + " has sidecar version " + info.version() + "; this nas reads up to " + VERSION);
    }
    for (String[] field : new String[][] {{"tensorRtVersion", info.tensorRtVersion()},
        {"computeCapability", info.computeCapability()}, {"planSha256", info.planSha256()},
        {"precision", info.precision()}}) {
      if (field[1] == null || field[1].isBlank()) {
        throw new IOException(file + " lacks '" + field[0] + "'");
      }
    }
    if (info.profile() == null) {
      throw new IOException(file + " lacks 'profile'");
    }
    return info;
  }

  /**
   * Checks that {@code plan} is the file this sidecar describes.
   *
   * @throws IOException if its SHA-256 differs, or it cannot be read
   */
  public void checkPlan(Path plan) throws IOException {
    String actual = Sha256.of(plan);
    if (!actual.equals(planSha256)) {
      throw new IOException(plan + " does not match its sidecar " + sidecar(plan) + " (SHA-256 " + abbreviate(actual)
          + " instead of " + abbreviate(planSha256) + "): the plan was replaced without its sidecar; rebuild both "
          + "with nas export --format tensorrt");
    }
  }

  /** Checks that this plan can run on {@code gpu} with TensorRT {@code version} (see {@link #checkRuntime(String, String, String)}). */
  public void checkRuntime(String version, GpuInfo gpu) {
    checkRuntime(version, gpu.name(), gpu.computeCapability());
  }

  /**
   * Checks that this plan can run with TensorRT {@code version} on a GPU named {@code gpuName} of
   * compute capability {@code capability}. TensorRT plans are specific to the TensorRT version
   * and to the GPU's compute capability; another GPU model of the same capability is accepted,
   * as TensorRT itself accepts it (with a warning about performance).
   *
   * @throws IllegalStateException naming both sides when they do not match
   */
  public void checkRuntime(String version, String gpuName, String capability) {
    if (!tensorRtVersion.equals(version)) {
      throw new IllegalStateException("the TensorRT plan was built by TensorRT " + tensorRtVersion + " and this is "
          + "TensorRT " + version + ": a plan only runs on the TensorRT version that built it; rebuild it here with "
          + "nas export --format tensorrt");
    }
    if (!computeCapability.equals(capability)) {
      throw new IllegalStateException("the TensorRT plan was built for " + gpu + " (compute capability "
          + computeCapability + ") and this GPU is " + gpuName + " (compute capability " + capability + "): a plan "
          + "only runs on the GPU model it was built for; rebuild it here with nas export --format tensorrt");
    }
  }

  /**
   * @throws IllegalArgumentException if the engine does not accept {@code batch} samples
   */
  public void checkBatch(int batch) {
    if (batch < profile.minBatch() || batch > profile.maxBatch()) {
      throw new IllegalArgumentException("batch " + batch + " is outside the TensorRT plan's optimisation profile ["
          + profile.minBatch() + ", " + profile.maxBatch() + "]; rebuild it with --min-batch/--max-batch covering it");
    }
  }

  private static String abbreviate(String sha) {
    return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
  }
}
