package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.io.Json;
import dev.nas.core.ops.OpCatalog;
import dev.nas.core.ops.OpContext;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.RandomWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --input} read at the model's rank, MACs per clip and per video, and per-video budgets. */
class VideoCostCommandsTest {
  @TempDir
  static Path dir;
  static Path clipModel;
  static Path imageModel;

  @BeforeAll
  static void models() throws Exception {
    clipModel = dir.resolve("clip.onnx");
    imageModel = dir.resolve("image.onnx");
    write(clipModel, FeatureShape.of(3, 4, 8, 8), "sep3d_conv_3x3x3", List.of(1, 1, 1));
    write(imageModel, FeatureShape.of(3, 8, 8), "sep_conv_3x3", List.of(1, 1));
  }

  private static void write(Path file, FeatureShape in, String op, List<Integer> strides) throws Exception {
    GraphBuilder b = new GraphBuilder(in);
    int x = OpCatalog.build(b, op, "op", b.input(), new OpContext(3, strides, true));
    Graph g = b.build(b.add("fc", new Layer.Linear(3, 5, true), b.add("gap", new Layer.GlobalAvgPool(), x)));
    OnnxFiles.write(file, OnnxExporter.export(g, RandomWeights.of(g, 1), Map.of()));
  }

  private static JsonNode json(String... args) throws Exception {
    CliRunner r = CliRunner.run(args);
    assertEquals(0, r.status(), r.toString());
    return Json.MAPPER.readTree(r.out());
  }

  private static void fails(int status, String expected, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(status, r.status(), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
  }

  @Test
  void flopsReportsMacsPerClipAndPerVideo() throws Exception {
    JsonNode one = json("flops", "--model", clipModel.toString(), "--json");
    long macs = one.get("macs").asLong();
    assertTrue(macs > 0);
    assertEquals(1, one.get("clips").asInt());
    assertEquals(macs, one.get("macsPerVideo").asLong());
    JsonNode ten = json("flops", "--model", clipModel.toString(), "--clips", "10", "--json");
    assertEquals(macs, ten.get("macsPerClip").asLong());
    assertEquals(10 * macs, ten.get("macsPerVideo").asLong());
    CliRunner text = CliRunner.run("flops", "--model", clipModel.toString(), "--clips", "10");
    assertTrue(text.out().contains("MACs per clip") && text.out().contains(String.format("%,d", 10 * macs)),
        text.toString());
    JsonNode image = json("flops", "--model", imageModel.toString(), "--json");
    assertFalse(image.has("macsPerVideo"), "images have no clips");
    fails(2, "--clips applies to clip models", "flops", "--model", imageModel.toString(), "--clips", "3");
  }

  @Test
  void fourNumbersAreReadByTheModelsRank() throws Exception {
    // a clip model reads CxTxHxW, with or without a leading 1
    JsonNode c = json("flops", "--model", clipModel.toString(), "--input", "3x8x16x16", "--json");
    assertEquals("3x8x16x16", c.get("input").asText());
    assertEquals(c, json("flops", "--model", clipModel.toString(), "--input", "1x3x8x16x16", "--json"));
    long macs = json("flops", "--model", clipModel.toString(), "--json").get("macs").asLong();
    // the convolutions see twice the frames and four times the pixels; the classifier (3x5) does not grow
    assertEquals(8 * (macs - 15) + 15, c.get("macs").asLong());
    // an image model reads 1xCxHxW
    assertEquals("3x16x16", json("flops", "--model", imageModel.toString(), "--input", "1x3x16x16", "--json")
        .get("input").asText());
    fails(2, "takes clips", "flops", "--model", clipModel.toString(), "--input", "3x16x16");
    fails(2, "takes images", "flops", "--model", imageModel.toString(), "--input", "1x3x8x16x16");
    fails(2, "batch of 2", "check", "--model", clipModel.toString(), "--max-macs", "1G", "--input", "2x3x4x8x8");
  }

  @Test
  void checkAppliesPerClipAndPerVideoBudgets() throws Exception {
    long macs = json("flops", "--model", clipModel.toString(), "--json").get("macs").asLong();
    CliRunner ok = CliRunner.run("check", "--model", clipModel.toString(), "--max-macs", Long.toString(macs),
        "--max-video-macs", Long.toString(5 * macs), "--clips", "5");
    assertEquals(0, ok.status(), ok.toString());
    assertTrue(ok.out().contains("MACs/clip") && ok.out().contains("MACs/video"), ok.toString());
    CliRunner over = CliRunner.run("check", "--model", clipModel.toString(), "--max-macs", Long.toString(macs),
        "--max-video-macs", Long.toString(5 * macs), "--clips", "6");
    assertEquals(CheckCommand.OVER_BUDGET, over.status(), over.toString());
    JsonNode j = Json.MAPPER.readTree(CliRunner.run("check", "--model", clipModel.toString(), "--max-video-macs",
        Long.toString(5 * macs), "--clips", "6", "--json").out());
    assertEquals(6 * macs, j.get("verdicts").get(0).get("actual").asLong());
    assertEquals(6 * macs, j.get("macsPerVideo").asLong());
    fails(2, "--max-video-macs applies to clip models", "check", "--model", imageModel.toString(),
        "--max-video-macs", "1G");
    fails(2, "give that budget too", "check", "--model", clipModel.toString(), "--max-macs", "1G", "--clips", "3");
  }
}
