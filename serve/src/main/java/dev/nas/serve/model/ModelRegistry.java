package dev.nas.serve.model;

import dev.nas.runtime.triton.ModelConfigs;
import dev.nas.runtime.triton.ModelRepository.ModelDir;
import dev.nas.runtime.triton.ModelRepository.VersionDir;
import dev.nas.runtime.triton.ModelRepository;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.serve.batching.Batcher;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.metrics.VersionMetrics;
import dev.nas.serve.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a server serves, loaded from a repository: every version opened by its backend and
 * given a {@link Batcher}. A version that cannot be loaded (no backend for its file, a corrupt
 * file) is kept as not ready with the reason, and logged; the others are served.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  private final Map<String, ServedModel> models;

  private ModelRegistry(Map<String, ServedModel> models) {
    this.models = Collections.unmodifiableMap(new TreeMap<>(models));
  }

  /**
   * Loads every version of {@code dirs}; a version that fails to load is kept as not ready.
   *
   * @param settings the settings of each model, by name
   */
  public static ModelRegistry load(List<ModelDir> dirs, Function<String, ModelSettings> settings, Backends backends,
      ServerMetrics metrics) {
    Map<String, ServedModel> models = new TreeMap<>();
    try {
      for (ModelDir dir : dirs) {
        models.put(dir.name(), loadModel(dir, settings.apply(dir.name()), backends, metrics));
      }
    } catch (RuntimeException | Error e) {
      models.values().forEach(m -> m.versions().values().forEach(ModelVersion::close));
      throw e;
    }
    return new ModelRegistry(models);
  }

  /**
   * Loads one model file as version 1 of {@code name}.
   *
   * @throws IOException if the file is missing, corrupt or of a kind no backend opens; nothing
   *     stays open then
   */
  public static ModelRegistry loadSingle(Path file, String name, ModelSettings settings, Backends backends,
      ServerMetrics metrics) throws IOException {
    Backends.Factory factory = backends.factory(file).orElseThrow(() -> new IOException(backends.noBackendReason(file)));
    Backend backend = factory.open(file, settings);
    ModelVersion v = start(name, 1, file, backend, backend.inputs(), settings, metrics, metrics.version(name, "1"));
    return new ModelRegistry(Map.of(name, new ServedModel(name, List.of(v), null)));
  }

  private static ServedModel loadModel(ModelDir dir, ModelSettings settings, Backends backends,
      ServerMetrics metrics) {
    List<VersionDir> versionDirs = dir.versions();
    ModelConfigs.Parsed parsed = null;
    if (dir.config() != null) {
      ModelConfig config;
      try {
        parsed = ModelConfigs.read(dir.config());
        parsed.ignoredFields().forEach(f -> LOG.warn("model '{}': {}:{} is not used by nas serve", dir.name(),
            dir.config(), f));
        config = parsed.config();
        settings = ConfiguredModel.settings(parsed, settings);
      } catch (IOException e) {
        return notReady(dir, "cannot use its configuration: " + e.getMessage());
      }
      if (!config.getName().isEmpty() && !config.getName().equals(dir.name())) {
        return notReady(dir, dir.config() + " names the model '" + config.getName() + "', but its folder is '"
            + dir.name() + "'");
      }
      versionDirs = ConfiguredModel.servedVersions(config, versionDirs);
      LOG.info("model '{}': settings from {}: {}", dir.name(), dir.config().getFileName(), settings);
    }
    if (versionDirs.isEmpty()) {
      return notReady(dir, dir.versions().isEmpty()
          ? "no version folders (numeric folders holding a model file) in " + dir.dir()
          : "its version_policy selects none of the versions in " + dir.dir());
    }
    List<ModelVersion> versions = new ArrayList<>();
    for (VersionDir vd : versionDirs) {
      versions.add(loadVersion(dir.name(), vd, settings, parsed, backends, metrics));
    }
    return new ServedModel(dir.name(), versions, null);
  }

  private static ServedModel notReady(ModelDir dir, String problem) {
    LOG.warn("model '{}' is not ready: {}", dir.name(), problem);
    return new ServedModel(dir.name(), List.of(), problem);
  }

  /** @param config the model's configuration, or {@code null} when it has none */
  private static ModelVersion loadVersion(String name, VersionDir vd, ModelSettings settings,
      ModelConfigs.Parsed config, Backends backends, ServerMetrics metrics) {
    String platform = config == null ? "" : config.config().getPlatform();
    // a plain file name, as ModelConfigs checks; empty for model.*
    String modelFile = config == null ? "" : config.config().getDefaultModelFilename();
    VersionMetrics vm = metrics.version(name, Long.toString(vd.version()));
    Optional<Path> picked;
    if (modelFile.isEmpty()) {
      picked = backends.pick(vd.candidates());
    } else {
      Path named = vd.dir().resolve(modelFile);
      if (!Files.isRegularFile(named)) {
        return unavailable(name, vd.version(), "unknown", null, vm, "no model file " + modelFile
            + " (the configuration's default_model_filename) in " + vd.dir());
      }
      picked = Optional.of(named);
    }
    if (picked.isEmpty()) {
      return unavailable(name, vd.version(), "unknown", null, vm, "no model file (model.onnx) in " + vd.dir());
    }
    Path file = picked.get();
    if (!platform.isEmpty() && !platform.equals(backends.platform(file))) {
      return unavailable(name, vd.version(), backends.platform(file), file, vm, "the configuration's platform is "
          + platform + ", but " + file.getFileName() + " is a " + backends.platform(file) + " model");
    }
    Optional<Backends.Factory> factory = backends.factory(file);
    if (factory.isEmpty()) {
      return unavailable(name, vd.version(), backends.platform(file), file, vm, backends.noBackendReason(file));
    }
    Backend backend;
    try {
      backend = factory.get().open(file, settings);
    } catch (IOException | RuntimeException e) {
      String why = e instanceof java.nio.file.NoSuchFileException ? "no such file: " + file : e.getMessage();
      return unavailable(name, vd.version(), backends.platform(file), file, vm, why);
    }
    List<TensorSpec> inputs = backend.inputs();
    if (config != null) {
      try {
        inputs = ConfiguredModel.inputs(config, backend, file.toString());
      } catch (IOException e) {
        backend.close();
        return unavailable(name, vd.version(), backends.platform(file), file, vm, e.getMessage());
      }
    }
    try {
      return start(name, vd.version(), file, backend, inputs, settings, metrics, vm);
    } catch (OutOfMemoryError e) {
      // the JVM could not create the worker threads (e.g. "unable to create native thread")
      return unavailable(name, vd.version(), backends.platform(file), file, vm, "cannot start " + settings.workers()
          + " worker thread(s): " + e.getMessage());
    }
  }

  private static ModelVersion unavailable(String name, long version, String platform, Path file, VersionMetrics vm,
      String reason) {
    LOG.warn("model '{}' version {} is not ready: {}", name, version, reason);
    return ModelVersion.unavailable(name, version, platform, file, vm, reason);
  }

  private static ModelVersion start(String name, long version, Path file, Backend backend, List<TensorSpec> inputs,
      ModelSettings settings, ServerMetrics metrics, VersionMetrics vm) {
    Batcher batcher;
    try {
      int batch = settings.batching() ? settings.maxBatchSize() : 1;
      batcher = new Batcher("'" + name + "' v" + version, backend::run, batch, settings.maxQueueDelay(),
          settings.queueCapacity(), settings.workers(), vm);
    } catch (RuntimeException | OutOfMemoryError e) {
      backend.close();
      throw e;
    }
    metrics.watchQueue(vm, batcher::queued);
    ModelVersion v = ModelVersion.ready(name, version, file, backend, batcher, inputs, settings.maxBatchSize(), vm);
    LOG.info("{} ready: {} ({}), inputs {}, outputs {}, {}", v.label(), file, backend.platform(), backend.inputs(),
        backend.outputs(), batcher);
    return v;
  }

  /** The models, by name. */
  public Collection<ServedModel> models() {
    return models.values();
  }

  /** Whether every version of every model is ready. */
  public boolean ready() {
    return models.values().stream().allMatch(ServedModel::ready);
  }

  /** Every reason some model or version is not ready. */
  public List<String> problems() {
    return models.values().stream().flatMap(m -> m.problems().stream()).toList();
  }

  /**
   * The model named {@code name}.
   *
   * @throws ProtocolException 404 if there is none
   */
  public ServedModel model(String name) throws ProtocolException {
    ServedModel m = models.get(name);
    if (m == null) {
      throw new ProtocolException(404, "unknown model '" + name + "'; this server has: "
          + String.join(", ", models.keySet()));
    }
    return m;
  }

  /**
   * A version of a model: {@code version} as the URL gives it, or the highest when {@code null}.
   *
   * @throws ProtocolException 404 for an unknown model or version, 400 for a version that is not a
   *     number or a model without versions
   */
  public ModelVersion version(String name, String version) throws ProtocolException {
    ServedModel m = model(name);
    if (version == null) {
      ModelVersion latest = m.latest();
      if (latest == null) {
        throw ProtocolException.badRequest("model '" + name + "' is not ready: " + m.problem());
      }
      return latest;
    }
    Long v = ModelRepository.versionNumber(version);
    if (v == null) {
      throw ProtocolException.badRequest("model version must be a non-negative integer, got '" + version + "'");
    }
    ModelVersion mv = m.versions().get(v);
    if (mv == null) {
      throw new ProtocolException(404, "model '" + name + "' has no version " + v + " (versions: "
          + m.versions().keySet().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
    }
    return mv;
  }

  /** Stops every batcher, after running what is queued, then releases every backend. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (ServedModel m : models.values()) {
      for (ModelVersion v : m.versions().values()) {
        try {
          v.close();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
