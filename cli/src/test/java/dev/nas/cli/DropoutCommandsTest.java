package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas derive --dropout}: stored with the network, trained with, exported without. */
class DropoutCommandsTest {
  @Test
  void deriveTrainAndExportANetworkWithDropout(@TempDir Path tmp) throws Exception {
    Path net = tmp.resolve("net");
    CliRunner d = CliRunner.run("derive", "--genotype", "DARTS_V2", "--channels", "4", "--layers", "3", "--input",
        "3x8x8", "--classes", "3", "--dropout", "0.4", "--out", net.toString());
    assertEquals(0, d.status(), d.toString());
    assertEquals(0.4, Json.MAPPER.readTree(net.resolve("network.json").toFile()).get("macro").get("dropout")
        .asDouble());
    Path trained = tmp.resolve("trained");
    CliRunner t = CliRunner.run("train", "--net", net.toString(), "--input", "3x8x8", "--train-samples", "32",
        "--test-samples", "16", "--epochs", "1", "--batch", "16", "--out", trained.toString());
    assertEquals(0, t.status(), t.toString());
    Path onnx = tmp.resolve("m.onnx");
    CliRunner e = CliRunner.run("export", "--net", trained.toString(), "--format", "onnx", "--out", onnx.toString());
    assertEquals(0, e.status(), e.toString());
    assertTrue(Files.size(onnx) > 0);
    CliRunner bad = CliRunner.run("derive", "--genotype", "DARTS_V2", "--dropout", "1.5", "--out",
        tmp.resolve("bad").toString());
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("--dropout must be below 1 [0, 1), got 1.5"), bad.err());
  }
}
