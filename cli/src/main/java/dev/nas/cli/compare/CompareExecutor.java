package dev.nas.cli.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Where a comparison's runs execute. {@code local} (this JVM, one run after another) is built in;
 * others are found with {@link ServiceLoader} as {@link Provider}s, so a module that brings a
 * distributed engine (the cluster module's {@code spark}) depends on this one and not the reverse.
 * An executor runs {@link RunTask#run} for every task; the caller writes the report.
 */
public interface CompareExecutor extends AutoCloseable {
  /** Threads each run's libtorch and ONNX Runtime use (results.md states it with the latency). */
  int threads();

  /**
   * Runs {@code tasks}, none of them finished yet, and returns their results in the same order.
   * {@code finishedBefore} runs of the comparison were done earlier (for progress counts only).
   * Runs that finish are published even when others fail; a failure is thrown after the rest.
   */
  List<RunResult> run(List<RunTask> tasks, int finishedBefore) throws IOException;

  @Override
  void close();

  /**
   * What the command line says about execution.
   *
   * @param device cpu, gpu or gpu:N for every run
   * @param threads {@code --threads}, or null when not given
   * @param master the executor's master ({@code --spark-master}), or null for its default
   * @param conf executor settings ({@code --spark-conf KEY=VALUE}), in the order given
   */
  record Settings(String device, Integer threads, String master, Map<String, String> conf, PrintStream console) {}

  /** An executor other than {@code local}, registered in {@code META-INF/services}. */
  interface Provider {
    /** Its {@code --executor} name. */
    String name();

    /** Starts it; an {@link IllegalArgumentException} means unusable settings. */
    CompareExecutor open(Settings settings);
  }

  /** The executor called {@code name}; fails saying where the missing one lives. */
  static CompareExecutor open(String name, Settings settings) {
    if (name.equals("local")) {
      return new LocalExecutor(settings);
    }
    for (Provider p : ServiceLoader.load(Provider.class)) {
      if (p.name().equals(name)) {
        return p.open(settings);
      }
    }
    if (name.equals("spark")) {
      throw new IllegalArgumentException("--executor spark needs the cluster module on the class path: run "
          + "./nas-cluster compare ... (built by mvn -q -DskipTests package) instead of ./nas");
    }
    throw new IllegalArgumentException("unknown executor '" + name + "' (known: local, spark)");
  }
}
