package dev.nas.runtime.triton;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile but parseable configurations: every value outside what a repository may ask for is
 * refused with the file, the line and column it was written at, and the reason.
 */
class ModelConfigBoundsTest {
  @TempDir
  Path dir;

  private record Case(String name, String text, String where, String reason) {}

  private static final String HEAD = "name: \"m\"\nplatform: \"onnxruntime_onnx\"\n";

  @TestFactory
  Stream<DynamicTest> everyBoundNamesFileLineAndReason() {
    return Stream.of(
        new Case("huge max_batch_size", HEAD + "max_batch_size: 2147483647\n", "c:3:1",
            "max_batch_size must be in 0..65536"),
        new Case("negative max_batch_size", HEAD + "max_batch_size: -1\n", "c:3:1", "max_batch_size must be in 0.."),
        new Case("delay of 2^64 - 1 us", HEAD + "max_batch_size: 8\ndynamic_batching {\n"
            + "  max_queue_delay_microseconds: 18446744073709551615\n}\n", "c:5:3",
            "max_queue_delay_microseconds 18446744073709551615 is more than the 10000000"),
        new Case("27-hour delay", HEAD + "max_batch_size: 8\ndynamic_batching { max_queue_delay_microseconds: "
            + "97200000000 }\n", "c:4:20", "97200000000 is more than"),
        new Case("queue of 2^32 - 1", HEAD + "max_batch_size: 8\ndynamic_batching {\n  default_queue_policy {\n"
            + "    max_queue_size: 4294967295\n  }\n}\n", "c:6:5", "max_queue_size 4294967295 is more than 65536"),
        new Case("preferred batch above the maximum", HEAD + "max_batch_size: 8\ndynamic_batching {\n"
            + "  preferred_batch_size: [ 4, 16 ]\n}\n", "c:5:", "preferred_batch_size 16 is outside 1..8"),
        new Case("20000 instances", HEAD + "instance_group [ { count: 2 },\n  { count: 20000 } ]\n", "c:4:5",
            "add up to 20002; at most 1024"),
        new Case("instances in separate blocks", HEAD + "instance_group { count: 1000 }\n"
            + "instance_group {\n  count: 1000\n}\n", "c:5:3", "add up to 2000"),
        new Case("negative instances", HEAD + "instance_group [ { count: -5 } ]\n", "c:3:", "at least 0, got -5"),
        new Case("dims of 2^63 - 1", HEAD + "max_batch_size: 8\ninput [ {\n  name: \"x\"\n  data_type: TYPE_FP32\n"
            + "  dims: [ 3, 9223372036854775807 ]\n} ]\n", "c:7:", "take more than 2147483647 bytes"),
        new Case("dims whose product is too large", HEAD + "max_batch_size: 64\noutput [ { name: \"y\" data_type: "
            + "TYPE_FP32 dims: [ 1024, 1024, 16 ] } ]\n", "c:4:", "output 'y' dims [1024, 1024, 16] in batches of 64"),
        new Case("rank above 16", HEAD + "input [ { name: \"x\" dims: [ " + "1, ".repeat(16) + "1 ] } ]\n", "c:3:",
            "has 17 dims; at most 16"),
        new Case("zero dimension", HEAD + "input [ { name: \"x\" dims: [ 0 ] } ]\n", "c:3:", "has dimension 0"),
        new Case("input declared twice", HEAD + "input [ { name: \"x\" dims: [ 1 ] }, { name: \"x\" dims: [ 2 ] } ]\n",
            "c:3:", "input 'x' is declared twice"),
        new Case("path traversal in default_model_filename", HEAD + "default_model_filename: "
            + "\"../../../../etc/passwd\"\n", "c:3:1", "'../../../../etc/passwd' must be the name of a file in the "
            + "version folder, not a path"),
        new Case("absolute default_model_filename", HEAD + "\n\ndefault_model_filename: \"/etc/passwd\"\n", "c:5:1",
            "not a path"),
        new Case("default_model_filename ..", HEAD + "default_model_filename: \"..\"\n", "c:3:1", "not a path"),
        new Case("num_versions 0", HEAD + "version_policy { latest { num_versions: 0 } }\n", "c:3:",
            "num_versions >= 1"),
        new Case("negative specific version", HEAD + "version_policy { specific { versions: [ 1, -3 ] } }\n", "c:3:",
            "version -3 is negative"),
        new Case("nesting far too deep", HEAD + "x { ".repeat(5000) + "}".repeat(5000), "c:", "nested too deep"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
          IOException e = assertThrows(IOException.class, () -> ModelConfigs.parse(c.text(), "c"));
          String m = e.getMessage();
          assertTrue(m.startsWith(c.where()), c.name() + ": expected to start with " + c.where() + ": " + m);
          assertTrue(m.contains(c.reason()), c.name() + ": expected '" + c.reason() + "' in " + m);
        }));
  }

  @Test
  void valuesAtTheBoundsAreAccepted() throws IOException {
    ModelConfigs.Parsed p = ModelConfigs.parse(HEAD + "max_batch_size: 65536\ndynamic_batching {\n"
        + "  max_queue_delay_microseconds: 10000000\n  default_queue_policy { max_queue_size: 65536 }\n}\n"
        + "instance_group [ { count: 1000 }, { count: 24 } ]\ndefault_model_filename: \"net.v2.onnx\"\n"
        + "input [ { name: \"x\" data_type: TYPE_FP32 dims: [ 8191 ] } ]\n", "c");
    assertEquals(65536, p.config().getMaxBatchSize());
    assertEquals("net.v2.onnx", p.config().getDefaultModelFilename());
    assertEquals("c:8:37", p.where("instance_group[1].count"), "an element of a [ ... ] list");
    assertEquals("c:3:1", p.where("max_batch_size"));
    assertEquals("c", p.where("output[0].dims"), "not written: the file alone");
  }

  @Test
  void oversizedFileIsRefusedBeforeReading() throws IOException {
    Path big = dir.resolve("config.pbtxt");
    Files.writeString(big, HEAD + "#".repeat(ModelConfigs.MAX_FILE_BYTES) + "\n");
    IOException e = assertThrows(IOException.class, () -> ModelConfigs.read(big));
    assertTrue(e.getMessage().contains("at most " + ModelConfigs.MAX_FILE_BYTES + " bytes"), e.getMessage());
  }

  @Test
  void exportRefusesWhatTheServerWouldRefuse() {
    assertThrows(IllegalArgumentException.class, () -> ModelConfigs.forModel("m", ModelConfigs.ONNX_PLATFORM, null,
        ModelConfigs.MAX_BATCH_SIZE + 1, 100, 0));
  }
}
