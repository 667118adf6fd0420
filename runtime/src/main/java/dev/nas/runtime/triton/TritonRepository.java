package dev.nas.runtime.triton;

import dev.nas.core.io.AtomicFiles;
import dev.nas.core.io.ProcessFolders;
import dev.nas.runtime.triton.proto.ModelConfig;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes entries of a model repository in Triton's layout:
 * {@code <repo>/<model>/config.pbtxt} and {@code <repo>/<model>/<version>/model.onnx} (or
 * {@code model.plan}), the layout Triton, KServe's Triton runtime and {@code nas serve} read.
 */
public final class TritonRepository {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private TritonRepository() {}

  /**
   * A model version that was added.
   *
   * @param versionDir the new version folder
   * @param config the written {@code config.pbtxt}
   */
  public record Added(Path versionDir, Path config) {}

  /**
   * Adds {@code files} (e.g. {@code model.onnx}, and {@code model.plan} for a TensorRT engine
   * built from it) as version {@code version} of model {@code name}, and writes the model's
   * {@code config.pbtxt}. The version folder appears complete or not at all: it is assembled
   * under a hidden name and renamed, so a server scanning the repository never loads half of it.
   *
   * @param version a positive version number, or 0 for one above the highest existing version
   * @param files the files to copy, keyed by the name they get in the version folder
   * @throws FileAlreadyExistsException if that version exists already
   */
  public static Added add(Path repo, String name, long version, Map<String, Path> files,
      ModelConfig config) throws IOException {
    checkName(name);
    if (version < 0) {
      throw new IllegalArgumentException("model version must be positive (or 0 for the next), got " + version);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no model files to add");
    }
    for (var e : files.entrySet()) {
      if (!Files.isRegularFile(e.getValue())) {
        throw new NoSuchFileException(e.getValue().toString(), null, "model file not found");
      }
      checkName(e.getKey());
    }
    if (!config.getName().isEmpty() && !config.getName().equals(name)) {
      throw new IllegalArgumentException("config names model '" + config.getName() + "', not '" + name + "'");
    }
    Files.createDirectories(repo);
    Path modelDir = repo.resolve(name);
    ProcessFolders.removeAbandoned(repo, STAGING);
    if (Files.isDirectory(modelDir)) {
      ProcessFolders.removeAbandoned(modelDir, STAGING);
    }
    long v = version > 0 ? version : highestVersion(modelDir) + 1;
    Path target = modelDir.resolve(Long.toString(v));
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "model '" + name + "' already has version " + v + " in " + repo + "; choose another version");
    }
    Path cfg = modelDir.resolve(ModelConfigs.FILE);
    if (!Files.exists(modelDir)) {
      // a new model: its folder, config and first version appear in one rename, so a kill never
      // leaves a version without its config.pbtxt
      Path staging = Files.createTempDirectory(repo, stagingPrefix(name));
      try {
        Path version0 = Files.createDirectory(staging.resolve(Long.toString(v)));
        for (var e : files.entrySet()) {
          Files.copy(e.getValue(), version0.resolve(e.getKey()));
        }
        AtomicFiles.writeString(staging.resolve(ModelConfigs.FILE), ModelConfigs.toText(config));
        publish(staging, modelDir);
      } finally {
        ProcessFolders.deleteTree(staging);
      }
      return new Added(target, cfg);
    }
    // a model that has a config: the new version appears in one rename, then the config that
    // describes it replaces the old one (until then the old config describes the new version too)
    Path staging = Files.createTempDirectory(modelDir, stagingPrefix(Long.toString(v)));
    try {
      for (var e : files.entrySet()) {
        Files.copy(e.getValue(), staging.resolve(e.getKey()));
      }
      publish(staging, target);
    } finally {
      ProcessFolders.deleteTree(staging);
    }
    AtomicFiles.writeString(cfg, ModelConfigs.toText(config));
    return new Added(target, cfg);
  }

  /**
   * Staging folders are hidden (a leading '.', which the server's reader skips) and carry the
   * writer's process id, so that the next writer can remove those of killed processes.
   */
  private static String stagingPrefix(String what) {
    return ProcessFolders.prefix(STAGING) + what + "-";
  }

  private static final String STAGING = ".staging-";

  private static void publish(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
  }

  /** The highest numeric version folder under {@code modelDir}, 0 when there is none. */
  public static long highestVersion(Path modelDir) throws IOException {
    long max = 0;
    if (!Files.isDirectory(modelDir)) {
      return 0;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(modelDir, Files::isDirectory)) {
      for (Path p : ds) {
        // the reader's rule for a version folder, so writer and server agree on the versions
        Long v = ModelRepository.versionNumber(p.getFileName().toString());
        if (v != null) {
          max = Math.max(max, v);
        }
      }
    }
    return max;
  }

  private static void checkName(String name) {
    if (!NAME.matcher(name).matches() || name.equals("..")) {
      throw new IllegalArgumentException("'" + name + "' is not a usable model or file name (letters, digits, "
          + "'_', '.', '-'; not starting with '.' or '-')");
    }
  }
}
