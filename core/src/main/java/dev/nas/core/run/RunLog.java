package dev.nas.core.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** A run's human-readable log: every line goes to the run folder's log file and to the console. */
public final class RunLog {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private final Path file;
  private final PrintStream console;

  public RunLog(Path file, PrintStream console) {
    this.file = file;
    this.console = console;
  }

  public void info(String message) {
    write("", message);
  }

  public void warn(String message) {
    write("WARNING ", message);
  }

  private synchronized void write(String level, String message) {
    String line = TIME.format(LocalDateTime.now()) + " " + level + message;
    if (console != null) {
      Progress.clearLine(console);
      console.println(level + message);
    }
    if (file != null) {
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to log " + file, e);
      }
    }
  }
}
