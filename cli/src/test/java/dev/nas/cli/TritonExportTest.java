package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.runtime.triton.ModelConfigs;
import dev.nas.runtime.triton.proto.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas export --format triton} writes a repository entry that Triton's schema accepts. */
class TritonExportTest {
  @Test
  void networkFolderAndOnnxFileBecomeRepositoryVersions(@TempDir Path dir) throws Exception {
    Path net = dir.resolve("tiny");
    assertEquals(0, CliRunner.run("derive", "--genotype", "DARTS_V2", "--channels", "4", "--layers", "3", "--input",
        "3x8x8", "--classes", "5", "--out", net.toString()).status());
    Path repo = dir.resolve("repo");
    CliRunner r = CliRunner.run("export", "--net", net.toString(), "--format", "triton", "--repo", repo.toString(),
        "--max-batch", "16", "--max-queue-delay-us", "250");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("added tiny version 1"), r.out());
    assertTrue(Files.isRegularFile(repo.resolve("tiny/1/model.onnx")));
    ModelConfig c = ModelConfigs.read(repo.resolve("tiny/config.pbtxt")).config();
    assertEquals("tiny", c.getName());
    assertEquals(ModelConfigs.ONNX_PLATFORM, c.getPlatform());
    assertEquals(16, c.getMaxBatchSize());
    assertEquals(List.of(3L, 8L, 8L), c.getInput(0).getDimsList());
    assertEquals(List.of(5L), c.getOutput(0).getDimsList());
    assertEquals(250, c.getDynamicBatching().getMaxQueueDelayMicroseconds());

    // an ONNX file becomes the next version; an existing version is never overwritten
    Path onnx = dir.resolve("tiny.onnx");
    assertEquals(0, CliRunner.run("export", "--net", net.toString(), "--out", onnx.toString()).status());
    CliRunner v2 = CliRunner.run("export", "--model", onnx.toString(), "--format", "triton", "--repo",
        repo.toString());
    assertEquals(0, v2.status(), v2.toString());
    assertTrue(Files.isRegularFile(repo.resolve("tiny/2/model.onnx")));
    CliRunner again = CliRunner.run("export", "--model", onnx.toString(), "--format", "triton", "--repo",
        repo.toString(), "--version", "2");
    assertEquals(1, again.status(), again.toString());
    assertTrue(again.err().contains("already has version 2"), again.err());

    CliRunner noRepo = CliRunner.run("export", "--model", onnx.toString(), "--format", "triton");
    assertEquals(2, noRepo.status());
    assertTrue(noRepo.err().contains("--repo"), noRepo.err());
    CliRunner badName = CliRunner.run("export", "--model", onnx.toString(), "--format", "triton", "--repo",
        repo.toString(), "--name", "../escape");
    assertEquals(2, badName.status(), badName.toString());
    CliRunner noPlan = CliRunner.run("export", "--model", onnx.toString(), "--format", "triton", "--repo",
        repo.toString(), "--plan", dir.resolve("missing.plan").toString());
    assertEquals(1, noPlan.status(), noPlan.toString());
    assertTrue(noPlan.err().contains("missing.plan"), noPlan.err());
  }
}
