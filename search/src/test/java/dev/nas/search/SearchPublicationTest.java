package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.io.Json;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import dev.nas.search.algo.SearchAlgorithm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Searches stopped at each publication step of an epoch (injected through the publication hook,
 * exactly where a kill would land) resume to the state of an uninterrupted search, records
 * included; damaged or edited checkpoints are refused with one message.
 */
class SearchPublicationTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final SearchConfig DARTS = SearchRunTest.tinyConfig("darts", 2);
  private static final SearchConfig SDAS = SdasTest.config("sdas-a", "o2d", 2);

  @TempDir
  static Path shared;

  /** Thrown by the hook in place of a kill. */
  private static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @BeforeAll
  static void uninterrupted() throws IOException {
    run(DARTS, shared.resolve("darts"), false);
    run(SDAS, shared.resolve("sdas"), false);
  }

  private static SearchResult run(SearchConfig c, Path dir, boolean resume) throws IOException {
    return new SearchRun(c, dir, Device.cpu(), QUIET).execute(new SearchAlgorithm.RunControl(resume, 0, false));
  }

  /** Runs {@code c} into {@code dir}, stopped just before {@code step} of epoch {@code epoch}. */
  private static void killedAt(SearchConfig c, Path dir, String step, int epoch) {
    SearchRun r = new SearchRun(c, dir, Device.cpu(), QUIET).onPublication((s, e) -> {
      if (s.equals(step) && e == epoch) {
        throw new Killed();
      }
    });
    assertThrows(Killed.class, () -> r.execute(SearchAlgorithm.RunControl.FRESH));
  }

  /** The records without the wall-clock fields, which differ between any two runs. */
  private static JsonNode history(Path dir) throws IOException {
    JsonNode h = Json.MAPPER.readTree(dir.resolve("history.json").toFile());
    h.forEach(e -> ((ObjectNode) e).remove(List.of("seconds", "secondsPerStep")));
    return h;
  }

  private static void assertSameState(Path expected, Path actual) throws IOException {
    Map<String, Tensor> a = SafeTensors.read(SearchCheckpoint.path(expected));
    Map<String, Tensor> b = SafeTensors.read(SearchCheckpoint.path(actual));
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
    }
    assertEquals(Files.readString(expected.resolve("alphas.json")), Files.readString(actual.resolve("alphas.json")));
    assertEquals(Files.readString(expected.resolve("genotype.json")),
        Files.readString(actual.resolve("genotype.json")));
    assertEquals(history(expected), history(actual));
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint", "history", "alphas", "genotype"})
  void aSearchStoppedAtAnyPublicationStepResumesToTheUninterruptedState(String step, @TempDir Path tmp)
      throws IOException {
    for (int epoch = 1; epoch <= 2; epoch++) {
      Path dir = tmp.resolve("e" + epoch);
      killedAt(DARTS, dir, step, epoch);
      SearchResult r = run(DARTS, dir, true);
      assertTrue(r.finished());
      assertSameState(shared.resolve("darts"), dir);
      assertEquals(r.genotype(), Genotypes.resolve(dir.resolve("genotype.json").toString()));
    }
  }

  @Test
  void aSearchStoppedAfterItsLastCheckpointResumesToExistingRecords(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("s");
    killedAt(SDAS, dir, "history", 2);
    assertFalse(Files.exists(dir.resolve("genotype.json")) && history(dir).size() == 2, "the records lag");
    SearchResult r = run(SDAS, dir, true);
    assertTrue(r.finished());
    assertSameState(shared.resolve("sdas"), dir);
    assertEquals(r.genotype(), Genotypes.resolve(dir.resolve("genotype.json").toString()));
  }

  @Test
  void sdasHistoryHoldsEachEpochsOwnDecisions() throws IOException {
    JsonNode h = history(shared.resolve("sdas"));
    for (JsonNode e : h) {
      assertEquals(e.get("decisionsMade").asInt(), e.get("decisions").size(), e.toString());
    }
    assertTrue(h.get(0).get("decisions").size() < h.get(1).get("decisions").size());
  }

  @Test
  void aSearchStoppedInItsFirstEpochCanBeResumed(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("s");
    killedAt(DARTS, dir, "checkpoint", 1);
    assertFalse(Files.exists(SearchCheckpoint.path(dir)));
    SearchRun.SearchFailed again = assertThrows(SearchRun.SearchFailed.class, () -> run(DARTS, dir, false));
    assertTrue(again.getMessage().contains("--resume"), again.getMessage());
    assertTrue(run(DARTS, dir, true).finished());
    assertSameState(shared.resolve("darts"), dir);
  }

  /** A copy of the finished SDAS run whose checkpoint is replaced by {@code edit} of it (validly checksummed). */
  private static Path edited(Path tmp, java.util.function.UnaryOperator<SearchCheckpoint> edit) throws IOException {
    Path dir = tmp.resolve("edited");
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(shared.resolve("sdas"))) {
      for (Path f : s.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    edit.apply(SearchCheckpoint.read(dir)).write(dir);
    return dir;
  }

  private static String refusal(Path dir) {
    return assertThrows(Exception.class, () -> run(SDAS, dir, true)).getMessage();
  }

  @Test
  void aCheckpointClaimingMoreEpochsThanTheSearchHasIsRefused(@TempDir Path tmp) throws IOException {
    Path dir = edited(tmp, c -> new SearchCheckpoint(99, c.config(), c.decisions(), c.threads(), c.history(),
        c.alphas(), c.genotype(), c.tensors()));
    assertTrue(refusal(dir).contains("claims 99 completed epochs of a 2-epoch search"), refusal(dir));
  }

  @Test
  void anEmptiedOrCutDecisionListIsRefused(@TempDir Path tmp) throws IOException {
    Path dir = edited(tmp, c -> new SearchCheckpoint(c.epochsDone(), c.config(), List.of(), c.threads(), c.history(),
        c.alphas(), c.genotype(), c.tensors()));
    assertTrue(refusal(dir).contains("the decision list was edited or emptied"), refusal(dir));
  }

  @Test
  void aFlippedByteIsFoundByTheChecksum(@TempDir Path tmp) throws IOException {
    Path dir = edited(tmp, c -> c);
    byte[] all = Files.readAllBytes(SearchCheckpoint.path(dir));
    all[all.length - 3] ^= 0x10;
    Files.write(SearchCheckpoint.path(dir), all);
    assertTrue(refusal(dir).contains("checksum does not match"), refusal(dir));
  }

  @Test
  void anotherThreadCountWarnsAndStaleTempFilesAreRemoved(@TempDir Path tmp) throws IOException {
    Path dir = edited(tmp, c -> new SearchCheckpoint(c.epochsDone(), c.config(), c.decisions(), c.threads() + 1,
        c.history(), c.alphas(), c.genotype(), c.tensors()));
    Path stale = dir.resolve(".checkpoint.safetensors.k3x9q.tmp");
    Files.writeString(stale, "half a checkpoint");
    assertTrue(run(SDAS, dir, true).finished());
    assertTrue(Files.readString(dir.resolve("log.txt")).contains("Resume with --threads"));
    assertFalse(Files.exists(stale), "an interrupted write's temporary file is removed on the next run");
  }
}
