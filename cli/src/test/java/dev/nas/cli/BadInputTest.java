package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets one clear message and a non-zero status, and leaves nothing half-written. */
class BadInputTest {
  @TempDir
  static Path dir;
  static Path net;

  @BeforeAll
  static void derive() {
    net = CliRunner.tinyNet(dir.resolve("net"));
  }

  private static void fails(int status, String expected, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(status, r.status(), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
  }

  @Test
  void usageErrors() {
    fails(2, "unknown command", "serach");
    fails(2, "--genotype is required", "derive", "--out", dir.resolve("x").toString());
    fails(2, "Unrecognized option", "derive", "--genotpye", "DARTS_V2");
    fails(2, "expects an integer", "derive", "--genotype", "DARTS_V2", "--channels", "many", "--out", "x");
    fails(2, "unknown macro", "derive", "--genotype", "DARTS_V2", "--macro", "mobile", "--out", "x");
    fails(2, "exactly one of --net", "flops");
    fails(2, "not supported", "export", "--net", net.toString(), "--format", "tflite", "--out", "m.tflite");
    fails(2, "unknown --dataset", "search", "--dataset", "imagenet21k", "--out", dir.resolve("s").toString());
    fails(2, "--space darts is an image space but --dataset synthetic-video holds clips", "search", "--dataset",
        "synthetic-video", "--out", dir.resolve("s").toString());
    fails(2, "--space o3d is a video space", "search", "--space", "o3d", "--out", dir.resolve("s").toString());
    fails(2, "apply to clip datasets", "search", "--frames", "8", "--out", dir.resolve("s").toString());
    fails(2, "either as --input CxTxHxW or as --frames T --size H", "search", "--dataset", "synthetic-video",
        "--space", "o3d", "--input", "3x8x16x16", "--frames", "4", "--out", dir.resolve("s").toString());
    fails(2, "--lr-step sets the step schedule's decay; the cosine schedule anneals to --lr-min (add --lr-schedule "
        + "step)", "search", "--lr-step", "3", "--out", dir.resolve("s").toString());
    fails(2, "--lr-schedule must be cosine or step, not 'linear'", "search", "--lr-schedule", "linear", "--out",
        dir.resolve("s").toString());
    fails(2, "has a batch of 3; give one sample, an image size", "search", "--input", "3x8x16x16", "--out",
        dir.resolve("s").toString());
    fails(2, "takes images (3x8x8) but --dataset synthetic-video holds clips", "train", "--net", net.toString(),
        "--dataset", "synthetic-video", "--out", dir.resolve("t").toString());
    fails(2, "--threads must be positive", "flops", "--net", net.toString(), "--threads", "0");
    fails(2, "at least one of", "check", "--net", net.toString());
    fails(2, "input shape", "flops", "--net", net.toString(), "--input", "3xbig");
    fails(2, "--channels must be positive and even", "search", "--channels", "5", "--out", dir.resolve("s").toString());
    fails(2, "unknown search space 'o4d' (known: [darts, o2d, o2d-video, o3d, oadv, o2d-video-shared, o3d-shared, oadv-shared, pvnas, pvnas-s, nb201])", "search",
        "--space", "o4d", "--out", dir.resolve("s").toString());
    fails(2, "--layers and --search-layers must be multiples of 3, got 8 and 5", "compare", "--space", "nb201",
        "--dataset", "synthetic", "--max-macs", "1M", "--out", dir.resolve("c").toString());
    fails(2, "the nb201 macro stacks three stages of N cells, so --layers must be a multiple of 3", "derive", "--genotype", "nb201_resnet", "--layers", "4", "--out",
        dir.resolve("d").toString());
    fails(2, "unknown --algo 'sdas-d'", "search", "--algo", "sdas-d", "--out", dir.resolve("s").toString());
    fails(2, "unknown --algo 'sdas'", "pipeline", "--algo", "sdas", "--out", dir.resolve("p").toString());
  }

  @Test
  void malformedGenotypes() throws Exception {
    fails(1, "dil_conv_7x7", "derive", "--genotype", "Genotype(normal=[('dil_conv_7x7', 0), ('sep_conv_3x3', 1)], "
        + "normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "--out",
        dir.resolve("g1").toString());
    fails(1, "out of range", "derive", "--genotype", "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 4)], "
        + "normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "--out",
        dir.resolve("g2").toString());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"nas-genotype\", \"cells\": [");
    fails(1, "malformed", "visualize", "--genotype", bad.toString(), "--out", dir.resolve("c.svg").toString());
    fails(1, "not a file, a built-in name", "visualize", "--genotype", "NO_SUCH_NET", "--out", "c.svg");
    assertFalse(Files.exists(dir.resolve("g1")), "nothing is written for a rejected genotype");
  }

  @Test
  void missingAndCorruptFiles() throws Exception {
    fails(1, "does not exist", "flops", "--net", dir.resolve("nowhere").toString());
    fails(1, "does not exist", "flops", "--model", dir.resolve("nowhere.onnx").toString());
    Path junk = dir.resolve("junk.onnx");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    fails(1, "junk.onnx", "flops", "--model", junk.toString());
    fails(1, "junk.onnx", "bench", "--model", junk.toString(), "--batch", "1", "--iterations", "1");
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    Files.copy(net.resolve("network.json"), broken.resolve("network.json"));
    byte[] w = Files.readAllBytes(net.resolve("weights.safetensors"));
    Files.write(broken.resolve("weights.safetensors"), java.util.Arrays.copyOf(w, w.length / 2));
    fails(1, "truncated", "export", "--net", broken.toString(), "--out", dir.resolve("b.onnx").toString());
    assertFalse(Files.exists(dir.resolve("b.onnx")));
    Files.writeString(broken.resolve("network.json"), "{\"format\": \"nas-network\", \"version\": 1}");
    fails(1, "network.json", "flops", "--net", broken.toString());
    fails(1, "needs a data directory", "search", "--dataset", "cifar10", "--out", dir.resolve("s2").toString());
    fails(1, "not found", "train", "--net", net.toString(), "--dataset", "mnist", "--data-dir",
        dir.resolve("no-mnist").toString(), "--out", dir.resolve("t").toString());
  }

  @Test
  void wrongShapesAreExplained() {
    fails(1, "derive it with --input", "train", "--net", net.toString(), "--dataset", "synthetic", "--input",
        "3x16x16", "--train-samples", "32", "--test-samples", "8", "--epochs", "1", "--out",
        dir.resolve("t2").toString());
    fails(2, "channels", "flops", "--net", net.toString(), "--input", "1x1x8x8");
  }

  @Test
  void budgetsExceededGiveStatus3() {
    CliRunner over = CliRunner.run("check", "--net", net.toString(), "--max-params", "1K", "--max-macs", "1G");
    assertEquals(3, over.status(), over.toString());
    assertTrue(over.out().contains("OVER") && over.out().contains("BUDGET EXCEEDED"), over.toString());
    CliRunner ok = CliRunner.run("check", "--net", net.toString(), "--max-params", "10M", "--max-macs", "1G",
        "--json");
    assertEquals(0, ok.status(), ok.toString());
    assertTrue(ok.out().contains("\"passed\" : true"), ok.toString());
  }
}
