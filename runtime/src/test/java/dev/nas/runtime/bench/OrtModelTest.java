package dev.nas.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import dev.nas.runtime.bench.OnnxFixtures.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtModelTest {
  @TempDir
  Path dir;

  private Path write(String name, byte[] model) throws IOException {
    return Files.write(dir.resolve(name), model);
  }

  @Test
  void reluComputesElementwiseMaxWithZeroAtAnyBatch() throws IOException {
    try (OrtModel model = OrtModel.open(write("relu.onnx", OnnxFixtures.relu()), 1)) {
      assertEquals("x", model.inputName());
      assertEquals("y", model.outputName());
      assertArrayEquals(new long[] {-1, 4}, model.inputShape());

      OrtModel.Output one = model.run(new float[] {-1.5f, 0f, 2f, 0.25f}, new long[] {1, 4});
      assertArrayEquals(new long[] {1, 4}, one.shape());
      assertArrayEquals(new float[] {0f, 0f, 2f, 0.25f}, one.values());

      float[] batch = new float[8 * 4];
      Random random = new Random(1);
      for (int i = 0; i < batch.length; i++) {
        batch[i] = (float) random.nextGaussian();
      }
      OrtModel.Output eight = model.run(batch, new long[] {8, 4});
      assertArrayEquals(new long[] {8, 4}, eight.shape());
      for (int i = 0; i < batch.length; i++) {
        assertEquals(Math.max(batch[i], 0f), eight.values()[i], 0f, "element " + i);
      }
    }
  }

  @Test
  void resolvesInputShapesForBatchSizes() throws IOException {
    try (OrtModel model = OrtModel.open(write("relu.onnx", OnnxFixtures.relu()), 1)) {
      assertArrayEquals(new long[] {32, 4}, model.inputShapeFor(32, null));
      assertArrayEquals(new long[] {2, 4}, model.inputShapeFor(2, FeatureShape.of(4)));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.inputShapeFor(2, FeatureShape.of(5)));
      assertTrue(e.getMessage().contains("dimension 1 to 4"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> model.inputShapeFor(2, FeatureShape.of(4, 2, 2)));
    }
  }

  @Test
  void rejectsInputThatDoesNotFitTheModel() throws IOException {
    try (OrtModel model = OrtModel.open(write("relu.onnx", OnnxFixtures.relu()), 1)) {
      assertThrows(IllegalArgumentException.class, () -> model.run(new float[4], new long[] {1, 3}));
      assertThrows(IllegalArgumentException.class, () -> model.run(new float[4], new long[] {4}));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.run(new float[5], new long[] {1, 4}));
      assertTrue(e.getMessage().contains("holds 4 values, got 5"), e.getMessage());
    }
  }

  @Test
  void runAfterCloseFailsClearly() throws IOException {
    OrtModel model = OrtModel.open(write("relu.onnx", OnnxFixtures.relu()), 1);
    model.close();
    model.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> model.run(new float[4], new long[] {1, 4}));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void missingModelNamesThePath() {
    Path missing = dir.resolve("nope.onnx");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> OrtModel.open(missing, 1));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"), e.getMessage());
    IOException d = assertThrows(IOException.class, () -> OrtModel.open(dir, 1));
    assertTrue(d.getMessage().contains("not a regular file"), d.getMessage());
  }

  @Test
  void corruptModelGivesOneClearError() throws IOException {
    byte[] junk = new byte[256];
    new Random(42).nextBytes(junk);
    Path bad = write("junk.onnx", junk);
    IOException e = assertThrows(IOException.class, () -> OrtModel.open(bad, 1));
    assertTrue(e.getMessage().startsWith("cannot load ONNX model " + bad + ": not a valid ONNX model"),
        e.getMessage());

    Path empty = write("empty.onnx", new byte[0]);
    assertThrows(IOException.class, () -> OrtModel.open(empty, 1));
  }

  @Test
  void rejectsModelsWithSeveralInputs() throws IOException {
    byte[] add = OnnxFixtures.singleOp("Add",
        List.of(new Value("a", OnnxFixtures.FLOAT, OnnxFixtures.DYNAMIC, 4),
            new Value("b", OnnxFixtures.FLOAT, OnnxFixtures.DYNAMIC, 4)),
        new Value("sum", OnnxFixtures.FLOAT, OnnxFixtures.DYNAMIC, 4));
    Path file = write("add.onnx", add);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrtModel.open(file, 1));
    assertTrue(e.getMessage().contains("has 2 inputs"), e.getMessage());
  }

  @Test
  void rejectsNonFloatInputs() throws IOException {
    byte[] identity = OnnxFixtures.singleOp("Identity",
        List.of(new Value("ids", OnnxFixtures.INT64, OnnxFixtures.DYNAMIC, 4)),
        new Value("out", OnnxFixtures.INT64, OnnxFixtures.DYNAMIC, 4));
    Path file = write("ids.onnx", identity);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrtModel.open(file, 1));
    assertTrue(e.getMessage().contains("input 'ids'") && e.getMessage().contains("only float32"), e.getMessage());
  }

  @Test
  void rejectsBadThreadCounts() {
    assertThrows(IllegalArgumentException.class, () -> OrtModel.open(dir.resolve("x.onnx"), 0));
  }
}
