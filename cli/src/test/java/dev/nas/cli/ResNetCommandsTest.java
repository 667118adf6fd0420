package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resnet macro through derive, flops and export, the commands a network folder goes through. */
class ResNetCommandsTest {
  @Test
  void deriveCountExport(@TempDir Path tmp) throws Exception {
    Path net = tmp.resolve("resnet");
    CliRunner r = CliRunner.run("derive", "--macro", "resnet", "--channels", "4", "--layers", "1", "--input", "1x8x8",
        "--classes", "3", "--out", net.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("resnet macro, C=4, 1 blocks per stage"), r.out());
    r = CliRunner.run("flops", "--net", net.toString(), "--json");
    assertEquals(0, r.status(), r.toString());
    // stem 1·4·9 at 8x8; stage 1: 2 convs 4·4·9 at 8x8; stage 2: 4·8·9 + 8·8·9 + 4·8 at 4x4;
    // stage 3: 8·16·9 + 16·16·9 + 8·16 at 2x2; FC 16·3
    long macs = 36L * 64 + 288L * 64 + (288 + 576 + 32) * 16L + (1152 + 2304 + 128) * 4L + 48;
    assertTrue(r.out().contains("\"macs\" : " + macs) || r.out().contains("\"macs\":" + macs), macs + "\n" + r.out());
    Path onnx = tmp.resolve("resnet.onnx");
    r = CliRunner.run("export", "--net", net.toString(), "--out", onnx.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(Files.size(onnx) > 0);
    r = CliRunner.run("flops", "--model", onnx.toString(), "--json");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("\"macs\" : " + macs) || r.out().contains("\"macs\":" + macs), r.out());

    r = CliRunner.run("derive", "--macro", "resnet", "--genotype", "DARTS_V2", "--out", tmp.resolve("x").toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("takes no --genotype"), r.err());
  }
}
