package dev.nas.cli;

import static dev.nas.cli.CliRunner.printed;
import static dev.nas.cli.CliRunner.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --scale-jitter MIN,MAX} reaches the search's and the training's configuration, and bad values are refused. */
class ScaleJitterOptionTest {
  @Test
  void jitterReachesTheConfigurations(@TempDir Path tmp) throws Exception {
    String dir = tmp.toString();
    JsonNode search = printed("search", "--dataset", "video-folder", "--data-dir", dir, "--space", "o3d",
        "--scale-jitter", "36,44", "--print-config");
    assertEquals(36, search.get("data").get("scaleJitter").get("min").asInt());
    assertEquals(44, search.get("data").get("scaleJitter").get("max").asInt());
    assertTrue(printed("search", "--dataset", "video-folder", "--data-dir", dir, "--space", "o3d", "--print-config")
        .get("data").get("scaleJitter").isNull(), "no jitter unless asked for");
    JsonNode train = printed("train", "--dataset", "video-folder", "--scale-jitter", "32,40", "--print-config");
    assertEquals(32, train.get("scaleJitter").get("min").asInt());
    assertEquals(40, train.get("scaleJitter").get("max").asInt());
    assertTrue(printed("train", "--dataset", "video-folder", "--print-config").get("scaleJitter").isNull());
  }

  @Test
  void presetsTakeThePapersJitter(@TempDir Path tmp) throws Exception {
    JsonNode pvSearch = printed("search", "--preset", "pvnas-kinetics", "--data-dir", tmp.toString(), "--print-config");
    assertEquals(128, pvSearch.get("data").get("scaleJitter").get("min").asInt());
    assertEquals(164, pvSearch.get("data").get("scaleJitter").get("max").asInt());
    assertEquals(8, pvSearch.get("data").get("frameStride").asInt());
    JsonNode pvTrain = printed("train", "--preset", "pvnas-kinetics", "--print-config");
    assertEquals(256, pvTrain.get("scaleJitter").get("min").asInt());
    assertEquals(320, pvTrain.get("scaleJitter").get("max").asInt());
    JsonNode overridden = printed("train", "--preset", "pvnas-kinetics", "--scale-jitter", "240,256",
        "--print-config");
    assertEquals(240, overridden.get("scaleJitter").get("min").asInt());
  }

  @Test
  void badValuesAreRefusedWithOneMessage(@TempDir Path tmp) {
    String dir = tmp.toString();
    refused("scale jitter needs 1 <= MIN <= MAX, got 44,36", "train", "--dataset", "video-folder", "--scale-jitter",
        "44,36", "--print-config");
    refused("smaller than the 32-pixel crop", "search", "--dataset", "video-folder", "--data-dir", dir, "--space",
        "o3d", "--scale-jitter", "24,40", "--print-config");
    refused("--scale-jitter expects MIN,MAX", "train", "--dataset", "video-folder", "--scale-jitter", "40",
        "--print-config");
    refused("--scale-jitter", "train", "--dataset", "video-folder", "--scale-jitter", "0,40", "--print-config");
    refused("apply to clip datasets", "train", "--scale-jitter", "36,40", "--print-config");
    refused("--scale-jitter applies to --dataset video-folder", "train", "--dataset", "synthetic-video",
        "--scale-jitter", "36,40", "--print-config");
  }
}
