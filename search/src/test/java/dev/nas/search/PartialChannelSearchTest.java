package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.nas.core.genotype.GenotypeValidator;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import dev.nas.derive.TensorNames;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searches with partial channel connections (K = 2): every algorithm, a video space, exact resume. */
class PartialChannelSearchTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  private static SearchConfig partial(SearchConfig c) {
    return c.withSupernet(c.supernet().withPartialChannels(2));
  }

  private static SearchResult run(SearchConfig c, Path dir, SearchAlgorithm.RunControl control) throws IOException {
    return c.algorithm().run(c, dir, Device.cpu(), QUIET, control);
  }

  @Test
  void everyAlgorithmSearchesWithPartialChannels(@TempDir Path tmp) throws IOException {
    for (String algo : new String[] {"darts", "darts2", "das", "sdas-a", "pvnas"}) {
      SearchConfig c = partial(TinySearch.config(algo, "darts", 32, 1, 3));
      SearchResult r = run(c, tmp.resolve(algo), SearchAlgorithm.RunControl.FRESH);
      assertTrue(r.finished(), algo);
      GenotypeValidator.validate(r.genotype());
      Map<String, Tensor> ck = SafeTensors.read(SearchCheckpoint.path(tmp.resolve(algo)));
      assertTrue(ck.containsKey(TensorNames.edgeNorm("normal")), algo + ": " + ck.keySet());
      assertTrue(Files.readString(tmp.resolve(algo).resolve("config.json")).contains("\"partialChannels\" : 2"));
    }
    SearchConfig t = TinySearch.config("cdarts", "darts", 32, 1, 3);
    SearchConfig cd = partial(t.withCdarts(t.cdarts().withEnet(4, 4)));
    SearchResult r = run(cd, tmp.resolve("cdarts"), SearchAlgorithm.RunControl.FRESH);
    assertTrue(r.finished());
    GenotypeValidator.validate(r.genotype());
  }

  @Test
  void videoSpacesSearchWithPartialChannels(@TempDir Path tmp) throws IOException {
    SearchConfig t = TinySearch.config("darts", "darts", 16, 1, 3);
    SearchConfig c = new SearchConfig("darts", t.seed(), new DataSettings("synthetic-video", null, "3x4x16x16", 4, 16,
        4, 0.5, false, 0), new SupernetShape("o3d", 3, 4, 1, 4, 2, null), new EpochSchedule(1, 4, 0), t.weights(), t.arch(),
        null, null, null);
    SearchResult r = run(c, tmp, SearchAlgorithm.RunControl.FRESH);
    assertTrue(r.finished());
    assertEquals("o3d", r.genotype().space());
    GenotypeValidator.validate(r.genotype());
  }

  @Test
  void aResumedPartialSearchReachesTheSameState(@TempDir Path tmp) throws IOException {
    SearchConfig c = partial(TinySearch.config("darts", "darts", 64, 2, 3));
    SearchResult straight = run(c, tmp.resolve("a"), SearchAlgorithm.RunControl.FRESH);
    SearchResult first = run(c, tmp.resolve("b"), new SearchAlgorithm.RunControl(false, 1, false));
    assertFalse(first.finished());
    SearchResult resumed = run(c, tmp.resolve("b"), new SearchAlgorithm.RunControl(true, 0, false));
    assertEquals(straight.genotype(), resumed.genotype());
    Map<String, Tensor> a = SafeTensors.read(SearchCheckpoint.path(tmp.resolve("a")));
    Map<String, Tensor> b = SafeTensors.read(SearchCheckpoint.path(tmp.resolve("b")));
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
    }
  }
}
