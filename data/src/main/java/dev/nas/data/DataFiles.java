package dev.nas.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** File access shared by the loaders, turning every I/O failure into a {@link DatasetException}. */
final class DataFiles {
  private DataFiles() {}

  /** The first of {@code names} that exists in the first of {@code dirs} that has one, or null. */
  static Path findFirst(List<Path> dirs, List<String> names) {
    for (Path dir : dirs) {
      for (String name : names) {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** The whole file, gunzipped when it starts with the gzip magic (whatever its name). */
  static byte[] readMaybeGzipped(Path file) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      if (!gzip) {
        return raw.readAllBytes();
      }
      try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new DatasetException(file, "corrupt or truncated gzip data (" + e.getMessage() + ")", e);
      }
    } catch (NoSuchFileException e) {
      throw new DatasetException(file, "file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read (" + e + ")", e);
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file, "file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read (" + e + ")", e);
    }
  }

  static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file, "file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read (" + e + ")", e);
    }
  }

  /** Non-blank lines, trimmed: the format of CIFAR's class-name files. */
  static List<String> readNames(Path file) {
    String text = new String(readAll(file), StandardCharsets.UTF_8);
    List<String> names = new ArrayList<>();
    for (String line : text.split("\\R")) {
      if (!line.isBlank()) {
        names.add(line.trim());
      }
    }
    return names;
  }
}
