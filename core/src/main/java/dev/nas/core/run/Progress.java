package dev.nas.core.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long loops: step, loss, accuracy, speed and ETA. On a terminal it redraws
 * one line; otherwise (CI, redirected output) it prints a line at most every {@code interval} s.
 */
public final class Progress {
  private static volatile boolean lineOpen;
  private final PrintStream out;
  private final String label;
  private final long totalSteps;
  private final boolean interactive;
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long lastPrint;
  private long done;

  public Progress(PrintStream out, String label, long totalSteps, boolean interactive, double intervalSeconds) {
    this.out = out;
    this.label = label;
    this.totalSteps = totalSteps;
    this.interactive = interactive;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
  }

  /** A progress display on stderr, redrawn in place when stderr is a terminal. */
  public static Progress console(String label, long totalSteps) {
    boolean tty = System.console() != null && System.getenv("CI") == null;
    return new Progress(System.err, label, totalSteps, tty, tty ? 0.2 : 15);
  }

  /** Records {@code steps} more finished steps and shows {@code status} (e.g. "loss 1.23 acc 45%"). */
  public void update(long steps, String status) {
    done += steps;
    long now = System.nanoTime();
    if (now - lastPrint < intervalNanos && done < totalSteps) {
      return;
    }
    lastPrint = now;
    double elapsed = (now - start) / 1e9;
    double perStep = done == 0 ? 0 : elapsed / done;
    String line = String.format(Locale.ROOT, "%s %d/%d (%.0f%%) %s | %.2f s/step, elapsed %s, ETA %s", label, done,
        totalSteps, 100.0 * done / Math.max(1, totalSteps), status, perStep, duration(elapsed),
        duration(perStep * (totalSteps - done)));
    synchronized (Progress.class) {
      if (interactive) {
        out.print("\r" + line + "\u001b[K");
        lineOpen = true;
      } else {
        out.println(line);
      }
      out.flush();
    }
  }

  /** Ends a redrawn line so that the next output starts on its own line. */
  public static void clearLine(PrintStream out) {
    synchronized (Progress.class) {
      if (lineOpen) {
        out.print("\r\u001b[K");
        out.flush();
        lineOpen = false;
      }
    }
  }

  /** {@code 1h02m}, {@code 4m05s}, {@code 12s}. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }
}
