package dev.nas.core.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Working folders named after the process that owns them ({@code PREFIX + pid + "-" + ...}), so
 * that the next run can remove those of processes killed before they cleaned up, and never those
 * of a process still running.
 */
public final class ProcessFolders {
  private ProcessFolders() {}

  /** The name prefix of a folder owned by this process. */
  public static String prefix(String prefix) {
    return prefix + ProcessHandle.current().pid() + "-";
  }

  /** Deletes the folders in {@code dir} named {@code prefix + pid + "-..."} whose process no longer runs. */
  public static void removeAbandoned(Path dir, String prefix) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path p : ds) {
        String[] parts = p.getFileName().toString().substring(prefix.length()).split("-", 2);
        if (parts.length == 2 && parts[0].matches("\\d{1,18}") && Files.isDirectory(p)
            && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      // best effort: a folder that cannot be listed or removed costs only disk space
    }
  }

  /** Deletes {@code dir} and everything in it (nothing when it does not exist). */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
