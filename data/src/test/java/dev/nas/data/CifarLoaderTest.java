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
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarLoaderTest {
  /** Five training batches of two records (labels b, b+5) and a test batch of one (label 3). */
  private static void writeCifar10(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int b = 1; b <= 5; b++) {
      int first = (b - 1) * 2;
      Files.write(dir.resolve("data_batch_" + b + ".bin"),
          TestData.cifarRecords(first, new int[][] {{b - 1}, {b + 4}}));
    }
    Files.write(dir.resolve("test_batch.bin"), TestData.cifarRecords(100, new int[][] {{3}}));
  }

  @Test
  void readsCifar10BatchesInOrderAndExactly(@TempDir Path dir) throws IOException {
    writeCifar10(dir.resolve("cifar-10-batches-bin"));
    Files.writeString(dir.resolve("cifar-10-batches-bin/batches.meta.txt"),
        "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");
    for (Path root : List.of(dir, dir.resolve("cifar-10-batches-bin"))) {
      DatasetPair pair = CifarLoader.loadCifar10(root);
      assertEquals(FeatureShape.of(3, 32, 32), pair.train().shape());
      assertArrayEquals(new int[] {0, 5, 1, 6, 2, 7, 3, 8, 4, 9}, pair.train().labels());
      assertArrayEquals(new int[] {3}, pair.test().labels());
      assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), pair.train().classNames());
      for (int i = 0; i < 10; i++) {
        assertPattern(pair.train(), i, i);
      }
      assertPattern(pair.test(), 0, 100);
      // Plane layout: red plane first, so (channel 1, row 0, col 0) is byte 1024.
      assertEquals(TestData.pattern(0, 1024) & 0xff, pair.train().pixel(0, 1, 0, 0));
    }
  }

  @Test
  void defaultClassNamesWithoutMetaFile(@TempDir Path dir) throws IOException {
    writeCifar10(dir);
    assertEquals(CifarLoader.CIFAR10_CLASSES, CifarLoader.loadCifar10(dir).train().classNames());
    assertEquals(100, new HashSet<>(CifarLoader.CIFAR100_CLASSES).size());
  }

  @Test
  void cifar100UsesFineLabels(@TempDir Path dir) throws IOException {
    Path root = dir.resolve("cifar-100-binary");
    Files.createDirectories(root);
    Files.write(root.resolve("train.bin"), TestData.cifarRecords(0, new int[][] {{19, 99}, {0, 42}}));
    Files.write(root.resolve("test.bin"), TestData.cifarRecords(7, new int[][] {{3, 5}}));
    DatasetPair pair = CifarLoader.loadCifar100(dir);
    assertArrayEquals(new int[] {99, 42}, pair.train().labels());
    assertArrayEquals(new int[] {5}, pair.test().labels());
    assertEquals("worm", pair.train().classNames().get(99));
    assertPattern(pair.train(), 1, 1);
    assertPattern(pair.test(), 0, 7);
  }

  @Test
  void truncatedBatchNamesFileAndRecordSize(@TempDir Path dir) throws IOException {
    writeCifar10(dir);
    Path batch = dir.resolve("data_batch_3.bin");
    byte[] all = Files.readAllBytes(batch);
    Files.write(batch, Arrays.copyOf(all, all.length - 1));
    String msg = assertThrows(DatasetException.class, () -> CifarLoader.loadCifar10(dir)).getMessage();
    assertTrue(msg.contains("data_batch_3.bin") && msg.contains("3073"), msg);
  }

  @Test
  void missingFilesAndWrongLabelsFail(@TempDir Path dir) throws IOException {
    String msg = assertThrows(DatasetException.class, () -> CifarLoader.loadCifar10(dir)).getMessage();
    assertTrue(msg.contains("data_batch_1.bin"), msg);
    writeCifar10(dir);
    Files.delete(dir.resolve("test_batch.bin"));
    msg = assertThrows(DatasetException.class, () -> CifarLoader.loadCifar10(dir)).getMessage();
    assertTrue(msg.contains("test_batch.bin"), msg);
    Files.write(dir.resolve("test_batch.bin"), TestData.cifarRecords(0, new int[][] {{10}}));
    msg = assertThrows(DatasetException.class, () -> CifarLoader.loadCifar10(dir)).getMessage();
    assertTrue(msg.contains("test_batch.bin") && msg.contains("label 10"), msg);
    Files.writeString(dir.resolve("batches.meta.txt"), "only\nthree\nnames\n");
    msg = assertThrows(DatasetException.class, () -> CifarLoader.loadCifar10(dir)).getMessage();
    assertTrue(msg.contains("batches.meta.txt"), msg);
  }

  private static void assertPattern(ImageDataset data, int sample, int patternIndex) {
    byte[] expected = new byte[3072];
    for (int k = 0; k < expected.length; k++) {
      expected[k] = TestData.pattern(patternIndex, k);
    }
    assertArrayEquals(expected, Samples.bytes(data, sample));
  }
}
