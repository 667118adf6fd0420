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

/** {@code nas search} passes algorithm and space through to the run. */
class SearchCommandTest {
  @Test
  void scheduledSearchOnTheO2dSpace(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("s");
    CliRunner r = CliRunner.run("search", "--algo", "sdas-b", "--space", "o2d", "--input", "3x8x8", "--classes", "3",
        "--train-samples", "64", "--epochs", "1", "--layers", "3", "--channels", "4", "--batch", "16", "--arch-lr",
        "0.01", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().startsWith("Genotype(normal=["), r.out());
    JsonNode cfg = Json.MAPPER.readTree(run.resolve("config.json").toFile());
    assertEquals("sdas-b", cfg.get("algo").asText());
    assertEquals("o2d", cfg.get("supernet").get("space").asText());
    assertEquals(0.01, cfg.get("arch").get("lr").asDouble());
    assertEquals("o2d", Json.MAPPER.readTree(run.resolve("genotype.json").toFile()).get("space").asText());
    JsonNode last = Json.MAPPER.readTree(run.resolve("history.json").toFile()).get(0);
    assertEquals(36, last.get("decisionsMade").asInt(), "one queue for both cell types");
    assertEquals(36, last.get("decisionsNeeded").asInt());
    assertEquals(1, last.get("searchSpaceSize").asLong());
    assertTrue(Files.readString(run.resolve("log.txt")).contains("SDAS schedule B"));
  }

