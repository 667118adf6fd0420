package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Json;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import dev.nas.core.ops.SearchSpace;
import dev.nas.djl.Batch;
import dev.nas.djl.Tensors;
import dev.nas.djl.optim.CosineSchedule;
import dev.nas.djl.optim.StepSchedule;
import dev.nas.search.algo.ArchObjective;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.algo.Darts;
import dev.nas.search.algo.OneLevelOptimizer;
import dev.nas.search.algo.PvNas;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.StepStats;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PV-NAS' one-level optimisation: α on the training loss, step-decayed weight learning rate, resume. */
class PvnasTest {
  private static final BilevelSettings PVNAS = BilevelSettings.of(new PvNas().defaults(), false);
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final FeatureShape IN = FeatureShape.of(3, 6, 6);

  static SearchConfig config(String space, int epochs, int lrStep) {
    SearchConfig c = TinySearch.config("pvnas", space, 64, epochs, 3);
    // PV-NAS' own α learning rate (1e-3), not the tiny searches' faster one
    return c.withArch(new PvNas().defaults().arch())
        .withSchedule(new EpochSchedule(epochs, c.schedule().batch(), 0, lrStep, EpochSchedule.LrSchedule.STEP));
  }

  private static Supernet supernet() {
    return new Supernet(SupernetTest.tiny(2, 3, IN, 3), new SoftmaxMixing(SearchSpace.DARTS), Device.cpu(),
        DataType.FLOAT32, 7);
  }

  private static float[] alpha(Supernet net) {
    return Tensors.toHost(net.params().get("alpha.normal")).data();
  }

