package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiCropTest {
  private static final FeatureShape IMAGE = FeatureShape.of(1, 16, 16);

  /** Pixel (y, x) of the 16×16 image is 16·y + x + 1 (never 0, so padding shows). */
  private static float[] image() {
    float[] f = new float[256];
    for (int k = 0; k < 256; k++) {
      f[k] = k + 1;
    }
    return f;
  }

  @Test
  void viewsAreTheCentreTheFourCornersOfThePaddedImageAndTheirMirrorImages() {
    ImageDataset data = ImageDataset.of(IMAGE, new byte[256], new int[] {0}, List.of("a", "b"));
    MultiCrop ten = MultiCrop.of(10, data);
    assertEquals(2, ten.padding(), "the training crop's padding: 16 / 8");
    assertSame(MultiCrop.NONE, MultiCrop.of(1, data));
    float[] centre = image();
    ten.apply(centre, 1, IMAGE, 0);
    assertArrayEquals(image(), centre, "view 0 is the image as is");
    float[] topLeft = image();
    ten.apply(topLeft, 1, IMAGE, 1);
    // the top-left crop of the image padded by 2: two zero rows and columns, then the image from (0, 0)
    assertEquals(0, topLeft[0]);
    assertEquals(0, topLeft[16 + 1]);
    assertEquals(1, topLeft[2 * 16 + 2], "image pixel (0, 0)");
    assertEquals(16 * 13 + 13 + 1, topLeft[255], "image pixel (13, 13) at the bottom right");
    float[] bottomRight = image();
    ten.apply(bottomRight, 1, IMAGE, 4);
    assertEquals(16 * 2 + 2 + 1, bottomRight[0], "image pixel (2, 2) at the top left");
    assertEquals(0, bottomRight[255]);
    float[] topRight = image();
    ten.apply(topRight, 1, IMAGE, 2);
    assertEquals(0, topRight[2 * 16 + 15]);
    assertEquals(2 + 1, topRight[2 * 16], "image pixel (0, 2)");
    float[] mirrored = image();
    ten.apply(mirrored, 1, IMAGE, 6);
    for (int x = 0; x < 16; x++) {
      assertEquals(topLeft[5 * 16 + x], mirrored[5 * 16 + 15 - x], "view 6 mirrors view 1");
    }
    java.util.Set<String> distinct = new java.util.HashSet<>();
    for (int v = 0; v < 10; v++) {
      float[] f = image();
      ten.apply(f, 1, IMAGE, v);
      distinct.add(java.util.Arrays.toString(f));
    }
    assertEquals(10, distinct.size(), "ten different views");
    assertEquals(5, MultiCrop.of(5, data).views());
    assertThrows(IllegalArgumentException.class, () -> MultiCrop.of(5, data).placement(5));
  }

  @Test
  void onlyOneFiveOrTenViewsOfImages() {
    ImageDataset clips = ImageDataset.of(FeatureShape.of(1, 2, 4, 4), new byte[32], new int[] {0}, List.of("a", "b"));
    DatasetException clip = assertThrows(DatasetException.class, () -> MultiCrop.of(10, clips));
    assertTrue(clip.getMessage().contains("multi-crop testing is for images"), clip.getMessage());
    DatasetException three = assertThrows(DatasetException.class, () -> new MultiCrop(3, 4));
    assertTrue(three.getMessage().contains("1, 5 (corners and centre) or 10"), three.getMessage());
  }
}
