package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cost targets and hard budgets from the command line: nas lut, nas search and nas pipeline together. */
class CostAwareCommandsTest {
  private static final String[] TINY_SEARCH = {"search", "--input", "3x8x8", "--classes", "3", "--train-samples", "32",
      "--epochs", "1", "--layers", "3", "--channels", "4", "--batch", "16", "--net-channels", "4", "--net-layers", "3"};

  private static String[] with(String[] base, String... more) {
    String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }

  private static JsonNode lastCost(Path run) throws Exception {
    JsonNode h = Json.MAPPER.readTree(run.resolve("history.json").toFile());
    return h.get(h.size() - 1).get("cost");
  }

  @Test
  void aLatencyTargetAndBudgetReadTheTableNasLutMeasured(@TempDir Path tmp) throws Exception {
    Path lut = tmp.resolve("lut.json");
    CliRunner table = CliRunner.run("lut", "--space", "darts", "--macro", "cifar", "--channels", "4", "--layers", "3",
        "--input", "3x8x8", "--classes", "3", "--warmup", "1", "--iterations", "3", "--out", lut.toString());
    assertEquals(0, table.status(), table.toString());
    Path run = tmp.resolve("s");
    CliRunner r = CliRunner.run(with(TINY_SEARCH, "--target-latency", "0.001", "--lut", lut.toString(),
        "--max-latency", "1000", "--latency-margin", "5", "--out", run.toString()));
    assertEquals(0, r.status(), r.toString());
    JsonNode cost = lastCost(run);
    assertEquals("latency", cost.get("metric").asText());
    assertTrue(cost.get("expected").asDouble() > 0);
    assertTrue(cost.get("predicted").get("latency").asDouble() > 0);
    String log = Files.readString(run.resolve("log.txt"));
    assertTrue(log.contains("latency table: " + lut), log);
    assertTrue(log.contains("a 5.0% margin (--latency-margin)"), log);
    assertTrue(log.contains("looks unreachable"), "0.001 ms is below any network: " + log);

    // a table of other networks is refused by name, and no run folder is left behind
    Path other = tmp.resolve("other");
    CliRunner wrong = CliRunner.run("search", "--input", "3x8x8", "--classes", "3", "--train-samples", "32",
        "--epochs", "1", "--layers", "3", "--channels", "4", "--batch", "16", "--net-channels", "6", "--net-layers",
        "3", "--target-latency", "1", "--lut", lut.toString(), "--out", other.toString());
    assertEquals(1, wrong.status(), wrong.toString());
    assertTrue(wrong.err().contains("channels 4, not 6"), wrong.err());
    assertFalse(Files.exists(other));
  }

  @Test
  void badCostOptionsGetOneMessage(@TempDir Path tmp) {
    String out = tmp.resolve("x").toString();
    CliRunner two = CliRunner.run(with(TINY_SEARCH, "--target-macs", "1000", "--target-params", "10", "--out", out));
    assertEquals(2, two.status());
    assertTrue(two.err().contains("give one of --target-macs, --target-params, --target-latency"), two.err());
    CliRunner noLut = CliRunner.run(with(TINY_SEARCH, "--target-latency", "2", "--out", out));
    assertEquals(2, noLut.status());
    assertTrue(noLut.err().contains("--lut lut.json"), noLut.err());
    CliRunner penalty = CliRunner.run(with(TINY_SEARCH, "--target-macs", "1000", "--cost-penalty", "square",
        "--out", out));
    assertEquals(2, penalty.status());
    assertTrue(penalty.err().contains("mul-log, add-linear or add-symmetric"), penalty.err());
    CliRunner at = CliRunner.run(with(TINY_SEARCH, "--target-macs", "1000", "--penalty-cost", "argmax", "--out", out));
    assertEquals(2, at.status());
    assertTrue(at.err().contains("--penalty-cost must be expected or derived"), at.err());
    CliRunner count = CliRunner.run(with(TINY_SEARCH, "--max-macs", "20Q", "--out", out));
    assertEquals(2, count.status());
    assertTrue(count.err().contains("--max-macs: '20Q' is not a count such as 600M"), count.err());
    CliRunner impossible = CliRunner.run(with(TINY_SEARCH, "--max-params", "10", "--out", out));
    assertEquals(1, impossible.status());
    assertTrue(impossible.err().contains("impossible budget"), impossible.err());
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  @Test
  void thePipelineReportsPredictedAgainstMeasured(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("p");
    CliRunner r = CliRunner.run("pipeline", "--input", "3x8x8", "--classes", "4", "--train-samples", "96",
        "--test-samples", "32", "--search-epochs", "1", "--search-layers", "3", "--search-channels", "4",
        "--search-batch", "16", "--train-epochs", "1", "--layers", "3", "--channels", "4", "--train-batch", "16",
        "--bench-batch", "1", "--max-latency-ms", "1000", "--target-macs", "200k", "--max-macs", "0.4M",
        "--penalty-cost", "derived", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    JsonNode s = Json.MAPPER.readTree(run.resolve("summary.json").toFile());
    JsonNode targets = s.get("costTargets");
    assertEquals(2, targets.size(), "the target and the search's budget");
    for (JsonNode t : targets) {
      // MACs are counted exactly: the search's prediction is the exported network's count
      assertEquals(s.get("macs").asDouble(), t.get("predicted").asDouble(), 0.0);
      assertEquals(s.get("macs").asDouble(), t.get("measured").asDouble(), 0.0);
    }
    assertTrue(s.get("macs").asLong() <= 400_000, "the hard budget held");
    assertTrue(Files.readString(run.resolve("summary.md")).contains("## Cost-aware search"));
    assertTrue(Files.readString(run.resolve("search/log.txt")).contains("on the derived genotype's cost"),
        "the pipeline passes --penalty-cost to its search");
  }
}
