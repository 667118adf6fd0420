package dev.nas.cluster;

import dev.nas.core.run.Progress;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * The driver's progress over a comparison's Spark tasks: runs finished, running and failed (failed
 * attempts, which Spark retries) out of the total, with an ETA from the finished runs' pace.
 */
final class SparkProgress extends SparkListener {
  private final int total;
  private final PrintStream console;
  private final long start = System.nanoTime();
  private final int before;
  private int finished;
  private int running;
  private int failedAttempts;

  SparkProgress(int finishedBefore, int total, PrintStream console) {
    this.before = finishedBefore;
    this.total = total;
    this.console = console;
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart e) {
    running++;
    // a first attempt's start is not news (and may be counted before the end of the task it replaces)
    if (e.taskInfo().attemptNumber() > 0) {
      print("attempt " + e.taskInfo().id() + " started on executor " + e.taskInfo().executorId());
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    running = Math.max(0, running - 1);
    if (!e.taskInfo().successful()) {
      failedAttempts++;
      String why = e.reason() instanceof TaskFailedReason f ? f.toErrorString() : e.reason().toString();
      int nl = why.indexOf('\n');
      print("attempt " + e.taskInfo().id() + " failed (" + e.reason().getClass().getSimpleName().replace("$", "")
          + ": " + (nl < 0 ? why : why.substring(0, nl)) + "); Spark retries it unless it was the last");
    }
  }

  /** A run's row has reached the driver. */
  synchronized void finished(String what) {
    finished++;
    print("done: " + what);
  }

  /** A run failed for good. */
  synchronized void failed(String why) {
    print("failed: " + why);
  }

  private void print(String event) {
    int done = before + finished;
    double elapsed = (System.nanoTime() - start) / 1e9;
    String eta = finished > 0 && done < total
        ? ", ETA " + Progress.duration(elapsed / finished * (total - done)) : "";
    Progress.clearLine(console);
    console.printf(Locale.ROOT, "== compare: %d/%d runs finished, %d running, %d failed attempt(s)%s — %s%n", done,
        total, running, failedAttempts, eta, event);
  }
}
