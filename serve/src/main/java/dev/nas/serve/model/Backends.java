package dev.nas.serve.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which backend opens a model file, chosen by its extension ({@code model.onnx} → ONNX Runtime).
 * Files of platforms without a backend in this build (e.g. {@code model.plan}, a TensorRT engine)
 * are still recognised, so their models are listed as not ready with the reason.
 */
public final class Backends {
  /** Opens model files of one kind. */
  @FunctionalInterface
  public interface Factory {
    Backend open(Path file, ModelSettings settings) throws IOException;
  }

  private record Entry(String platform, Factory factory) {}

  /** Triton's platform names of model files this build may have no backend for. */
  private static final Map<String, String> KNOWN_PLATFORMS = Map.of(
      "onnx", OnnxBackend.PLATFORM,
      "plan", TensorRtBackend.PLATFORM,
      "pt", "pytorch_libtorch",
      "savedmodel", "tensorflow_savedmodel",
      "graphdef", "tensorflow_graphdef");

  private final Map<String, Entry> byExtension;

  private Backends(Map<String, Entry> byExtension) {
    this.byExtension = Map.copyOf(byExtension);
  }

  /**
   * This build's backends: ONNX Runtime for {@code .onnx}, TensorRT for {@code .plan} (which
   * loads only where a GPU and TensorRT are present; elsewhere the version is not ready, with the
   * reason).
   */
  public static Backends defaults() {
    Map<String, Entry> m = new LinkedHashMap<>();
    m.put("onnx", new Entry(OnnxBackend.PLATFORM, (file, s) -> OnnxBackend.open(file, s.intraOpThreads())));
    m.put("plan", new Entry(TensorRtBackend.PLATFORM, (file, s) -> TensorRtBackend.open(file)));
    return new Backends(m);
  }

  /** These backends plus {@code factory} for files ending in {@code .extension}. */
  public Backends with(String extension, String platform, Factory factory) {
    Map<String, Entry> m = new LinkedHashMap<>(byExtension);
    m.put(extension.toLowerCase(Locale.ROOT), new Entry(platform, factory));
    return new Backends(m);
  }

  static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** The platform name for {@code file}, or {@code unknown}. */
  public String platform(Path file) {
    String ext = extension(file);
    Entry e = byExtension.get(ext);
    return e != null ? e.platform() : KNOWN_PLATFORMS.getOrDefault(ext, "unknown");
  }

  /** The factory for {@code file}, if this build has one. */
  public Optional<Factory> factory(Path file) {
    return Optional.ofNullable(byExtension.get(extension(file))).map(Entry::factory);
  }

  /**
   * Picks the model file among a version folder's {@code model.*} entries: the first a backend
   * can open, else the first of a known platform, else the first.
   */
  public Optional<Path> pick(List<Path> candidates) {
    return candidates.stream().filter(p -> byExtension.containsKey(extension(p))).findFirst()
        .or(() -> candidates.stream().filter(p -> KNOWN_PLATFORMS.containsKey(extension(p))).findFirst())
        .or(() -> candidates.stream().findFirst());
  }

  /** Why {@code file} cannot be opened in this build. */
  public String noBackendReason(Path file) {
    String ext = extension(file);
    String platform = KNOWN_PLATFORMS.get(ext);
    String kinds = String.join(", ", byExtension.keySet().stream().map(e -> "." + e).toList());
    if (platform != null) {
      return "no backend for " + platform + " models (" + file.getFileName() + ") in this build; it serves " + kinds;
    }
    return "unknown model file type " + file.getFileName() + "; this build serves " + kinds;
  }
}
