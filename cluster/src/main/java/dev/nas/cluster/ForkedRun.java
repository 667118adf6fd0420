package dev.nas.cluster;

import dev.nas.cli.compare.RunFolder;
import dev.nas.cli.compare.RunResult;
import dev.nas.cli.compare.RunTask;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@link RunTask} in a JVM of its own, started by the executor's JVM with its class path
 * and JVM options. One JVM per run because DJL lets one gradient collection run per JVM at a time
 * ({@code PtGradientCollector} is guarded by a static flag) and libtorch's grad mode is per
 * thread, set off only on the thread that started the engine: two runs cannot train side by side
 * in one JVM, nor in a Spark task thread. The child's main thread is what {@code ./nas compare}'s
 * is; it gets the task's cores as libtorch's and ONNX Runtime's threads, and it exits when its
 * parent does (its stdin closes), so a killed executor leaves no run behind.
 */
final class ForkedRun {
  private static final String ERROR = "nas compare run: error: ";

  private ForkedRun() {}

  /** Runs {@code task} in a child JVM and returns its published result. */
  static RunResult run(RunTask task, RunTask.Env env) throws IOException {
    Path spec = Files.createTempFile("nas-run-" + task.name() + "-", ".task");
    try {
      try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(spec))) {
        o.writeObject(task);
      }
      ProcessBuilder pb = new ProcessBuilder(command(spec, env)).redirectErrorStream(true);
      pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
      pb.environment().putIfAbsent("TORCH_CPP_LOG_LEVEL", "ERROR");
      Process p = pb.start();
      Relay relay = new Relay(p.getInputStream(), "[" + task.name() + "] ", env.console());
      relay.start();
      try {
        int rc = p.waitFor();
        relay.join();
        if (rc != 0) {
          throw new IOException(relay.error != null ? relay.error
              : "the run's JVM exited with status " + rc + " (its output is in this executor's log)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(task.name() + " was cancelled");
      } finally {
        p.destroyForcibly();
      }
    } finally {
      Files.deleteIfExists(spec);
    }
    return RunFolder.result(task.dir());
  }

  private static List<String> command(Path spec, RunTask.Env env) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Dai.djl.pytorch.num_") && !a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xdebug")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dai.djl.pytorch.num_threads=" + env.threads());
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(ForkedRun.class.getName());
    cmd.addAll(List.of(spec.toString(), env.device(), Integer.toString(env.threads()), env.attempt()));
    return cmd;
  }

  /** The JVM's class path and the jars Spark added for the application (spark.jars, --jars). */
  private static String classPath() {
    Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path")
        .split(java.io.File.pathSeparator)));
    for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          if (url.getProtocol().equals("file")) {
            entries.add(url.getPath());
          }
        }
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** Copies the child's output to the executor's log, one prefixed line at a time; keeps its error line. */
  private static final class Relay extends Thread {
    private final BufferedReader in;
    private final String prefix;
    private final PrintStream out;
    private volatile String error;

    Relay(InputStream in, String prefix, PrintStream out) {
      this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      this.prefix = prefix;
      this.out = out;
      setDaemon(true);
      setName("nas-run-output");
    }

    @Override
    public void run() {
      try {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith(ERROR)) {
            error = line.substring(ERROR.length());
          }
          out.println(prefix + line);
        }
      } catch (IOException e) {
        out.println(prefix + "(output lost: " + e.getMessage() + ")");
      }
    }
  }

  /** The child JVM: {@code TASK_FILE DEVICE THREADS ATTEMPT}. */
  public static void main(String[] args) {
    Thread orphan = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // the parent never writes; EOF means it is gone
        }
      } catch (IOException e) {
        // the same: the pipe to the parent is broken
      }
      Runtime.getRuntime().halt(3);
    }, "nas-run-parent-watch");
    orphan.setDaemon(true);
    orphan.start();
    try {
      RunTask task;
      try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
        task = (RunTask) in.readObject();
      }
      task.run(new RunTask.Env(args[1], Integer.parseInt(args[2]), args[3], System.err));
      System.err.flush();
      System.exit(0);
    } catch (Exception | Error e) {
      String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      System.err.println(ERROR + m.replace('\n', ' '));
      if (System.getenv("NAS_DEBUG") != null) {
        e.printStackTrace();
      }
      System.exit(1);
    }
  }
}
