package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLoaderTest {
  @Test
  void readsPlainAndGzippedFilesExactly(@TempDir Path dir) throws IOException {
    for (boolean gz : new boolean[] {false, true}) {
      Path d = dir.resolve(gz ? "gz" : "plain");
      TestData.writeIdxSet(d, gz);
      DatasetPair pair = IdxLoader.loadFashionMnist(d);
      assertEquals(FeatureShape.of(1, 4, 5), pair.train().shape());
      assertEquals(3, pair.train().size());
      assertEquals(2, pair.test().size());
      assertArrayEquals(new int[] {0, 9, 4}, pair.train().labels());
      assertArrayEquals(new int[] {7, 1}, pair.test().labels());
      assertEquals("Ankle boot", pair.train().classNames().get(9));
      for (int i = 0; i < 3; i++) {
        byte[] expected = new byte[20];
        for (int k = 0; k < 20; k++) {
          expected[k] = TestData.pattern(i, k);
        }
        assertArrayEquals(expected, Samples.bytes(pair.train(), i), "sample " + i + (gz ? " (gzip)" : ""));
      }
    }
  }

  @Test
  void findsTorchvisionRawFolderAndMnistNames(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir.resolve("raw"), true);
    DatasetPair pair = IdxLoader.loadMnist(dir);
    assertEquals("9", pair.train().classNames().get(9));
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir, false);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir.resolve("nowhere")));
  }

  @Test
  void truncatedFileFailsWithItsName(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir, false);
    Path images = dir.resolve("train-images-idx3-ubyte");
    byte[] all = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(all, all.length - 3));
    String msg = assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir)).getMessage();
    assertTrue(msg.contains("train-images-idx3-ubyte") && msg.contains("truncated"), msg);
  }

  @Test
  void wrongMagicAndHeaderOnlyScrapsFail(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir, false);
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    Files.write(labels, TestData.idxImages(3, 4, 5));
    String msg = assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir)).getMessage();
    assertTrue(msg.contains("train-labels-idx1-ubyte") && msg.contains("magic"), msg);
    Files.write(labels, new byte[] {0, 0, 8});
    msg = assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir)).getMessage();
    assertTrue(msg.contains("too short"), msg);
  }

  @Test
  void countMismatchAndBadLabelsFail(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir, false);
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    Files.write(labels, TestData.idxLabels(1, 2));
    String msg = assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir)).getMessage();
    assertTrue(msg.contains("2 labels") && msg.contains("3 images"), msg);
    Files.write(labels, TestData.idxLabels(1, 2, 10));
    msg = assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir)).getMessage();
    assertTrue(msg.contains("label 2 is 10"), msg);
  }

  @Test
  void corruptGzipFailsClearly(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir, true);
    Path images = dir.resolve("train-images-idx3-ubyte.gz");
    byte[] gz = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(gz, gz.length / 2));
    String msg = assertThrows(DatasetException.class, () -> IdxLoader.loadMnist(dir)).getMessage();
    assertTrue(msg.contains("train-images-idx3-ubyte.gz") && msg.contains("gzip"), msg);
  }
}
