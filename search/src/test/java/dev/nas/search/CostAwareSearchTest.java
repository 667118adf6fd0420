package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.io.Json;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.cost.CostMetric;
import dev.nas.search.cost.CostPenalty;
import dev.nas.search.cost.CostSettings;
import dev.nas.search.cost.DerivedShape;
import dev.nas.search.cost.PenaltyCost;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostAwareSearchTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final DerivedShape NET = new DerivedShape("cifar", 4, 5, 0, 0);

  private static SearchResult run(SearchConfig c, Path dir) throws IOException {
    return c.algorithm().run(c, dir, Device.cpu(), QUIET, SearchAlgorithm.RunControl.FRESH);
  }

  private static JsonNode lastCost(Path run) throws IOException {
    JsonNode h = Json.MAPPER.readTree(run.resolve("history.json").toFile());
    return h.get(h.size() - 1).get("cost");
  }

  @Test
  void thePenaltyPullsTheExpectedCostDownAndIsRecorded(@TempDir Path tmp) throws IOException {
    SearchConfig tiny = TinySearch.config("darts", "darts", 96, 3, 3);
    // Adam moves each α by about its learning rate per step whatever the gradient's size: a few steps need a large one
    SearchConfig base = tiny.withArch(tiny.arch().withLr(0.1));
    // a target far below the space's cheapest network: the hinge is active throughout
    CostSettings cost = new CostSettings(CostMetric.MACS, 1000, CostPenalty.ADD_LINEAR, 5, NET, null, 0, 0, 0, null, null);
    run(base.withCost(cost), tmp.resolve("cost"));
    run(base.withCost(new CostSettings(CostMetric.MACS, 1e12, CostPenalty.ADD_LINEAR, 5, NET, null, 0, 0, 0, null, null)),
        tmp.resolve("free"));
    JsonNode penalised = lastCost(tmp.resolve("cost"));
    JsonNode free = lastCost(tmp.resolve("free"));
    assertEquals("macs", penalised.get("metric").asText());
    assertTrue(penalised.get("predicted").has("macs"));
    double e = penalised.get("expected").asDouble();
    double f = free.get("expected").asDouble();
    assertTrue(e < 0.9 * f, "penalised expected MACs " + e + " vs unpenalised " + f);
    String log = Files.readString(tmp.resolve("cost/log.txt"));
    assertTrue(log.contains("looks unreachable"), "a target below the cheapest network is warned about");
    assertTrue(log.contains("cost: expected"), log);
    // the same pull with the penalty taken at the derived genotype's cost: its value above the target throughout
    run(base.withCost(new CostSettings(CostMetric.MACS, 1000, CostPenalty.ADD_LINEAR, 5, NET, null, 0, 0, 0, null,
        PenaltyCost.DERIVED)), tmp.resolve("derived"));
    double d = lastCost(tmp.resolve("derived")).get("expected").asDouble();
    assertTrue(d < 0.9 * f, "expected MACs under the derived-cost penalty " + d + " vs unpenalised " + f);
    assertTrue(Files.readString(tmp.resolve("derived/log.txt")).contains("on the derived genotype's cost"));
  }

  @Test
  void theDerivedCostPenaltyReadsEachAlgorithmsGenotype(@TempDir Path tmp) throws IOException {
    // SDAS derives by completing its decisions, CDARTS from its S-Net: both run under the derived-cost penalty
    for (String[] algoSpace : new String[][] {{"sdas-c", "o2d"}, {"cdarts", "darts"}}) {
      SearchConfig c = TinySearch.config(algoSpace[0], algoSpace[1], 64, 2, 3).withCost(new CostSettings(
          CostMetric.MACS, 1000, null, 0, NET, null, 0, 0, 0, null, PenaltyCost.DERIVED));
      Path dir = tmp.resolve(algoSpace[0]);
      run(c, dir);
      JsonNode cost = lastCost(dir);
      assertTrue(cost.get("expected").asDouble() > 0 && cost.get("predicted").get("macs").asDouble() > 0, algoSpace[0]);
      assertTrue(Files.readString(dir.resolve("log.txt")).contains("on the derived genotype's cost"), algoSpace[0]);
    }
  }

  @Test
  void theWrittenGenotypeFitsTheHardBudgetForEveryMixing(@TempDir Path tmp) throws IOException {
    for (String[] algoSpace : new String[][] {{"darts", "darts"}, {"das", "o2d"}, {"sdas-a", "o2d"}, {"cdarts", "darts"}}) {
      SearchConfig base = TinySearch.config(algoSpace[0], algoSpace[1], 64, 2, 3);
      Path free = tmp.resolve(algoSpace[0] + "-free");
      SearchConfig measured = base.withCost(new CostSettings(null, 0, null, 0, NET, null, Long.MAX_VALUE / 4, 0, 0, null, null));
      run(measured, free);
      double macs = lastCost(free).get("predicted").get("macs").asDouble();
      long budget = (long) (0.8 * macs);
      Path fitted = tmp.resolve(algoSpace[0] + "-fit");
      SearchResult r = run(base.withCost(new CostSettings(null, 0, null, 0, NET, null, budget, 0, 0, null, null)), fitted);
      JsonNode cost = lastCost(fitted);
      assertTrue(cost.get("predicted").get("macs").asDouble() <= budget, algoSpace[0]);
      assertFalse(cost.get("budgetChanges").isEmpty(), algoSpace[0] + ": the rule's genotype had to change");
      assertEquals(r.genotype(), Genotypes.parseJson(Files.readString(fitted.resolve("genotype.json"))));
    }
  }

  @Test
  void clipSearchesTrackTheCostOfTheirVideoNetwork(@TempDir Path tmp) throws IOException {
    SearchConfig t = TinySearch.config("sdas-c", "o2d", 16, 2, 3);
    SearchConfig c = t.withDataAndSupernet(new DataSettings("synthetic-video", null, "3x4x16x16", 4, 16, 4, 0.5, false,
        0), new SupernetShape("o3d", 3, 4, 1, 4, 1, null)).withSchedule(new EpochSchedule(2, 4, 0))
        .withCost(new CostSettings(null, 0, null, 0, new DerivedShape("video-sdas", 4, 0, 1, 4), null, Long.MAX_VALUE / 4, 0, 0, null, null));
    run(c, tmp.resolve("free"));
    double macs = lastCost(tmp.resolve("free")).get("predicted").get("macs").asDouble();
    Path fitted = tmp.resolve("fit");
    SearchResult r = run(c.withCost(new CostSettings(CostMetric.MACS, 0.5 * macs, null, 0,
        new DerivedShape("video-sdas", 4, 0, 1, 4), null, (long) (0.9 * macs), 0, 0, null, null)), fitted);
    JsonNode cost = lastCost(fitted);
    assertTrue(cost.get("predicted").get("macs").asDouble() <= 0.9 * macs);
    assertTrue(cost.get("expected").asDouble() > 0);
    assertEquals("o3d", r.genotype().space());
  }

  @Test
  void anImpossibleBudgetIsRefusedAndLeavesNoRunBehind(@TempDir Path tmp) {
    SearchConfig c = TinySearch.config("darts", "darts", 64, 1, 3)
        .withCost(new CostSettings(null, 0, null, 0, NET, null, 10, 0, 0, null, null));
    Path run = tmp.resolve("run");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(c, run));
    assertTrue(e.getMessage().contains("impossible budget"), e.getMessage());
    assertFalse(Files.exists(run), "no half-written run folder");
  }

  @Test
  void aResumedCostAwareSearchEndsWhereAnUninterruptedOneDoes(@TempDir Path tmp) throws IOException {
    SearchConfig c = TinySearch.config("darts", "darts", 64, 2, 3)
        .withCost(new CostSettings(CostMetric.MACS, 1e5, CostPenalty.MUL_LOG, 0, NET, null, 250_000, 0, 0, null, null));
    SearchResult straight = run(c, tmp.resolve("a"));
    Path b = tmp.resolve("b");
    new SearchRun(c, b, Device.cpu(), QUIET).execute(new SearchAlgorithm.RunControl(false, 1, false));
    SearchResult resumed = new SearchRun(c, b, Device.cpu(), QUIET).execute(new SearchAlgorithm.RunControl(true, 0,
        false));
    assertEquals(straight.genotype(), resumed.genotype());
    assertEquals(lastCost(tmp.resolve("a")), lastCost(b));
    // another target is another search: the resume is refused naming the field
    SearchConfig other = c.withCost(new CostSettings(CostMetric.MACS, 2e5, CostPenalty.MUL_LOG, 0, NET, null, 250_000,
        0, 0, null, null));
    SearchRun.SearchFailed e = assertThrows(SearchRun.SearchFailed.class, () -> new SearchRun(other, b, Device.cpu(),
        QUIET).execute(new SearchAlgorithm.RunControl(true, 0, false)));
    assertTrue(e.getMessage().contains("cost.target"), e.getMessage());
  }

  @Test
  void accuracyOnlyConfigurationsAreWrittenAsBefore() throws IOException {
    SearchConfig c = TinySearch.config("darts", "darts", 64, 1, 3);
    assertFalse(Json.write(c).contains("cost"));
    SearchConfig withCost = c.withCost(new CostSettings(CostMetric.PARAMS, 5000, null, 0, NET, null, 0, 0, 0, null, null));
    assertEquals(withCost, SearchConfig.fromJson(Json.MAPPER.readTree(Json.write(withCost))));
  }
}
