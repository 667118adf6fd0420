package dev.nas.cli;

import static dev.nas.cli.CliRunner.printed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path from the command line, on a tiny configuration. */
class PipelineTest {
  @Test
  void printConfigShowsEveryStageAndRunsNothing(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("p");
    CliRunner r = CliRunner.run("pipeline", "--print-config", "--algo", "sdas-a", "--search-epochs", "2",
        "--train-epochs", "3", "--out", out.toString());
    assertEquals(0, r.status(), r.toString());
    JsonNode cfg = Json.MAPPER.readTree(r.out());
    assertEquals("sdas-a", cfg.get("search").get("algo").asText());
    assertEquals(2, cfg.get("search").get("schedule").get("epochs").asInt());
    assertEquals("cifar", cfg.get("derive").get("macro").asText());
    assertEquals(3, cfg.get("train").get("epochs").asInt());
    assertTrue(Files.notExists(out), "--print-config creates no run folder");
    CliRunner train = CliRunner.run("train", "--print-config", "--epochs", "5", "--lr", "0.1");
    assertEquals(0, train.status(), train.toString());
    JsonNode tc = Json.MAPPER.readTree(train.out());
    assertEquals(5, tc.get("epochs").asInt());
    assertEquals(0.1, tc.get("lr").asDouble());
    for (dev.nas.train.TrainPreset p : dev.nas.train.TrainPreset.all()) {
      CliRunner r2 = CliRunner.run("train", "--preset", p.name(), "--print-config");
      assertEquals(0, r2.status(), r2.toString());
      assertEquals(p.config(), Json.MAPPER.treeToValue(Json.MAPPER.readTree(r2.out()), dev.nas.train.TrainConfig.class),
          p.name() + " prints what it trains with");
    }
    JsonNode sdas = Json.MAPPER.readTree(CliRunner.run("train", "--preset", "sdas-imagenet", "--epochs", "3",
        "--print-config").out());
    assertEquals(3, sdas.get("epochs").asInt(), "options override the preset");
    assertEquals("exponential", sdas.get("lrPolicy").get("kind").asText());
    assertEquals(0.97, sdas.get("lrPolicy").get("decay").asDouble());
    JsonNode darts = Json.MAPPER.readTree(CliRunner.run("pipeline", "--preset", "darts-cifar", "--search-epochs", "2",
        "--print-config").out());
    assertEquals("cifar10", darts.get("search").get("data").get("dataset").asText());
    assertEquals(2, darts.get("search").get("schedule").get("epochs").asInt(), "options override the preset");
    assertEquals(64, darts.get("search").get("schedule").get("batch").asInt(), "the rest is the paper's");
    assertEquals(36, darts.get("derive").get("channels").asInt());
    assertEquals(20, darts.get("derive").get("layers").asInt());
    assertEquals(600, darts.get("train").get("epochs").asInt());
    CliRunner unknown = CliRunner.run("pipeline", "--preset", "sdas-imagenet", "--print-config");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown --preset 'sdas-imagenet' for nas pipeline (known: darts-cifar, "
        + "sdas-cifar, cdarts-cifar, cdarts-imagenet, cdarts-nb201, sdas-kinetics, pvnas-kinetics)"), unknown.err());
    JsonNode nb = Json.MAPPER.readTree(CliRunner.run("pipeline", "--preset", "cdarts-nb201", "--print-config").out());
    assertEquals("nb201", nb.get("search").get("supernet").get("space").asText());
    assertEquals(0.0, nb.get("search").get("cdarts").get("skipWeight").asDouble(), "λ' = 0 on NAS-Bench-201");
    assertEquals("nb201", nb.get("derive").get("macro").asText());
    assertEquals(15, nb.get("derive").get("layers").asInt());
    assertEquals(200, nb.get("train").get("epochs").asInt());
  }

  @Test
  void videoPresetsResolveToThePapersSettings(@TempDir Path tmp) throws Exception {
    JsonNode sdas = printed("pipeline", "--preset", "sdas-kinetics", "--print-config");
    JsonNode s = sdas.get("search");
    assertEquals("sdas-c", s.get("algo").asText());
    assertEquals("video-folder", s.get("data").get("dataset").asText());
    assertEquals("3x16x112x112", s.get("data").get("input").asText());
    assertEquals(10, s.get("data").get("classes").asInt());
    assertEquals(1, s.get("data").get("frameStride").asInt(), "16 consecutive frames");
    assertEquals("aligned", s.get("data").get("clipWindows").asText(), "from the non-overlapping 16-frame clips");
    assertEquals("oadv", s.get("supernet").get("space").asText());
    assertEquals(2, s.get("supernet").get("repeat").asInt());
    assertEquals(16, s.get("supernet").get("stemChannels").asInt());
    assertEquals(16, s.get("supernet").get("channels").asInt(), "C2 = 64 = 4·C in search");
    assertEquals(96, s.get("schedule").get("epochs").asInt());
    assertEquals(64, s.get("schedule").get("batch").asInt());
    JsonNode d = sdas.get("derive");
    assertEquals("video-sdas", d.get("macro").asText());
    assertEquals(2, d.get("repeat").asInt());
    assertEquals(32, d.get("stemChannels").asInt());
    assertEquals(32, d.get("channels").asInt(), "C2 = 128 = 4·C in evaluation");
    assertEquals(false, d.get("auxiliary").asBoolean());
    assertEquals("3x16x112x112", d.get("input").asText());
    JsonNode t = sdas.get("train");
    assertEquals(96, t.get("epochs").asInt());
    assertEquals(64, t.get("batch").asInt());
    assertEquals(20, t.get("testClips").asInt(), "20 uniformly sampled test clips");
    assertEquals(1, t.get("testCrops").asInt(), "centre crop");
    assertEquals(1, t.get("frameStride").asInt());
    assertEquals("aligned", t.get("clipWindows").asText());
    assertTrue(t.get("scaleJitter").isNull(), "short side 128 for a 112 crop");

    JsonNode pv = printed("pipeline", "--preset", "pvnas-kinetics", "--print-config");
    s = pv.get("search");
    assertEquals("pvnas", s.get("algo").asText());
    assertEquals("3x8x112x112", s.get("data").get("input").asText());
    assertEquals(8, s.get("data").get("frameStride").asInt());
    assertEquals(128, s.get("data").get("scaleJitter").get("min").asInt());
    assertEquals(64, s.get("supernet").get("channels").asInt());
    assertEquals(80, s.get("schedule").get("epochs").asInt());
    d = pv.get("derive");
    assertEquals("video-pvnas", d.get("macro").asText());
    assertEquals(1, d.get("repeat").asInt(), "PV-NAS-L: K=1");
    assertEquals(64, d.get("channels").asInt(), "PV-NAS-L: C=64");
    assertEquals(0.4, d.get("dropout").asDouble());
    assertEquals("3x8x224x224", d.get("input").asText(), "retrained on 224 crops");
    t = pv.get("train");
    assertEquals(196, t.get("epochs").asInt());
    assertEquals(36, t.get("lrPolicy").get("warmupEpochs").asInt());
    assertEquals(10, t.get("testClips").asInt());
    assertEquals(3, t.get("testCrops").asInt());
    assertEquals(8, t.get("frameStride").asInt());
    assertEquals(256, t.get("scaleJitter").get("min").asInt());
    assertEquals(320, t.get("scaleJitter").get("max").asInt());
    assertEquals(0.1, t.get("dropPath").asDouble());

    JsonNode small = printed("pipeline", "--preset", "pvnas-kinetics", "--frames", "4", "--size", "32", "--repeat", "2",
        "--train-epochs", "3", "--print-config");
    assertEquals("3x4x32x32", small.get("derive").get("input").asText(), "a size given is both stages'");
    assertEquals(2, small.get("derive").get("repeat").asInt(), "options override the preset");
    assertEquals(2, small.get("train").get("lrPolicy").get("warmupEpochs").asInt(), "the warm-up fits the epochs");
    // one jitter for both stages does not fit the 224 crop of retraining: refused before the search starts
    Path run = tmp.resolve("never");
    CliRunner early = CliRunner.run("pipeline", "--preset", "pvnas-kinetics", "--data-dir", tmp.toString(),
        "--scale-jitter", "128,164", "--out", run.toString());
    assertEquals(2, early.status(), early.toString());
    assertTrue(early.err().contains("smaller than the 224-pixel crop"), early.err());
    assertTrue(Files.notExists(run));
  }

  @Test
  void aVideoPresetRunsEndToEndOnSyntheticClips(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    CliRunner r = CliRunner.run("pipeline", "--preset", "pvnas-kinetics", "--dataset", "synthetic-video", "--frames",
        "4", "--size", "16", "--classes", "2", "--train-samples", "32", "--test-samples", "16", "--search-epochs", "1",
        "--search-channels", "4", "--stem-channels", "4", "--search-batch", "8", "--train-epochs", "2", "--channels",
        "4", "--train-batch", "8", "--bench-batch", "1", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    JsonNode s = Json.MAPPER.readTree(run.resolve("summary.json").toFile());
    assertTrue(s.get("testTop1").asDouble() >= 0 && s.get("testTop1").asDouble() <= 1);
    // the folder's sampling of the preset (jitter, 10 × 3 views) does not apply to synthetic clips
    assertTrue(s.get("search").get("data").get("scaleJitter").isNull());
    JsonNode net = Json.MAPPER.readTree(run.resolve("trained/network.json").toFile());
    assertEquals("video-pvnas", net.get("macro").get("kind").asText().toLowerCase(java.util.Locale.ROOT)
        .replace('_', '-'));
    assertEquals(0.4, net.get("macro").get("dropout").asDouble());
    assertTrue(Files.readString(run.resolve("summary.md")).contains("video-pvnas macro, K=1, C1=4, C=4, at 3x4x16x16"));
    CliRunner onnx = CliRunner.run("flops", "--model", run.resolve("model.onnx").toString(), "--json");
    assertEquals(s.get("macs").asLong(), Json.MAPPER.readTree(onnx.out()).get("macs").asLong());
  }

  @Test
  void tinyPipelineProducesEveryArtifact(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    CliRunner r = CliRunner.run("pipeline", "--input", "3x8x8", "--classes", "4", "--train-samples", "128",
        "--test-samples", "32", "--search-epochs", "1", "--search-layers", "3", "--search-channels", "4",
        "--search-batch", "16", "--train-epochs", "1", "--layers", "3", "--channels", "4", "--train-batch", "16",
        "--bench-batch", "1,4", "--max-latency-ms", "1000", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    for (String f : new String[] {"search/genotype.json", "search/checkpoint.safetensors", "net/network.json",
        "trained/weights.safetensors", "trained/history.json", "model.onnx", "cells.svg", "bench.json",
        "summary.md", "summary.json"}) {
      assertTrue(Files.isRegularFile(run.resolve(f)), f);
    }
    JsonNode s = Json.MAPPER.readTree(run.resolve("summary.json").toFile());
    assertTrue(s.get("testTop1").asDouble() >= 0 && s.get("testTop1").asDouble() <= 1);
    assertEquals(4, s.get("bench").size(), "ort and djl at two batch sizes");
    assertTrue(Files.readString(run.resolve("summary.md")).contains("Genotype"));

    // the trained network and its ONNX export count the same
    CliRunner net = CliRunner.run("flops", "--net", run.resolve("trained").toString(), "--json");
    CliRunner onnx = CliRunner.run("flops", "--model", run.resolve("model.onnx").toString(), "--json");
    JsonNode a = Json.MAPPER.readTree(net.out());
    JsonNode b = Json.MAPPER.readTree(onnx.out());
    assertEquals(a.get("params").asLong(), b.get("params").asLong());
    assertEquals(a.get("macs").asLong(), b.get("macs").asLong());

    // a search can be derived directly from its run folder's genotype and visualised
    CliRunner viz = CliRunner.run("visualize", "--genotype", run.resolve("search/genotype.json").toString(), "--out",
        tmp.resolve("cells.dot").toString());
    assertEquals(0, viz.status(), viz.toString());
    assertTrue(Files.readString(tmp.resolve("cells.dot")).contains("digraph"));

    CliRunner again = CliRunner.run("pipeline", "--out", run.toString());
    assertEquals(2, again.status(), "an existing run folder is never overwritten");
  }
}
