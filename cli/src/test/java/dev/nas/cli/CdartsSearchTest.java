package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.io.Json;
import dev.nas.derive.NetworkFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas search --algo cdarts}: a tiny search whose trained E-Net {@code nas export} takes directly. */
class CdartsSearchTest {
  @Test
  void searchWritesGenotypeHistoryAndAnExportableEnet(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("c");
    CliRunner r = CliRunner.run("search", "--algo", "cdarts", "--input", "3x8x8", "--classes", "3",
        "--train-samples", "64", "--test-samples", "32", "--epochs", "2", "--layers", "3", "--channels", "4",
        "--enet-layers", "4", "--enet-channels", "4", "--batch", "16", "--update-steps", "1", "--enet-steps", "1",
        "--skip-weight", "3", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().startsWith("Genotype(normal=["), r.out());
    JsonNode cfg = Json.MAPPER.readTree(run.resolve("config.json").toFile());
    assertEquals("cdarts", cfg.path("algo").asText());
    assertEquals(0.1, cfg.path("weights").path("lr").asDouble(), "CDARTS' weight learning rate is the default");
    assertEquals(4, cfg.path("cdarts").path("distillWeight").asDouble());
    assertEquals("alpha", cfg.path("cdarts").path("skipPenalty").asText(), "Eq. 11 by default");
    assertEquals("distill", cfg.path("cdarts").path("headLoss").asText(), "Eq. 8 by default");
    assertEquals(0.99, cfg.path("arch").path("beta2").asDouble(), "Adam betas {0.5, 0.99} as Section 4.1");
    JsonNode history = Json.MAPPER.readTree(run.resolve("history.json").toFile());
    assertEquals(2, history.size());
    JsonNode first = history.get(0);
    assertEquals(3, first.get("skipWeight").asDouble(), 1e-12);
    assertEquals(0.75, history.get(1).get("skipWeight").asDouble(), 1e-12, "3 · (1 − 1 / (2/3 · 2))");
    for (String f : new String[] {"snetTrainLoss", "snetValLoss", "enetTrainLoss", "enetJointLoss", "distillLoss",
        "skipPenalty", "enetValAcc", "enetTestAcc"}) {
      assertTrue(Double.isFinite(first.get(f).asDouble()), f + " = " + first.get(f));
    }
    assertTrue(first.get("distillLoss").asDouble() > 0);
    assertTrue(first.get("genotype").asText().startsWith("Genotype("));
    assertTrue(Files.isRegularFile(run.resolve("genotype.json")));
    NetworkFolder enet = NetworkFolder.read(run.resolve("enet"));
    assertEquals(4, enet.spec().macro().layers());
    assertFalse(enet.spec().macro().auxiliary());
    assertFalse(enet.weights().keySet().stream().anyMatch(k -> k.startsWith("head.")), "stage heads are not kept");
    assertEquals(dev.nas.core.genotype.GenotypeJson.read(Files.readString(run.resolve("genotype.json"))),
        enet.spec().genotype(), "enet/ is the E-Net of genotype.json");
    assertTrue(Files.readString(run.resolve("log.txt")).contains("E-Net val loss"));

    Path onnx = tmp.resolve("enet.onnx");
    CliRunner e = CliRunner.run("export", "--net", run.resolve("enet").toString(), "--format", "onnx", "--out",
        onnx.toString());
    assertEquals(0, e.status(), e.toString());
    assertTrue(Files.size(onnx) > 0);
    assertFalse(e.err().contains("has not been trained"), "the E-Net is trained: " + e);
  }

  @Test
  void resumeAndStopAfterAreRefusedAndCdartsOptionsNeedCdarts(@TempDir Path tmp) {
    CliRunner r = CliRunner.run("search", "--algo", "cdarts", "--resume", "--out", tmp.toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("--resume is not supported for --algo cdarts"), r.err());
    r = CliRunner.run("search", "--algo", "cdarts", "--stop-after", "1", "--out", tmp.resolve("x").toString());
    assertEquals(2, r.status(), r.toString());
    r = CliRunner.run("search", "--algo", "darts", "--enet-layers", "8", "--out", tmp.resolve("y").toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("--enet-layers is a cdarts option"), r.err());
    r = CliRunner.run("search", "--algo", "cdarts", "--temperature", "0", "--out", tmp.resolve("z").toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("--temperature must be positive"), r.err());
    r = CliRunner.run("search", "--algo", "cdarts", "--skip-penalty", "l2", "--out", tmp.resolve("w").toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("--skip-penalty must be alpha (Eq. 11) or softmax, not 'l2'"), r.err());
  }

  @Test
  void theSkipWeightDecaysOverTheSearchEpochsAfterThePreTraining(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("w");
    CliRunner r = CliRunner.run("search", "--algo", "cdarts", "--input", "3x8x8", "--classes", "3",
        "--train-samples", "32", "--test-samples", "16", "--epochs", "3", "--warmup-epochs", "1", "--layers", "3",
        "--channels", "4", "--enet-layers", "4", "--enet-channels", "4", "--batch", "16", "--skip-weight", "4",
        "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    JsonNode h = Json.MAPPER.readTree(run.resolve("history.json").toFile());
    assertEquals(4, h.get(0).get("skipWeight").asDouble(), 1e-12, "pre-training: no joint step yet");
    assertEquals(4, h.get(1).get("skipWeight").asDouble(), 1e-12, "the first search epoch starts the decay");
    assertEquals(1, h.get(2).get("skipWeight").asDouble(), 1e-12, "4 · (1 − 1 / (2/3 · 2))");
  }

  @Test
  void thePapersVariantsAreOptions(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("v");
    CliRunner r = CliRunner.run("search", "--algo", "cdarts", "--input", "3x8x8", "--classes", "3",
        "--train-samples", "32", "--test-samples", "16", "--epochs", "1", "--layers", "3", "--channels", "4",
        "--enet-layers", "4", "--enet-channels", "4", "--batch", "16", "--skip-penalty", "softmax", "--head-loss",
        "distill-ce", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    JsonNode cfg = Json.MAPPER.readTree(run.resolve("config.json").toFile());
    assertEquals("softmax", cfg.path("cdarts").path("skipPenalty").asText());
    assertEquals("distill-ce", cfg.path("cdarts").path("headLoss").asText());
    assertTrue(Files.readString(run.resolve("log.txt")).contains("heads in the joint step: distill-ce"));
  }
}
