package dev.nas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.cli.Nas;
import dev.nas.cli.compare.CompareExecutor;
import dev.nas.cli.compare.CompareRun;
import dev.nas.cli.compare.Methods;
import dev.nas.cli.compare.RunFolder;
import dev.nas.cli.compare.RunResult;
import dev.nas.cli.compare.RunTask;
import dev.nas.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nas compare --executor spark} through embedded Spark ({@code local[2]}): the same rows as
 * the local executor, retries of a failing task, resume rules. Every JVM-wide libtorch setting is
 * one thread (the surefire configuration), which is what spark.task.cpus=1 gives each task.
 */
class SparkCompareTest {
  @TempDir
  static Path tmp;
  private static Path local;

  /** The tiny comparison: random and darts over seeds 0 and 1, no baseline; {@code extra} options replace its defaults. */
  private static String[] args(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("compare"));
    a.addAll(List.of(extra));
    List<String> defaults = List.of("--dataset", "synthetic", "--input", "3x8x8", "--classes", "3", "--train-samples",
        "64", "--test-samples", "32", "--methods", "random,darts", "--baselines", "none", "--seeds", "2", "--max-macs",
        "400000", "--search-epochs", "1", "--search-layers", "3", "--search-channels", "4", "--search-batch", "16",
        "--layers", "3", "--train-epochs", "1", "--train-batch", "16", "--cutout", "2", "--bench-warmup", "1",
        "--bench-iterations", "2", "--out", out.toString());
    // extra options replace the defaults: an option given twice is refused
    for (int i = 0; i < defaults.size(); i += 2) {
      if (!a.contains(defaults.get(i))) {
        a.add(defaults.get(i));
        a.add(defaults.get(i + 1));
      }
    }
    return a.toArray(String[]::new);
  }

  /** Runs nas in-process; progress goes to System.err, as every command's log does, and is captured too. */
  private record Result(int status, String out, String err) {
    static Result of(String... args) {
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      PrintStream saved = System.err;
      int status;
      try {
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        status = Nas.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), System.err);
      } finally {
        System.setErr(saved);
      }
      return new Result(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  @BeforeAll
  static void localExecutor() {
    local = tmp.resolve("local");
    Result r = Result.of(args(local));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("4 run(s) done now"), r.toString());
  }

  /** The result rows without their timing columns, which no two runs share. */
  private static List<JsonNode> rows(Path dir) throws IOException {
    JsonNode results = Json.MAPPER.readTree(dir.resolve("results.json").toFile());
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode run : results.get("runs")) {
      ((ObjectNode) run).remove(List.of("latencyMs", "searchSeconds", "trainSeconds"));
      rows.add(run);
    }
    JsonNode settings = results.get("settings");
    rows.add(settings);
    rows.add(results.get("latency"));
    return rows;
  }

  /**
   * Whether the driver printed a progress line with {@code finished} runs finished and {@code failed}
   * (the running count is not checked: Spark's listener events may trail the results)
   */
  private static boolean progressLine(String log, String finished, String failed) {
    return log.lines().anyMatch(l -> l.startsWith("== compare: " + finished + " runs finished, ") && l.contains(failed));
  }

  /** One run's row (from results.json) without its timing columns. */
  private static JsonNode row(Path dir, String name) throws IOException {
    for (JsonNode run : rows(dir)) {
      if (run.has("method") && (run.get("method").asText() + "-seed" + run.get("seed").asLong()).equals(name)) {
        return run;
      }
    }
    throw new AssertionError(name + " is not in " + dir.resolve("results.json"));
  }

  /** A published run's result.json without its timing columns. */
  private static JsonNode row(Path runDir) throws IOException {
    ObjectNode r = (ObjectNode) Json.MAPPER.readTree(runDir.resolve(RunFolder.RESULT).toFile());
    r.remove(List.of("latencyMs", "searchSeconds", "trainSeconds"));
    return r;
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static final List<String> FOLDER = List.of("accuracy_vs_latency.svg", "accuracy_vs_macs.svg", "compare.json",
      "darts-seed0", "darts-seed1", "random-seed0", "random-seed1", "results.json", "results.md");

  @Test
  void sparkGivesTheLocalRowsResumesAndRefusesChangedSettings() throws IOException {
    Path out = tmp.resolve("spark");
    Result r = Result.of(args(out, "--executor", "spark", "--spark-master", "local[2]"));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("4 run(s) done now, 0 already finished"), r.toString());
    assertTrue(r.err().contains("master local[2,4], 1 core(s) per run"), r.err());
    assertTrue(progressLine(r.err(), "4/4", "0 failed attempt(s)"), r.err());
    assertTrue(r.err().contains("ETA "), r.err());
    assertEquals(rows(local), rows(out));
    assertEquals(FOLDER, entries(out));
    for (String run : List.of("darts-seed0", "random-seed1")) {
      assertEquals(entries(local.resolve(run)), entries(out.resolve(run)), run);
    }

    // resume: nothing left to do; a lost run is run again, by either executor
    r = Result.of(args(out, "--executor", "spark", "--spark-master", "local[2]"));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("0 run(s) done now, 4 already finished"), r.toString());
    RunFolder.delete(out.resolve("random-seed1"));
    r = Result.of(args(out));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("1 run(s) done now, 3 already finished"), r.toString());
    assertEquals(rows(local), rows(out));

    r = Result.of(args(out, "--executor", "spark", "--spark-master", "local[2]", "--train-epochs", "2"));
    assertEquals(1, r.status(), r.toString());
    assertTrue(r.err().contains("different settings") && r.err().contains("trainEpochs: 1 vs 2"), r.err());
  }

  /** Fails the first attempt of darts-seed1 after leaving a half-written work folder and run folder. */
  static final class FailFirstAttempt implements RunBody {
    private static final long serialVersionUID = 1L;

    public RunResult run(RunTask task, RunTask.Env env) throws IOException {
      if (task.name().equals("darts-seed1") && TaskContext.get().attemptNumber() == 0) {
        Path work = RunFolder.work(Path.of(task.out()), task.name(), env.attempt());
        Files.createDirectories(work.resolve("search"));
        Files.writeString(work.resolve("search/config.json"), "{}");
        Files.createDirectories(task.dir().resolve("net"));
        throw new IOException("injected failure of the first attempt");
      }
      return RunBody.RUN.run(task, env);
    }
  }

  @Test
  void aFailedTaskIsRetriedFromScratch() throws IOException {
    Path out = tmp.resolve("retry");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(log, true, StandardCharsets.UTF_8);
    var settings = new CompareExecutor.Settings("cpu", null, "local[2]", Map.of("spark.task.maxFailures", "2"),
        console);
    try (SparkExecutor executor = new SparkExecutor(settings, new FailFirstAttempt())) {
      assertEquals("local[2,2]", executor.sparkConf().get("spark.master"));
      assertEquals("false", executor.sparkConf().get("spark.ui.enabled"));
      assertEquals("127.0.0.1", executor.sparkConf().get("spark.driver.bindAddress"));
      CompareRun.Outcome o = new CompareRun(CompareRun.storedConfig(local), out,
          Methods.named(List.of("random", "darts")), List.of(1L), executor, console).execute();
      assertEquals(2, o.ran().size());
    }
    String progress = log.toString(StandardCharsets.UTF_8);
    assertTrue(progress.contains("failed (ExceptionFailure: java.io.IOException: injected failure of the first "
        + "attempt); Spark retries it"), progress);
    assertTrue(progressLine(progress, "2/2", "1 failed attempt(s)"), progress);
    for (String run : List.of("random-seed1", "darts-seed1")) {
      assertEquals(row(local, run), row(out, run), run);
      assertEquals(entries(local.resolve(run)), entries(out.resolve(run)), run);
    }
    assertEquals(List.of("accuracy_vs_latency.svg", "accuracy_vs_macs.svg", "compare.json", "darts-seed1",
        "random-seed1", "results.json", "results.md"), entries(out));
  }

  @Test
  void aRunThatFailsEveryAttemptFailsTheComparisonAfterTheOthers() throws IOException {
    Path out = tmp.resolve("fail");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(log, true, StandardCharsets.UTF_8);
    var settings = new CompareExecutor.Settings("cpu", null, "local[1]", Map.of("spark.task.maxFailures", "2"),
        console);
    RunBody failSeed0 = (task, env) -> {
      if (task.seed() == 0) {
        throw new IOException("seed 0 is broken");
      }
      return RunBody.RUN.run(task, env);
    };
    try (SparkExecutor executor = new SparkExecutor(settings, failSeed0)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CompareRun(
          CompareRun.storedConfig(local), out, Methods.named(List.of("random")), List.of(0L, 1L), executor,
          console).execute());
      assertTrue(e.getMessage().startsWith("1 of 2 run(s) failed after 2 attempt(s) each: random-seed0: seed 0 is "
          + "broken"), e.getMessage());
    }
    assertEquals(row(local, "random-seed1"), row(out.resolve("random-seed1")), "the run that worked is kept");
    assertEquals(List.of("compare.json", "random-seed1"), entries(out));
  }

  @Test
  void aSecondFinishedAttemptFindsTheRunPublished(@TempDir Path dir) throws IOException {
    Path first = RunFolder.work(dir, "darts-seed0", "-attempt1");
    Path second = RunFolder.work(dir, "darts-seed0", "-attempt2");
    for (Path w : List.of(first, second)) {
      Files.createDirectories(w);
      Files.writeString(w.resolve(RunFolder.RESULT), w.getFileName().toString());
    }
    Path run = dir.resolve("darts-seed0");
    assertTrue(RunFolder.publish(first, run));
    assertFalse(RunFolder.publish(second, run));
    assertEquals("darts-seed0.partial-attempt1", Files.readString(run.resolve(RunFolder.RESULT)));
    assertEquals(List.of("darts-seed0"), entries(dir));
    Path unfinished = RunFolder.work(dir, "random-seed0", "");
    Files.createDirectories(unfinished);
    assertThrows(IllegalStateException.class, () -> RunFolder.publish(unfinished, dir.resolve("random-seed0")));
  }

  @Test
  void settingsAndDevices() {
    var s = new CompareExecutor.Settings("cpu", 2, null, Map.of(), System.err);
    SparkSettings p = SparkSettings.of(s, null);
    assertEquals("local[*,4]", p.master());
    assertEquals(2, p.cpus());
    assertEquals("2", p.conf().get("spark.task.cpus"));
    assertEquals("spark://10.0.0.5:7077", SparkSettings.of(new CompareExecutor.Settings("cpu", null, null, Map.of(),
        System.err), "spark://10.0.0.5:7077").master());
    assertFalse(SparkSettings.of(new CompareExecutor.Settings("cpu", null, "spark://10.0.0.5:7077", Map.of(),
        System.err), null).conf().containsKey("spark.driver.host"), "a remote cluster must reach the driver");
    var conflict = new CompareExecutor.Settings("cpu", 2, "local[2]", Map.of("spark.task.cpus", "1"), System.err);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkSettings.of(conflict, null)).getMessage()
        .contains("disagree"));
    var yarn = new CompareExecutor.Settings("cpu", null, "yarn", Map.of(), System.err);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkSettings.of(yarn, null)).getMessage()
        .contains("spark://HOST:PORT"));

    Map<String, ResourceInformation> gpus = Map.of("gpu", new ResourceInformation("gpu", new String[] {"3"}));
    assertEquals("gpu:3", SparkRunFunction.device("gpu", gpus));
    assertEquals("cpu", SparkRunFunction.device("cpu", gpus));
    assertEquals("gpu", SparkRunFunction.device("gpu", Map.of()));
  }

  @Test
  void usageErrors(@TempDir Path dir) {
    Result r = Result.of(args(dir.resolve("x"), "--executor", "spark", "--spark-master", "mesos://h:1"));
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("--spark-master takes local"), r.toString());
    r = Result.of(args(dir.resolve("y"), "--spark-master", "local[2]"));
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("need --executor spark"), r.toString());
  }
}
