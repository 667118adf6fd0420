package dev.nas.cluster;

import dev.nas.cli.compare.RunResult;
import dev.nas.cli.compare.RunTask;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;

/**
 * The body of every Spark task: one run, in the executor's JVM, with the task's cores as its
 * threads and, under GPU scheduling, the GPU Spark assigned it as its device.
 */
final class SparkRunFunction implements Function<RunTask, RunResult> {
  private static final long serialVersionUID = 1L;

  private final RunBody body;
  private final String device;

  SparkRunFunction(RunBody body, String device) {
    this.body = body;
    this.device = device;
  }

  @Override
  public RunResult call(RunTask task) throws Exception {
    TaskContext tc = TaskContext.get();
    int cpus = tc.cpus();
    String dev = device(device, tc.resourcesJMap());
    String attempt = "-attempt" + tc.taskAttemptId();
    System.err.printf(Locale.ROOT, "== compare task %s (attempt %d, %d core(s), device %s)%n", task.name(),
        tc.attemptNumber(), cpus, dev);
    return body.run(task, new RunTask.Env(dev, cpus, attempt, System.err));
  }

  /** The device of a run: the assigned GPU's address when GPUs are scheduled and a GPU was asked for. */
  static String device(String requested, Map<String, ResourceInformation> resources) {
    ResourceInformation gpu = resources.get("gpu");
    if (gpu == null || gpu.addresses().length == 0 || requested.trim().toLowerCase(Locale.ROOT).equals("cpu")) {
      return requested;
    }
    return "gpu:" + gpu.addresses()[0];
  }
}
