package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import dev.nas.search.algo.SearchAlgorithm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchRunTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  static SearchConfig tinyConfig(String algo, int epochs) {
    return TinySearch.config(algo, "darts", 96, epochs, 3);
  }

  private static SearchResult run(SearchConfig c, Path dir, boolean resume, int max) throws IOException {
    return new SearchRun(c, dir, Device.cpu(), QUIET).execute(new SearchAlgorithm.RunControl(resume, max, false));
  }

  @Test
  void resumedSearchReachesTheSameStateAsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
    SearchConfig c = tinyConfig("darts", 2);
    SearchResult straight = run(c, tmp.resolve("a"), false, 0);
    SearchResult first = run(c, tmp.resolve("b"), false, 1);
    assertFalse(first.finished());
    assertEquals(1, first.epochsDone());
    SearchResult resumed = run(c, tmp.resolve("b"), true, 0);
    assertTrue(resumed.finished());
    assertEquals(straight.genotype(), resumed.genotype());
    Map<String, Tensor> a = SafeTensors.read(SearchCheckpoint.path(tmp.resolve("a")));
    Map<String, Tensor> b = SafeTensors.read(SearchCheckpoint.path(tmp.resolve("b")));
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
    }
    assertEquals(Files.readString(tmp.resolve("a/alphas.json")), Files.readString(tmp.resolve("b/alphas.json")));
    assertEquals(straight.genotype(), Genotypes.resolve(tmp.resolve("b/genotype.json").toString()));
    assertTrue(Files.readString(tmp.resolve("b/log.txt")).contains("resuming"));
  }

  @Test
  void resumeRefusesADifferentConfiguration(@TempDir Path tmp) throws IOException {
    SearchConfig c = tinyConfig("darts", 2);
    run(c, tmp, false, 1);
    SearchConfig wider = TinySearch.withChannels(tinyConfig("darts", 2), 6);
    SearchRun.SearchFailed e = assertThrows(SearchRun.SearchFailed.class, () -> run(wider, tmp, true, 0));
    assertTrue(e.getMessage().contains("channels: 4 vs 6"), e.getMessage());
    SearchRun.SearchFailed again = assertThrows(SearchRun.SearchFailed.class, () -> run(c, tmp, false, 0));
    assertTrue(again.getMessage().contains("--resume"), again.getMessage());
    assertThrows(IOException.class, () -> run(c, tmp.resolve("empty"), true, 0));
  }

  @Test
  void nonFiniteLossStopsAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws IOException {
    SearchConfig c = tinyConfig("darts", 3);
    run(c, tmp, false, 1);
    Path ck = SearchCheckpoint.path(tmp);
    Map<String, Tensor> state = new LinkedHashMap<>(SafeTensors.read(ck));
    Tensor w = state.get("classifier.weight");
    float[] nan = new float[w.data().length];
    java.util.Arrays.fill(nan, Float.NaN);
    state.put("classifier.weight", new Tensor(w.shape(), nan));
    SafeTensors.write(ck, state, SafeTensors.metadata(ck));
    byte[] before = Files.readAllBytes(ck);
    SearchRun.SearchFailed e = assertThrows(SearchRun.SearchFailed.class, () -> run(c, tmp, true, 0));
    assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("1 completed epochs"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(ck), "the checkpoint must not be overwritten");
  }

  @Test
  void warmupEpochsTrainWeightsButFreezeAlpha(@TempDir Path tmp) throws IOException {
    SearchConfig c = TinySearch.withWarmup(tinyConfig("darts", 2), 1);
    run(c, tmp, false, 1);
    Map<String, Tensor> state = SafeTensors.read(SearchCheckpoint.path(tmp));
    float[] initial;
    try (var net = new dev.nas.search.supernet.Supernet(new dev.nas.search.supernet.SupernetConfig(
        dev.nas.core.ops.SearchSpace.DARTS, 4, 3, 4, dev.nas.core.graph.FeatureShape.of(3, 8, 8),
        dev.nas.derive.Preprocessing.identity(3)), new dev.nas.search.supernet.SoftmaxMixing(
        dev.nas.core.ops.SearchSpace.DARTS), Device.cpu(), ai.djl.ndarray.types.DataType.FLOAT32, 5)) {
      initial = dev.nas.djl.Tensors.toHost(net.params().get("alpha.normal")).data();
    }
    assertArrayEquals(initial, state.get("alpha.normal").data(), "α is frozen during warm-up");
    assertFalse(state.keySet().stream().anyMatch(k -> k.startsWith("opt.a.")), "no architecture step was taken");
    assertTrue(Files.readString(tmp.resolve("log.txt")).contains("warm-up"));
    SearchResult done = run(c, tmp, true, 0);
    assertTrue(done.finished());
    assertFalse(java.util.Arrays.equals(initial,
        SafeTensors.read(SearchCheckpoint.path(tmp)).get("alpha.normal").data()), "α learns after the warm-up");
  }

  @Test
  void secondOrderSearchRunsAndWritesItsArtifacts(@TempDir Path tmp) throws IOException {
    SearchResult r = run(tinyConfig("darts2", 1), tmp, false, 0);
    assertTrue(r.finished());
    for (String f : new String[] {"config.json", "log.txt", "history.json", "alphas.json", "genotype.json",
        SearchCheckpoint.FILE}) {
      assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
    }
    assertTrue(Files.readString(tmp.resolve("log.txt")).contains("estimated peak memory"));
  }
}
