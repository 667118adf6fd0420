package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderLoaderTest {
  private static final FeatureShape RGB_4x6 = FeatureShape.of(3, 4, 6);

  /** A 4×6 RGB image whose pixels encode (seed, y, x, channel). */
  private static BufferedImage rgbImage(int seed) {
    BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        img.setRGB(x, y, value(seed, 0, y, x) << 16 | value(seed, 1, y, x) << 8 | value(seed, 2, y, x));
      }
    }
    return img;
  }

  private static int value(int seed, int c, int y, int x) {
    return (seed * 40 + c * 70 + y * 9 + x * 5) & 0xff;
  }

  private static void writePng(Path file, BufferedImage img) throws IOException {
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  private static void assertImage(ImageDataset data, int sample, int seed) {
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 6; x++) {
          assertEquals(value(seed, c, y, x), data.pixel(sample, c, y, x), "sample " + sample + " at " + c + "," + y + "," + x);
        }
      }
    }
  }

  @Test
  void splitFoldersAreReadExactlyAtNativeSize(@TempDir Path dir) throws IOException {
    writePng(dir.resolve("train/cat/a.png"), rgbImage(1));
    writePng(dir.resolve("train/cat/b.png"), rgbImage(2));
    writePng(dir.resolve("train/ant/x.png"), rgbImage(3));
    writePng(dir.resolve("val/cat/c.png"), rgbImage(4));
    DatasetPair pair = ImageFolderLoader.load(dir, RGB_4x6, 0.5, 0);
    assertEquals(List.of("ant", "cat"), pair.train().classNames());
    assertArrayEquals(new int[] {0, 1, 1}, pair.train().labels());
    assertImage(pair.train(), 0, 3);
    assertImage(pair.train(), 1, 1);
    assertImage(pair.train(), 2, 2);
    assertArrayEquals(new int[] {1}, pair.test().labels());
    assertImage(pair.test(), 0, 4);
    assertTrue(pair.warnings().isEmpty(), pair.warnings().toString());
  }

  @Test
  void unreadableImagesAreSkippedAndCounted(@TempDir Path dir) throws IOException {
    writePng(dir.resolve("a/1.png"), rgbImage(1));
    writePng(dir.resolve("b/2.png"), rgbImage(2));
    Files.write(dir.resolve("a/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Files.writeString(dir.resolve("b/garbage.jpg"), "not a jpeg");
    Files.writeString(dir.resolve("b/notes.txt"), "ignored: not an image extension");
    DatasetPair pair = ImageFolderLoader.load(dir, RGB_4x6, 0, 0);
    assertEquals(2, pair.train().size());
    assertEquals(0, pair.test().size());
    String warnings = String.join("\n", pair.warnings());
    assertTrue(warnings.contains("skipped 2 unreadable") && warnings.contains("broken.png")
        && warnings.contains("garbage.jpg"), warnings);
  }

  /**
   * A PNG whose header declares {@code w×h} pixels, followed by a little deflated data: what a
   * decompression bomb looks like before decoding (generated, not committed).
   */
  private static byte[] pngDeclaring(int w, int h) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
      d.write(new byte[1 << 16]);
    }
    chunk(out, "IDAT", z.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void anImageDeclaringHugeDimensionsIsSkippedUndecoded(@TempDir Path dir) throws IOException {
    writePng(dir.resolve("a/1.png"), rgbImage(1));
    writePng(dir.resolve("b/2.png"), rgbImage(2));
    Files.write(dir.resolve("a/bomb.png"), pngDeclaring(30_000, 30_000));
    long start = System.nanoTime();
    DatasetPair pair = ImageFolderLoader.load(dir, RGB_4x6, 0, 0);
    assertTrue(System.nanoTime() - start < 20_000_000_000L, "refused by its header, not decoded");
    assertEquals(2, pair.train().size());
    String warnings = String.join("\n", pair.warnings());
    assertTrue(warnings.contains("bomb.png (30000x30000 pixels by its header"), warnings);
  }

  @Test
  void fractionSplitIsStratifiedAndSeeded(@TempDir Path dir) throws IOException {
    for (int i = 0; i < 10; i++) {
      writePng(dir.resolve((i % 2 == 0 ? "even" : "odd") + "/img" + i + ".png"), rgbImage(i));
    }
    DatasetPair a = ImageFolderLoader.load(dir, RGB_4x6, 0.4, 7);
    DatasetPair b = ImageFolderLoader.load(dir, RGB_4x6, 0.4, 7);
    assertEquals(6, a.train().size());
    assertArrayEquals(new int[] {2, 2}, a.test().classCounts());
    for (int i = 0; i < a.test().size(); i++) {
      assertArrayEquals(Samples.bytes(a.test(), i), Samples.bytes(b.test(), i));
    }
  }

  @Test
  void resizesByAreaAveragingAndConvertsToGray(@TempDir Path dir) throws IOException {
    // 4×4 gray image with 2×2 blocks of 10, 20, 30, 40 (each block has +-2 around the value).
    BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    int[] blocks = {10, 20, 30, 40};
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        int v = blocks[(y / 2) * 2 + x / 2] + ((x + y) % 2 == 0 ? 2 : -2);
        gray.getRaster().setSample(x, y, 0, v);
      }
    }
    writePng(dir.resolve("train/only/g.png"), gray);
    BufferedImage red = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        red.setRGB(x, y, 200 << 16);
      }
    }
    writePng(dir.resolve("test/only/r.png"), red);
    DatasetPair pair = ImageFolderLoader.load(dir, FeatureShape.of(1, 2, 2), 0, 0);
    assertArrayEquals(new byte[] {10, 20, 30, 40}, Samples.bytes(pair.train(), 0));
    assertEquals(Math.round(0.299 * 200), pair.test().pixel(0, 0, 0, 0));

    // Enlarging a uniform image stays uniform; RGB from gray replicates the stored values.
    DatasetPair big = ImageFolderLoader.load(dir, FeatureShape.of(3, 8, 8), 0, 0);
    assertEquals(200, big.test().pixel(0, 0, 5, 3));
    assertEquals(0, big.test().pixel(0, 1, 5, 3));
    assertEquals(10 + 2, big.train().pixel(0, 2, 0, 0));
  }

  @Test
  void otherFormatsDecode(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("a"));
    assertTrue(ImageIO.write(rgbImage(5), "bmp", dir.resolve("a/lossless.bmp").toFile()));
    assertTrue(ImageIO.write(rgbImage(6), "jpg", dir.resolve("a/lossy.JPG").toFile()));
    assertTrue(ImageIO.write(rgbImage(7), "gif", dir.resolve("a/palette.gif").toFile()));
    DatasetPair pair = ImageFolderLoader.load(dir, RGB_4x6, 0, 0);
    assertEquals(3, pair.train().size(), pair.warnings().toString());
    assertImage(pair.train(), 0, 5);
  }

  @Test
  void missingOrEmptyFoldersAndBadShapesFail(@TempDir Path dir) throws IOException {
    assertThrows(DatasetException.class, () -> ImageFolderLoader.load(dir.resolve("nope"), RGB_4x6, 0.2, 0));
    String msg = assertThrows(DatasetException.class, () -> ImageFolderLoader.load(dir, RGB_4x6, 0.2, 0))
        .getMessage();
    assertTrue(msg.contains("no class sub-folders"), msg);
    assertThrows(DatasetException.class, () -> ImageFolderLoader.load(dir, FeatureShape.of(2, 4, 4), 0.2, 0));
    writePng(dir.resolve("train/a/1.png"), rgbImage(1));
    writePng(dir.resolve("test/b/1.png"), rgbImage(1));
    msg = assertThrows(DatasetException.class, () -> ImageFolderLoader.load(dir, RGB_4x6, 0.2, 0)).getMessage();
    assertTrue(msg.contains("no counterpart"), msg);
  }
}