  @Test
  void videoSearchesRunFromTheCommandLine(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("v");
    CliRunner r = CliRunner.run("search", "--algo", "sdas-c", "--space", "o3d", "--dataset", "synthetic-video",
        "--input", "3x4x16x16", "--train-samples", "8", "--test-samples", "4", "--epochs", "1", "--channels", "4",
        "--repeat", "1", "--stem-channels", "4", "--batch", "4", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    assertEquals("o3d", Json.MAPPER.readTree(run.resolve("genotype.json").toFile()).get("space").asText());
    JsonNode cfg = Json.MAPPER.readTree(CliRunner.run("search", "--dataset", "video-folder", "--data-dir",
        tmp.toString(), "--space", "o3d", "--frame-stride", "1", "--print-config").out());
    assertEquals(1, cfg.get("data").get("frameStride").asInt());
    CliRunner images = CliRunner.run("train", "--test-crops", "3", "--print-config");
    assertEquals(2, images.status());
    assertTrue(images.err().contains("--test-crops 3 (three crops along the long side of each test clip) applies to "
        + "--dataset video-folder, not synthetic; images take 1, 5 or 10 crops"), images.err());
    JsonNode train = Json.MAPPER.readTree(CliRunner.run("train", "--dataset", "video-folder", "--test-crops", "3",
        "--frame-stride", "1", "--print-config").out());
    assertEquals(3, train.get("testCrops").asInt());
    assertEquals(1, train.get("frameStride").asInt());
  }

  @Test
  void partialChannelsAreASearchOption(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("pc");
    CliRunner r = CliRunner.run("search", "--input", "3x8x8", "--classes", "3", "--train-samples", "32", "--epochs",
        "1", "--layers", "3", "--channels", "4", "--batch", "16", "--partial-channels", "2", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    assertEquals(2, Json.MAPPER.readTree(run.resolve("config.json").toFile()).get("supernet").get("partialChannels")
        .asInt());
    assertTrue(Files.readString(run.resolve("log.txt")).contains("partial channel connections (PC-DARTS): K=2"));
    CliRunner bad = CliRunner.run("search", "--channels", "4", "--partial-channels", "3", "--out",
        tmp.resolve("bad").toString());
    assertEquals(2, bad.status(), bad.toString());
    assertTrue(bad.err().contains("--partial-channels K must be at least 1 and divide --channels (4); got 3"),
        bad.err());
    assertFalse(Files.exists(tmp.resolve("bad")), "nothing is written for a refused configuration");
  }

  @Test
  void presetsPrintTheirResolvedConfigurationAndOptionsOverrideThem(@TempDir Path tmp) throws Exception {
    for (dev.nas.search.config.SearchPreset p : dev.nas.search.config.SearchPreset.all()) {
      CliRunner r = CliRunner.run("search", "--preset", p.name(), "--print-config");
      assertEquals(0, r.status(), r.toString());
      JsonNode cfg = Json.MAPPER.readTree(r.out());
      assertEquals(p.algo(), cfg.get("algo").asText(), p.name());
      assertEquals(p.config(), dev.nas.search.SearchConfig.fromJson(cfg), p.name() + " prints what it runs");
    }
    JsonNode sdas = Json.MAPPER.readTree(CliRunner.run("search", "--preset", "sdas-cifar", "--print-config").out());
    assertEquals("cifar10", sdas.get("data").get("dataset").asText());
    assertEquals("o2d", sdas.get("supernet").get("space").asText());
    assertEquals(0, sdas.get("weights").get("lrMin").asDouble());
    Path out = tmp.resolve("never");
    CliRunner over = CliRunner.run("search", "--preset", "pvnas-kinetics", "--epochs", "4", "--channels", "8",
        "--print-config", "--out", out.toString());
    assertEquals(0, over.status(), over.toString());
    JsonNode pv = Json.MAPPER.readTree(over.out());
    assertEquals(4, pv.get("schedule").get("epochs").asInt());
    assertEquals(8, pv.get("supernet").get("channels").asInt());
    assertEquals("step", pv.get("schedule").get("lrSchedule").asText(), "the rest stays the preset's");
    assertEquals("3x8x112x112", pv.get("data").get("input").asText());
    assertFalse(Files.exists(out), "--print-config runs nothing");
    CliRunner unknown = CliRunner.run("search", "--preset", "nope", "--print-config");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown --preset 'nope' (known: darts-cifar, sdas-cifar"), unknown.err());
    CliRunner clash = CliRunner.run("search", "--preset", "darts-cifar", "--algo", "das", "--print-config");
    assertEquals(2, clash.status());
    assertTrue(clash.err().contains("--preset darts-cifar runs --algo darts, not das"), clash.err());
  }

  @Test
  void helpStatesEveryAlgorithmAndItsDefaultsFromTheRegistry() throws Exception {
    CliRunner r = CliRunner.run("search", "--help");
    assertEquals(0, r.status(), r.toString());
    String help = r.out().replaceAll("\\s+", " ");
    for (var a : dev.nas.search.algo.SearchAlgorithms.all()) {
      assertTrue(help.contains(a.name() + ": "), a.name() + " missing from the help:\n" + help);
    }
    // defaults come from the algorithms' own, including where they differ
    assertTrue(help.contains("weight decay (default 0.0003; pvnas 0.0001)"), help);
    assertTrue(help.contains("epochs (default 50; pvnas 80; cdarts 30)"), help);
    assertTrue(help.contains("(default cosine; pvnas step)"), help);
    assertTrue(help.contains("cdarts: λ, weight of the distillation loss (cdarts 4)"), help);
  }

  @Test
  void aConfigurationStoredBeforeTheGroupsStillResumes(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("s");
    CliRunner first = CliRunner.run("search", "--input", "3x8x8", "--classes", "3", "--train-samples", "64",
        "--epochs", "2", "--layers", "3", "--channels", "4", "--batch", "16", "--stop-after", "1", "--out",
        run.toString());
    assertEquals(0, first.status(), first.toString());
    // the flat form earlier versions wrote (no groups, no Adam betas)
    Files.writeString(run.resolve("config.json"), "{\"algo\":\"darts\",\"space\":\"darts\",\"dataset\":"
        + "\"synthetic\",\"dataDir\":null,\"input\":\"3x8x8\",\"classes\":3,\"trainSamples\":64,"
        + "\"testSamples\":0,\"trainPortion\":0.5,\"epochs\":2,\"layers\":3,\"channels\":4,\"batch\":16,"
        + "\"seed\":2,\"lr\":0.025,\"lrMin\":0.001,\"momentum\":0.9,\"weightDecay\":3.0E-4,\"gradClip\":5.0,"
        + "\"archLr\":3.0E-4,\"archWeightDecay\":0.001,\"augment\":true,\"warmupEpochs\":0,\"lrStep\":0,"
        + "\"repeat\":2,\"stemChannels\":16}");
    dev.nas.search.SearchConfig stored = dev.nas.search.SearchRun.storedConfig(run);
    assertEquals(4, stored.supernet().channels());
    assertEquals(0.5, stored.arch().beta1(), "the betas of the flat form were the algorithm's");
    CliRunner resumed = CliRunner.run("search", "--out", run.toString(), "--resume");
    assertEquals(0, resumed.status(), resumed.toString());
    assertTrue(resumed.out().contains("genotype: "), resumed.out());
  }
}
