package dev.nas.cli.compare;

import dev.nas.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The publishing rule of a comparison's run folders, the same for every executor: a run works in
 * its own {@code <name>.partial<attempt>} folder and becomes {@code <name>} by one atomic rename
 * once its {@code result.json} is written. A run folder therefore is either absent or finished;
 * of two attempts that both finish (a retry racing a lost one, speculation), the first rename wins
 * and the second finds the run done.
 */
public final class RunFolder {
  public static final String RESULT = "result.json";
  static final String PARTIAL = ".partial";

  private RunFolder() {}

  /** Whether {@code dir} holds a finished run. */
  public static boolean finished(Path dir) {
    return Files.isRegularFile(dir.resolve(RESULT));
  }

  /** The finished run's result. */
  public static RunResult result(Path dir) throws IOException {
    return Json.MAPPER.readValue(dir.resolve(RESULT).toFile(), RunResult.class);
  }

  /** The work folder of one attempt at run {@code name}; {@code attempt} is empty for the local executor. */
  public static Path work(Path out, String name, String attempt) {
    return out.resolve(name + PARTIAL + attempt);
  }

  /** Whether {@code p} is an attempt's work folder (finished or not, it never counts as a run). */
  public static boolean isWork(Path p) {
    return p.getFileName().toString().contains(PARTIAL);
  }

  /**
   * Renames the finished work folder {@code work} to {@code dir}; returns false, deleting
   * {@code work}, when another attempt has published {@code dir} first.
   */
  public static boolean publish(Path work, Path dir) throws IOException {
    if (!finished(work)) {
      throw new IllegalStateException(work + " has no " + RESULT + "; an unfinished run is never published");
    }
    try {
      Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      // rename(2) refuses a non-empty target: the other attempt's finished folder is left as it is
      if (finished(dir)) {
        delete(work);
        return false;
      }
      throw e;
    }
  }

  /** Deletes a folder tree if it exists. */
  public static void delete(Path p) throws IOException {
    dev.nas.core.io.ProcessFolders.deleteTree(p);
  }
}
