package dev.nas.cli;

import static dev.nas.cli.CliRunner.printed;
import static dev.nas.cli.CliRunner.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --clip-windows any|aligned} reaches the search's, the training's and the pipeline's configuration. */
class ClipWindowsOptionTest {
  @Test
  void windowsReachEveryStageAndAnyIsTheDefault(@TempDir Path tmp) throws Exception {
    String dir = tmp.toString();
    assertEquals("aligned", printed("search", "--dataset", "video-folder", "--data-dir", dir, "--space", "o3d",
        "--clip-windows", "aligned", "--print-config").get("data").get("clipWindows").asText());
    assertEquals("any", printed("search", "--dataset", "video-folder", "--data-dir", dir, "--space", "o3d",
        "--print-config").get("data").get("clipWindows").asText());
    assertEquals("aligned", printed("train", "--dataset", "video-folder", "--clip-windows", "aligned",
        "--print-config").get("clipWindows").asText());
    assertEquals("any", printed("train", "--dataset", "video-folder", "--print-config").get("clipWindows").asText());
    JsonNode pipeline = printed("pipeline", "--dataset", "video-folder", "--data-dir", dir, "--space", "o3d",
        "--input", "3x8x32x32", "--clip-windows", "aligned", "--print-config");
    assertEquals("aligned", pipeline.get("search").get("data").get("clipWindows").asText());
    assertEquals("aligned", pipeline.get("train").get("clipWindows").asText());
  }

  @Test
  void sdasPresetsTakeConsecutiveFramesFromNonOverlappingClips(@TempDir Path tmp) throws Exception {
    JsonNode search = printed("search", "--preset", "sdas-kinetics", "--data-dir", tmp.toString(), "--print-config");
    assertEquals("aligned", search.get("data").get("clipWindows").asText());
    assertEquals(1, search.get("data").get("frameStride").asInt());
    JsonNode train = printed("train", "--preset", "sdas-kinetics", "--print-config");
    assertEquals("aligned", train.get("clipWindows").asText());
    assertEquals(1, train.get("frameStride").asInt());
    assertEquals("any", printed("train", "--preset", "sdas-kinetics", "--clip-windows", "any", "--print-config")
        .get("clipWindows").asText(), "options override the preset");
    // on another clip dataset the preset's video-folder sampling does not apply and is dropped
    JsonNode synthetic = printed("search", "--preset", "sdas-kinetics", "--dataset", "synthetic-video",
        "--print-config");
    assertEquals("any", synthetic.get("data").get("clipWindows").asText());
    assertEquals(0, synthetic.get("data").get("frameStride").asInt());
  }

  @Test
  void badOrInapplicableWindowsAreRefused(@TempDir Path tmp) {
    refused("--clip-windows must be any or aligned, not 'overlap'", "train", "--dataset", "video-folder",
        "--clip-windows", "overlap", "--print-config");
    refused("--clip-windows aligned applies to --dataset video-folder, not synthetic-video", "train", "--dataset",
        "synthetic-video", "--clip-windows", "aligned", "--print-config");
    refused("--clip-windows aligned applies to --dataset video-folder, not synthetic-video", "search", "--dataset",
        "synthetic-video", "--space", "o3d", "--clip-windows", "aligned", "--print-config");
    refused("apply to clip datasets", "train", "--clip-windows", "aligned", "--print-config");
  }
}
