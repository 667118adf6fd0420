package dev.nas.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers never see half of one: the bytes go to a temporary file in the
 * same folder ({@code .NAME.RANDOM.tmp}), which is then renamed over the target. Temporary files
 * of the same target left by an interrupted earlier write (a killed process) are removed first.
 * Files are created with the process' umask, like any other program's output, so that another
 * user (a model server, say) can read them when the umask allows it.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Receives the stream to write to. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  public static void write(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    removeStale(abs);
    Path tmp = null;
    OutputStream out = null;
    while (out == null) {
      // Files.createTempFile would force mode 0600; a plain CREATE_NEW honours the umask
      tmp = dir.resolve(tempPrefix(abs) + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
          + ".tmp");
      try {
        out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        // another name
      }
    }
    try {
      try (OutputStream o = out) {
        writer.write(o);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  public static void writeString(Path target, String text) throws IOException {
    writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The name prefix of {@code target}'s temporary files. */
  static String tempPrefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  /**
   * Deletes temporary files an interrupted write of {@code target} left behind: {@code .NAME.TOKEN.tmp},
   * and {@code .NAMEDIGITS.tmp} from builds that used {@link Files#createTempFile}.
   */
  public static void removeStale(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    String prefix = "." + abs.getFileName();
    if (!Files.isDirectory(abs.getParent())) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(abs.getParent(),
        f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".tmp")
            && f.getFileName().toString().length() > prefix.length() + ".tmp".length())) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        String token = name.substring(prefix.length(), name.length() - ".tmp".length());
        boolean ours = token.startsWith(".") ? token.length() > 1 && alnum(token.substring(1))
            : !token.isEmpty() && token.chars().allMatch(Character::isDigit);
        if (ours) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static boolean alnum(String s) {
    return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
  }
}
