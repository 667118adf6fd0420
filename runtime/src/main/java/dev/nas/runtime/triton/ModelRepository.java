package dev.nas.runtime.triton;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model repository folder in Triton's layout: one folder per model, named after it, holding
 * numeric version folders with the model file ({@code model.onnx}, {@code model.plan}, ...) and
 * optionally a {@code config.pbtxt} beside them.
 *
 * <pre>
 * repo/
 *   classifier/
 *     config.pbtxt
 *     1/model.onnx
 *     2/model.onnx
 *   detector/
 *     1/model.plan
 * </pre>
 *
 * Hidden entries, files at the top level and non-numeric folders inside a model are ignored, as
 * Triton ignores them.
 */
public final class ModelRepository {
  private ModelRepository() {}

  /**
   * One version folder.
   *
   * @param candidates its {@code model.*} entries, by name; empty when it has none
   */
  public record VersionDir(long version, Path dir, List<Path> candidates) {
    public VersionDir {
      candidates = List.copyOf(candidates);
    }
  }

  /**
   * One model folder.
   *
   * @param versions its version folders, ascending
   * @param config its {@code config.pbtxt}, or {@code null}
   */
  public record ModelDir(String name, Path dir, List<VersionDir> versions, Path config) {
    public ModelDir {
      versions = List.copyOf(versions);
    }
  }

  /**
   * Lists the models of the repository at {@code repo}, by name.
   *
   * @throws NoSuchFileException if {@code repo} does not exist
   * @throws IOException if it is not a folder or cannot be read
   */
  public static List<ModelDir> scan(Path repo) throws IOException {
    if (!Files.exists(repo)) {
      throw new NoSuchFileException(repo.toString(), null, "model repository not found");
    }
    if (!Files.isDirectory(repo)) {
      throw new IOException("model repository " + repo + " is not a folder");
    }
    List<ModelDir> models = new ArrayList<>();
    for (Path dir : children(repo)) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<VersionDir> versions = new ArrayList<>();
      for (Path v : children(dir)) {
        Long version = versionNumber(v.getFileName().toString());
        if (version != null && Files.isDirectory(v)) {
          List<Path> candidates = children(v).stream().filter(p -> p.getFileName().toString().startsWith("model."))
              .toList();
          versions.add(new VersionDir(version, v, candidates));
        }
      }
      versions.sort(Comparator.comparingLong(VersionDir::version));
      Path config = dir.resolve(ModelConfigs.FILE);
      models.add(new ModelDir(dir.getFileName().toString(), dir, versions, Files.isRegularFile(config) ? config : null));
    }
    return models;
  }

  /** A repository of one model file, served as version 1 under {@code name}. */
  public static ModelDir single(Path file, String name) {
    Path parent = file.toAbsolutePath().getParent();
    return new ModelDir(name, parent, List.of(new VersionDir(1, parent, List.of(file))), null);
  }

  private static List<Path> children(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  /** The version a folder name (or URL segment) stands for: digits only, fitting a long; else null. */
  public static Long versionNumber(String name) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      return Long.parseLong(name);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
