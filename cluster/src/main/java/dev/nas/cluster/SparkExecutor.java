package dev.nas.cluster;

import dev.nas.cli.compare.CompareExecutor;
import dev.nas.cli.compare.RunResult;
import dev.nas.cli.compare.RunTask;
import dev.nas.core.cost.CostReport;
import dev.nas.djl.Devices;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code --executor spark}: every run is one Spark task (a one-partition job of its own, so a run
 * that fails for good does not cancel the others), executed by {@link SparkRunFunction} in an
 * executor JVM — the driver's own with {@code local[N]}, a worker's on a cluster. The run folders
 * are written by the tasks under the comparison folder, which every executor must see at the same
 * path; the driver only collects the result rows.
 */
final class SparkExecutor implements CompareExecutor {
  private final SparkSettings settings;
  private final String device;
  private final PrintStream console;
  private final RunBody body;
  private final JavaSparkContext sc;

  SparkExecutor(CompareExecutor.Settings s, RunBody body) {
    this.settings = SparkSettings.of(s, System.getProperty("spark.master"));
    this.device = s.device();
    this.console = s.console();
    this.body = body;
    if (settings.local() && !device.trim().equalsIgnoreCase("cpu")) {
      Devices.parse(device); // the runs share this machine: a missing GPU fails before Spark starts
    }
    SparkLogging.quiet();
    SparkConf conf = new SparkConf().setMaster(settings.master());
    settings.conf().forEach(conf::set);
    this.sc = new JavaSparkContext(conf);
    console.printf(Locale.ROOT, "compare: Spark %s, master %s, %d core(s) per run%n", sc.version(), settings.master(),
        settings.cpus());
  }

  public int threads() {
    return settings.cpus();
  }

  /** The Spark context's settings as it runs (for tests and diagnostics). */
  Map<String, String> sparkConf() {
    Map<String, String> m = new java.util.TreeMap<>();
    for (scala.Tuple2<String, String> kv : sc.getConf().getAll()) {
      m.put(kv._1(), kv._2());
    }
    return m;
  }

  public List<RunResult> run(List<RunTask> tasks, int finishedBefore) throws IOException {
    int total = finishedBefore + tasks.size();
    SparkProgress progress = new SparkProgress(finishedBefore, total, console);
    sc.sc().addSparkListener(progress);
    try {
      SparkRunFunction f = new SparkRunFunction(body, device);
      List<JavaFutureAction<List<RunResult>>> jobs = new ArrayList<>();
      for (RunTask t : tasks) {
        sc.setJobDescription("nas compare " + t.name());
        jobs.add(sc.parallelize(List.of(t), 1).map(f).collectAsync());
      }
      RunResult[] results = new RunResult[tasks.size()];
      List<String> failures = new ArrayList<>();
      boolean[] reported = new boolean[tasks.size()];
      int open = tasks.size();
      while (open > 0) {
        for (int i = 0; i < jobs.size(); i++) {
          if (reported[i] || !jobs.get(i).isDone()) {
            continue;
          }
          reported[i] = true;
          open--;
          RunTask t = tasks.get(i);
          try {
            RunResult r = jobs.get(i).get().get(0);
            results[i] = r;
            progress.finished(String.format(Locale.ROOT, "%s seed %d, test top-1 %.2f%%, %s MACs (width %d), %s "
                + "params, %.2f ms", t.method(), t.seed(), 100 * r.testTop1(), CostReport.human(r.macs()), r.width(),
                CostReport.human(r.params()), r.latencyMs()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while collecting " + t.name(), e);
          } catch (ExecutionException e) {
            String why = t.name() + ": " + reason(e.getCause());
            failures.add(why);
            progress.failed(why);
          }
        }
        if (open > 0) {
          sleep();
        }
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException(failures.size() + " of " + tasks.size() + " run(s) failed after "
            + sc.getConf().get("spark.task.maxFailures") + " attempt(s) each: " + String.join("; ", failures)
            + "; the finished runs are kept, rerun the same command to retry the others");
      }
      return List.of(results);
    } finally {
      sc.sc().removeSparkListener(progress);
    }
  }

  /** The task's own exception message when Spark kept it, else the first line of Spark's. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() != null ? root.getMessage() : e.getMessage();
    if (m == null) {
      return root.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Spark", e);
    }
  }

  public void close() {
    sc.stop();
  }

  /** Registered in META-INF/services as the {@code spark} executor. */
  public static final class Provider implements CompareExecutor.Provider {
    public String name() {
      return "spark";
    }

    public CompareExecutor open(CompareExecutor.Settings settings) {
      return new SparkExecutor(settings, RunBody.RUN);
    }
  }
}
