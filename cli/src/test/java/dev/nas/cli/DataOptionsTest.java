package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;

/** Clip datasets from the command line: their size, classes and test clips. */
class DataOptionsTest {
  private static Args args(String... argv) throws Exception {
    Options o = new Options();
    DataOptions.add(o);
    DataOptions.addClips(o);
    return new Args(new DefaultParser().parse(o, argv));
  }

  @Test
  void clipSizesComeFromFramesAndSizeOrFromAClipInput() throws Exception {
    Args a = args("--dataset", "synthetic-video", "--frames", "4", "--size", "16");
    String dataset = DataOptions.dataset(a, "synthetic");
    assertEquals("synthetic-video", dataset);
    assertEquals("3x4x16x16", DataOptions.input(a, dataset, null));
    assertEquals("3x8x24x24", DataOptions.input(args("--dataset", "video-folder", "--size", "24"), "video-folder", null));
    assertEquals("1x6x24x24", DataOptions.input(args("--frames", "6"), "synthetic-video", "1x8x24x24"),
        "a stored clip size keeps what is not given");
    assertEquals("3x16x112x112", DataOptions.input(args("--input", "1x3x16x112x112"), "video-folder", null));
    assertEquals("1x16x32x32", DataOptions.input(args("--input", "1x16x32x32"), "video-folder", null),
        "four numbers are C×T×H×W for clip data");
    assertEquals("3x16x16", DataOptions.input(args("--input", "1x3x16x16"), "synthetic", null),
        "and 1×C×H×W for image data");
    assertEquals(DataOptions.input(args(), "synthetic", "3x8x8"), "3x8x8");
  }

  @Test
  void classesAndClipsHaveClipDefaultsAndChecks() throws Exception {
    assertEquals(4, DataOptions.classes(args(), "synthetic-video", 10), "the motion task has at most 8 classes");
    assertEquals(6, DataOptions.classes(args("--classes", "6"), "synthetic-video", 10));
    assertEquals(10, DataOptions.classes(args(), "synthetic", 10));
    assertEquals(5, DataOptions.testClips(args("--clips", "5"), 0));
    assertEquals(0, DataOptions.testClips(args(), 0));
    UsageException zero = assertThrows(UsageException.class, () -> DataOptions.testClips(args("--clips", "0"), 0));
    assertTrue(zero.getMessage().contains("--clips"), zero.getMessage());
    UsageException images = assertThrows(UsageException.class,
        () -> DataOptions.dataset(args("--dataset", "cifar10", "--clips", "3"), "synthetic"));
    assertTrue(images.getMessage().contains("holds images"), images.getMessage());
    DataOptions.checkSpace("synthetic-video", "o3d");
    DataOptions.checkSpace("synthetic", "o2d");
    UsageException rank = assertThrows(UsageException.class, () -> DataOptions.checkSpace("video-folder", "o2d"));
    assertTrue(rank.getMessage().contains("use a video space (o2d-video, o3d"), rank.getMessage());
  }
}