  @Test
  void stepScheduleDecaysTenfoldEverySEpochs() {
    StepSchedule s = new StepSchedule(0.1, 0.1, 3);
    double[] expected = {0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], s.lr(e), 1e-12, "epoch " + e);
    }
    assertThrows(IllegalArgumentException.class, () -> new StepSchedule(0.1, 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> new StepSchedule(0.1, 1.5, 2));
    // the default step is a quarter of the epochs: PV-NAS' 20 of 80, three decays; short runs decay every epoch
    assertEquals(20, new EpochSchedule(80, 32, 0, 0, EpochSchedule.LrSchedule.STEP).lrStepEpochs());
    assertEquals(1, new EpochSchedule(2, 32, 0, 0, EpochSchedule.LrSchedule.STEP).lrStepEpochs());
    assertEquals(1, new EpochSchedule(1, 32, 0, 0, EpochSchedule.LrSchedule.STEP).lrStepEpochs());
    StepSchedule d = assertInstanceOf(StepSchedule.class, new PvNas().lrSchedule(config("darts", 80, 0)));
    assertEquals(0.05, d.lr(19), 1e-12);
    assertEquals(0.005, d.lr(20), 1e-12);
    assertEquals(0.05e-3, d.lr(79), 1e-15);
    assertEquals(4, ((StepSchedule) new PvNas().lrSchedule(config("darts", 50, 4))).every());
    assertInstanceOf(CosineSchedule.class, new Darts(false).lrSchedule(SearchRunTest.tinyConfig("darts", 5)));
    // either schedule for any algorithm: PV-NAS' Fig. 4 compares them
    SearchConfig cosine = config("darts", 8, 0);
    cosine = cosine.withSchedule(new EpochSchedule(8, 16, 0, 0, EpochSchedule.LrSchedule.COSINE));
    assertInstanceOf(CosineSchedule.class, cosine.algorithm().lrSchedule(cosine));
    SearchConfig step = SearchRunTest.tinyConfig("darts", 4)
        .withSchedule(new EpochSchedule(4, 16, 0, 2, EpochSchedule.LrSchedule.STEP));
    assertEquals(2, ((StepSchedule) step.algorithm().lrSchedule(step)).every());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EpochSchedule(4, 16, 0, 2, EpochSchedule.LrSchedule.COSINE));
    assertTrue(e.getMessage().contains("--lr-step sets the step schedule's decay"), e.getMessage());
  }

  @Test
  void aConfigurationStoredBeforeTheScheduleChoiceResumesWithTheScheduleItRan() throws Exception {
    SearchConfig c = config("darts", 5, 0);
    com.fasterxml.jackson.databind.node.ObjectNode old = dev.nas.core.io.Json.MAPPER.valueToTree(c);
    ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("schedule")).remove("lrSchedule");
    SearchConfig read = SearchConfig.fromJson(old);
    assertEquals(EpochSchedule.LrSchedule.STEP, read.schedule().lrSchedule());
    assertEquals(2, read.schedule().lrStep(), "the step default of its time: a third of 5 epochs, rounded up");
    com.fasterxml.jackson.databind.node.ObjectNode darts = dev.nas.core.io.Json.MAPPER.valueToTree(
        SearchRunTest.tinyConfig("darts", 5));
    ((com.fasterxml.jackson.databind.node.ObjectNode) darts.get("schedule")).remove("lrSchedule");
    assertEquals(EpochSchedule.LrSchedule.COSINE, SearchConfig.fromJson(darts).schedule().lrSchedule());
    assertEquals(c, SearchConfig.fromJson(dev.nas.core.io.Json.MAPPER.valueToTree(c)), "new configurations round-trip");
  }

  @Test
  void pvnasUsesAdamWithBetasZeroAndNoValidation() {
    SearchConfig c = config("darts", 2, 0);
    assertFalse(c.algorithm().usesValidation());
    assertEquals(0.0, c.arch().beta1());
    assertEquals(0.999, c.arch().beta2());
    assertFalse(c.algorithm().secondOrder());
    try (Supernet net = supernet()) {
      assertFalse(new PvNas().optimizer(net, c, ArchObjective.ACCURACY).usesValidation());
      assertTrue(new Darts(false).optimizer(net, SearchRunTest.tinyConfig("darts", 1), ArchObjective.ACCURACY)
          .usesValidation());
    }
  }

  @Test
  void architectureStepFollowsTheTrainingLossNotTheValidationBatch() {
    try (Supernet oneLevel = supernet(); Supernet onTrain = supernet(); Supernet onVal = supernet();
        NDManager m = NDManager.newBaseManager()) {
      Batch train = SupernetTest.batch(m, 6, IN, 3, 1, DataType.FLOAT32);
      Batch val = SupernetTest.batch(m, 6, IN, 3, 2, DataType.FLOAT32);
      float[] initial = alpha(oneLevel);
      StepStats s = new OneLevelOptimizer(oneLevel, PVNAS).step(train, val, 0.05);
      assertEquals(6, s.train().count());
      assertNull(s.validation(), "one-level takes no validation batch");
      new BilevelOptimizer(onTrain, PVNAS).archStep(train, train, 0.05);
      new BilevelOptimizer(onVal, PVNAS).archStep(train, val, 0.05);
      assertFalse(java.util.Arrays.equals(initial, alpha(oneLevel)), "α learned");
      assertArrayEquals(alpha(onTrain), alpha(oneLevel), 1e-7f, "α steps on the training batch's loss");
      float[] a = alpha(oneLevel);
      float[] v = alpha(onVal);
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - v[i]));
      }
      assertTrue(diff > 1e-5, "a step on the validation batch would move α differently (max diff " + diff + ")");
      // the weight step follows on the same batch: the weights match a bilevel pass with train as val
      BilevelOptimizer ref = new BilevelOptimizer(onTrain, PVNAS);
      try (Supernet fresh = supernet()) {
        BilevelOptimizer both = new BilevelOptimizer(fresh, PVNAS);
        both.step(train, train, 0.05);
        assertArrayEquals(Tensors.toHost(fresh.params().get("classifier.weight")).data(),
            Tensors.toHost(oneLevel.params().get("classifier.weight")).data(), 1e-7f);
      }
      assertTrue(ref.usesValidation());
    }
  }

  @Test
  void tinySearchRunsOneLevelWithStepDecayOnEverySpaceItReads(@TempDir Path tmp) throws IOException {
    for (String space : new String[] {"darts", "o2d"}) {
      Path dir = tmp.resolve(space);
      SearchResult r = new SearchRun(config(space, 2, 1), dir, Device.cpu(), QUIET).execute(SearchAlgorithm.RunControl.FRESH);
      assertTrue(r.finished());
      JsonNode history = Json.MAPPER.readTree(dir.resolve("history.json").toFile());
      assertEquals(0.05, history.get(0).get("lr").asDouble(), 1e-12);
      assertEquals(0.005, history.get(1).get("lr").asDouble(), 1e-12);
      String log = Files.readString(dir.resolve("log.txt"));
      assertTrue(log.contains("no validation split") && log.contains("64 training samples"), log);
      assertTrue(log.contains("eval-train"), log);
      Map<String, Tensor> state = SafeTensors.read(SearchCheckpoint.path(dir));
      assertTrue(state.keySet().stream().anyMatch(k -> k.startsWith("opt.a.")), "α has Adam state");
    }
  }

  @Test
  void resumedPvnasSearchReachesTheSameStateAsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
    SearchConfig c = config("darts", 2, 1);
    SearchResult straight = new SearchRun(c, tmp.resolve("a"), Device.cpu(), QUIET).execute(SearchAlgorithm.RunControl.FRESH);
    new SearchRun(c, tmp.resolve("b"), Device.cpu(), QUIET).execute(new SearchAlgorithm.RunControl(false, 1, false));
    SearchResult resumed = new SearchRun(c, tmp.resolve("b"), Device.cpu(), QUIET).execute(new SearchAlgorithm.RunControl(true, 0, false));
    assertTrue(resumed.finished());
    assertEquals(straight.genotype(), resumed.genotype());
    Map<String, Tensor> a = SafeTensors.read(SearchCheckpoint.path(tmp.resolve("a")));
    Map<String, Tensor> b = SafeTensors.read(SearchCheckpoint.path(tmp.resolve("b")));
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
    }
    assertEquals(Files.readString(tmp.resolve("a/history.json")).replaceAll("\"seconds\\w*\" : [0-9.eE-]+", ""),
        Files.readString(tmp.resolve("b/history.json")).replaceAll("\"seconds\\w*\" : [0-9.eE-]+", ""));
  }
}
