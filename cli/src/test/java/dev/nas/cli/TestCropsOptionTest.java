package dev.nas.cli;

import static dev.nas.cli.CliRunner.printed;
import static dev.nas.cli.CliRunner.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.io.Json;
import dev.nas.core.io.SafeTensors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --test-crops 5|10} for images in nas train and {@code --train-test-crops} in nas pipeline. */
class TestCropsOptionTest {
  @Test
  void imageCropsReachTrainingAndThePipelineAndOnlyFittingCountsAreTaken() throws Exception {
    assertEquals(10, printed("train", "--test-crops", "10", "--print-config").get("testCrops").asInt());
    assertEquals(5, printed("train", "--dataset", "cifar10", "--test-crops", "5", "--print-config").get("testCrops")
        .asInt());
    assertEquals(10, printed("pipeline", "--train-test-crops", "10", "--print-config").get("train").get("testCrops")
        .asInt());
    assertEquals(10, printed("pipeline", "--preset", "darts-cifar", "--train-test-crops", "10", "--print-config")
        .get("train").get("testCrops").asInt());
    refused("--test-crops 10 (the corner and centre crops of test images) applies to image datasets, not to the clips "
        + "of synthetic-video", "train", "--dataset", "synthetic-video", "--test-crops", "10", "--print-config");
    refused("--test-crops must be 1, 3 (video-folder clips), 5 or 10 (images), got 4", "train", "--test-crops", "4",
        "--print-config");
    refused("--train-test-crops 3 (three crops along the long side of each test clip) applies to --dataset "
        + "video-folder", "pipeline", "--train-test-crops", "3", "--print-config");
    refused("--train-clips (test clips per video) applies to --dataset video-folder, not synthetic", "pipeline",
        "--train-clips", "5", "--print-config");
    refused("--test-crops must be at most 10", "train", "--test-crops", "11", "--print-config");
  }

  @Test
  void tenCropTestingScoresTenViewsAndLeavesTrainingAlone(@TempDir Path tmp) throws Exception {
    Path net = tmp.resolve("net");
    assertEquals(0, CliRunner.run("derive", "--genotype", "DARTS_V2", "--channels", "4", "--layers", "3", "--classes",
        "3", "--input", "3x8x8", "--seed", "3", "--out", net.toString()).status());
    String[] common = {"train", "--net", net.toString(), "--input", "3x8x8", "--classes", "3", "--train-samples", "32",
        "--test-samples", "16", "--epochs", "1", "--batch", "16", "--seed", "4"};
    CliRunner one = CliRunner.run(concat(common, "--out", tmp.resolve("one").toString()));
    CliRunner ten = CliRunner.run(concat(common, "--test-crops", "10", "--out", tmp.resolve("ten").toString()));
    assertEquals(0, ten.status(), ten.toString());
    assertTrue(ten.out().contains("(softmax averaged over 10 crops per image)"), ten.out());
    assertTrue(!one.out().contains("crops"), one.out());
    JsonNode info = Json.MAPPER.readTree(tmp.resolve("ten/network.json").toFile()).get("info").get("training");
    assertEquals(10, info.get("testCrops").asInt());
    assertEquals(1, Json.MAPPER.readTree(tmp.resolve("one/network.json").toFile()).get("info").get("training")
        .get("testCrops").asInt());
    var a = SafeTensors.read(tmp.resolve("one/weights.safetensors"));
    var b = SafeTensors.read(tmp.resolve("ten/weights.safetensors"));
    for (String k : a.keySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
