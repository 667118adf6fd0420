package dev.nas.cli.compare;

import dev.nas.core.cost.CostReport;
import dev.nas.core.run.Progress;
import dev.nas.djl.Devices;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The default executor: every run in this JVM, one after another, with a progress line per run. */
final class LocalExecutor implements CompareExecutor {
  private final String device;
  private final int threads;
  private final PrintStream console;

  LocalExecutor(CompareExecutor.Settings s) {
    if (s.master() != null || !s.conf().isEmpty()) {
      throw new IllegalArgumentException("--spark-master and --spark-conf need --executor spark");
    }
    Devices.parse(s.device()); // a missing GPU fails before any run starts
    this.device = s.device();
    // --threads, else the libtorch setting this JVM was started with, else all cores (as every command)
    String engineThreads = System.getProperty("ai.djl.pytorch.num_threads");
    this.threads = s.threads() != null ? s.threads()
        : engineThreads != null ? Integer.parseInt(engineThreads) : Runtime.getRuntime().availableProcessors();
    this.console = s.console();
  }

  public int threads() {
    return threads;
  }

  public List<RunResult> run(List<RunTask> tasks, int finishedBefore) throws IOException {
    int total = finishedBefore + tasks.size();
    List<RunResult> results = new ArrayList<>();
    double spent = 0;
    for (RunTask t : tasks) {
      int index = finishedBefore + results.size() + 1;
      console.printf(Locale.ROOT, "== compare run %d/%d: %s, seed %d%n", index, total, t.method(), t.seed());
      long start = System.nanoTime();
      RunResult r = t.run(new RunTask.Env(device, threads, "", console));
      double secs = (System.nanoTime() - start) / 1e9;
      spent += secs;
      results.add(r);
      int left = tasks.size() - results.size();
      Progress.clearLine(console);
      console.printf(Locale.ROOT, "== compare run %d/%d done in %s: %s seed %d, test top-1 %.2f%%, %s MACs (width %d),"
          + " %s params, %.2f ms%s%n", index, total, Progress.duration(secs), t.method(), t.seed(), 100 * r.testTop1(),
          CostReport.human(r.macs()), r.width(), CostReport.human(r.params()), r.latencyMs(),
          left > 0 ? String.format(Locale.ROOT, "; %d run(s) left, ETA %s", left,
              Progress.duration(spent / results.size() * left)) : "");
    }
    return results;
  }

  public void close() {}
}
