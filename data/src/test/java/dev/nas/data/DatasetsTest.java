package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
  @Test
  void unknownNameListsTheKnownOnes() {
    String msg = assertThrows(DatasetException.class, () -> Datasets.load(DatasetSpec.of("imagenet"))).getMessage();
    assertTrue(msg.contains("imagenet") && msg.contains("cifar100") && msg.contains("image-folder"), msg);
  }

  @Test
  void syntheticThroughTheSpec() {
    DatasetSpec spec = DatasetSpec.of("Synthetic").withShape(FeatureShape.of(1, 12, 12)).withClasses(4)
        .withSizes(40, 8).withSeed(9);
    DatasetPair pair = Datasets.load(spec);
    assertEquals(40, pair.train().size());
    assertEquals(8, pair.test().size());
    assertEquals(4, pair.train().numClasses());
    assertArrayEquals(Samples.bytes(pair.test(), 3), Samples.bytes(Datasets.load(spec).test(), 3));
  }

  @Test
  void namesMatchLooselyAndFilesAreFoundThroughTheSpec(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir, true);
    assertEquals("fashion-mnist", Datasets.canonical("Fashion_MNIST"));
    assertEquals("cifar10", Datasets.canonical("CIFAR-10"));
    DatasetPair pair = Datasets.load(DatasetSpec.of("FashionMNIST").withDataDir(dir));
    assertEquals(3, pair.train().size());
    DatasetPair limited = Datasets.load(DatasetSpec.of("mnist").withDataDir(dir).withSizes(2, 1).withSeed(4));
    assertEquals(2, limited.train().size());
    assertEquals(1, limited.test().size());
  }

  @Test
  void mismatchesAndMissingDirectoriesFailClearly(@TempDir Path dir) throws IOException {
    TestData.writeIdxSet(dir, false);
    String msg = assertThrows(DatasetException.class, () -> Datasets.load(DatasetSpec.of("mnist"))).getMessage();
    assertTrue(msg.contains("needs a data directory"), msg);
    msg = assertThrows(DatasetException.class,
        () -> Datasets.load(DatasetSpec.of("mnist").withDataDir(dir).withShape(FeatureShape.of(1, 28, 28))))
        .getMessage();
    assertTrue(msg.contains("1x4x5"), msg);
    msg = assertThrows(DatasetException.class,
        () -> Datasets.load(DatasetSpec.of("mnist").withDataDir(dir).withSizes(5, 0))).getMessage();
    assertTrue(msg.contains("only 3"), msg);
    assertThrows(DatasetException.class, () -> Datasets.load(DatasetSpec.of("mnist").withDataDir(dir).withClasses(5)));
  }

  @Test
  void videoDataSetsThroughTheSpec(@TempDir Path dir) throws Exception {
    FeatureShape clip = FeatureShape.of(3, 4, 16, 16);
    DatasetPair synthetic = Datasets.load(DatasetSpec.of("Synthetic_Video").withShape(clip).withClasses(2)
        .withSizes(8, 4).withSeed(2));
    assertEquals(clip, synthetic.train().shape());
    assertEquals(8, synthetic.train().size());
    assertEquals(4, synthetic.test().size());
    assertEquals(List.of("moving right", "moving left"), synthetic.test().classNames());
    assertThrows(DatasetException.class,
        () -> Datasets.load(DatasetSpec.of("synthetic-video").withShape(FeatureShape.of(3, 16, 16))));

    for (String name : new String[] {"a/x.mp4", "a/y.mp4", "b/z.mp4", "b/w.mp4"}) {
      VideoFolderLoaderTest.writeVideo(dir.resolve(name));
    }
    DatasetPair videos = Datasets.load(DatasetSpec.of("VideoFolder").withDataDir(dir).withShape(clip)
        .withTestFraction(0.5).withTestClips(3).withSizes(0, 1));
    assertEquals(2, videos.train().size());
    assertEquals(3, videos.test().size(), "one test video, three clips");
    assertEquals(3, videos.testViews());
    String msg = assertThrows(DatasetException.class, () -> Datasets.load(DatasetSpec.of("video-folder"))).getMessage();
    assertTrue(msg.contains("needs a data directory"), msg);
  }
}
