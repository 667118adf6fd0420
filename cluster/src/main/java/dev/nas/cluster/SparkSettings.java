package dev.nas.cluster;

import dev.nas.cli.compare.CompareExecutor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark configuration of a comparison: the user's {@code --spark-conf} values win; around them
 * nas sets what its runs need (task cores = {@code --threads}, retries also in local mode, the
 * driver and UI on loopback when the cluster is local, libtorch's environment on executors).
 *
 * @param master the master URL, local ones rewritten to {@code local[N,F]} so that failed tasks are retried
 * @param cpus cores per task ({@code spark.task.cpus}): every run's libtorch and ONNX Runtime threads
 * @param conf everything else, to go into the {@code SparkConf}
 */
record SparkSettings(String master, int cpus, Map<String, String> conf) {
  static final String DEFAULT_MASTER = "local[*]";
  static final int DEFAULT_MAX_FAILURES = 4;
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:\\s*,\\s*(\\d+))?\\])?");
  private static final Pattern STANDALONE = Pattern.compile("spark://([^:/]+):(\\d+)");

  /**
   * From the command line's settings; {@code submitted} is the master spark-submit passed as the
   * {@code spark.master} system property, or null.
   */
  static SparkSettings of(CompareExecutor.Settings s, String submitted) {
    Map<String, String> conf = new LinkedHashMap<>(s.conf());
    String fromConf = conf.remove("spark.master");
    if (s.master() != null && fromConf != null && !s.master().equals(fromConf)) {
      throw new IllegalArgumentException("--spark-master " + s.master() + " and --spark-conf spark.master="
          + fromConf + " disagree");
    }
    String master = s.master() != null ? s.master() : fromConf != null ? fromConf
        : submitted != null ? submitted : DEFAULT_MASTER;
    master = master.trim();
    int cpus = positive(conf, "spark.task.cpus", s.threads() != null ? s.threads() : 1);
    if (s.threads() != null && cpus != s.threads()) {
      throw new IllegalArgumentException("--threads " + s.threads() + " and spark.task.cpus=" + cpus + " disagree "
          + "(with --executor spark, --threads is the cores each run's task takes)");
    }
    conf.put("spark.task.cpus", Integer.toString(cpus));
    int maxFailures = positive(conf, "spark.task.maxFailures", DEFAULT_MAX_FAILURES);
    conf.put("spark.task.maxFailures", Integer.toString(maxFailures));
    boolean loopback;
    Matcher local = LOCAL.matcher(master);
    Matcher standalone = STANDALONE.matcher(master);
    if (local.matches()) {
      // plain local[N] never retries a task (Spark's MAX_LOCAL_TASK_FAILURES = 1); local[N,F] does
      String slots = local.group(1) == null ? "1" : local.group(1);
      if (!slots.equals("*") && Integer.parseInt(slots) < 1) {
        throw new IllegalArgumentException("--spark-master " + master + ": local[N] needs N >= 1");
      }
      int failures = local.group(2) != null ? Integer.parseInt(local.group(2)) : maxFailures;
      master = "local[" + slots + "," + failures + "]";
      loopback = true;
    } else if (standalone.matches()) {
      String host = standalone.group(1).toLowerCase(Locale.ROOT);
      loopback = host.equals("127.0.0.1") || host.equals("localhost");
    } else {
      throw new IllegalArgumentException("--spark-master takes local, local[N], local[*] or spark://HOST:PORT, not '"
          + master + "'");
    }
    conf.putIfAbsent("spark.app.name", "nas compare");
    // the UI binds all interfaces (SPARK_LOCAL_IP decides, not the driver's address): off unless asked for
    conf.putIfAbsent("spark.ui.enabled", "false");
    if (loopback) {
      conf.putIfAbsent("spark.driver.host", "127.0.0.1");
      conf.putIfAbsent("spark.driver.bindAddress", "127.0.0.1");
    }
    // an executor JVM runs libtorch as ./nas does: OpenMP threads sleep when idle, no deprecation notices, no downloads
    conf.putIfAbsent("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
    conf.putIfAbsent("spark.executorEnv.TORCH_CPP_LOG_LEVEL", "ERROR");
    conf.putIfAbsent("spark.executor.extraJavaOptions", "-Dai.djl.offline=true");
    return new SparkSettings(master, cpus, Map.copyOf(conf));
  }

  /** Whether tasks run inside the driver's JVM. */
  boolean local() {
    return master.startsWith("local");
  }

  private static int positive(Map<String, String> conf, String key, int def) {
    String v = conf.get(key);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("--spark-conf " + key + " must be a positive integer, not '" + v + "'");
  }
}
