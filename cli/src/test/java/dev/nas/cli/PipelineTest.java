package dev.nas.cli;

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
    CliRunner video = CliRunner.run("pipeline", "--preset", "sdas-kinetics", "--print-config");
    assertEquals(2, video.status());
    assertTrue(video.err().contains("the video presets have search settings only"), video.err());
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
