package dev.nas.cluster;

/**
 * Spark logs through slf4j, here the project's slf4j-simple at warn; a few of its warnings are
 * expected on every start of an embedded or loopback cluster and say nothing to a nas user, and
 * failed attempts are reported by {@link SparkProgress} without Spark's stack traces
 * ({@code NAS_DEBUG=1} keeps them).
 */
final class SparkLogging {
  private SparkLogging() {}

  /** Sets the levels before Spark creates its loggers (slf4j-simple reads them then). */
  static void quiet() {
    level("org.apache.hadoop", "error"); // no native-hadoop library: Spark's pure-Java fallback is used
    level("org.apache.spark.util.Utils", "error"); // "your hostname resolves to a loopback address"
    if (System.getenv("NAS_DEBUG") == null) {
      // a failed attempt is logged with its stack trace; the progress line gives its message instead
      level("org.apache.spark.executor.Executor", "off");
      level("org.apache.spark.scheduler.TaskSetManager", "off");
    }
  }

  private static void level(String logger, String level) {
    String key = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(key) == null) {
      System.setProperty(key, level);
    }
  }
}
