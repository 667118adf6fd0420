package dev.nas.runtime.trt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.io.Json;
import dev.nas.runtime.trt.PlanInfo.Profile;
import dev.nas.runtime.trt.PlanInfo.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanInfoTest {
  @TempDir
  Path dir;

  /** A sidecar for a plan file holding {@code bytes}. */
  static PlanInfo sidecarFor(byte[] bytes) {
    return new PlanInfo(PlanInfo.FORMAT, PlanInfo.VERSION, "10.6.0", "NVIDIA A100-SXM4-40GB", "8.0", PlanInfo.FP16,
        new Profile(1, 8, 32), List.of(new TensorSpec("input", List.of(-1L, 3L, 16L, 16L))),
        List.of(new TensorSpec("logits", List.of(-1L, 10L))), 1L << 30, 12.5, "model.onnx", "ab".repeat(32),
        Sha256.of(ByteBuffer.wrap(bytes)), "2025-01-01T00:00:00Z");
  }

  private Path writePlan(byte[] bytes) throws IOException {
    Path plan = Files.write(dir.resolve("model.plan"), bytes);
    sidecarFor(bytes).write(plan);
    return plan;
  }

  @Test
  void sidecarRoundTripsBesideThePlan() throws IOException {
    byte[] bytes = {1, 2, 3, 4};
    Path plan = writePlan(bytes);
    assertEquals(dir.resolve("model.plan.json"), PlanInfo.sidecar(plan));
    PlanInfo read = PlanInfo.read(plan);
    assertEquals(sidecarFor(bytes), read);
    assertDoesNotThrow(() -> read.checkPlan(plan));

    JsonNode json = Json.MAPPER.readTree(PlanInfo.sidecar(plan).toFile());
    assertEquals("nas-tensorrt-plan", json.get("format").asText());
    assertEquals("10.6.0", json.get("tensorRtVersion").asText());
    assertEquals("8.0", json.get("computeCapability").asText());
    assertEquals("fp16", json.get("precision").asText());
    assertEquals(8, json.get("profile").get("optBatch").asInt());
    assertEquals(-1, json.get("inputs").get(0).get("shape").get(0).asLong());
    assertEquals("logits", json.get("outputs").get(0).get("name").asText());
    assertEquals(12.5, json.get("buildSeconds").asDouble());
    assertEquals(64, json.get("planSha256").asText().length());
  }

  @Test
  void aPlanReplacedWithoutItsSidecarIsRefused() throws IOException {
    Path plan = writePlan(new byte[] {1, 2, 3, 4});
    Files.write(plan, new byte[] {1, 2, 3, 5});
    IOException e = assertThrows(IOException.class, () -> PlanInfo.read(plan).checkPlan(plan));
    assertTrue(e.getMessage().contains("does not match its sidecar") && e.getMessage().contains("rebuild"),
        e.getMessage());
  }

  @Test
  void missingAndMalformedSidecarsAreExplained() throws IOException {
    NoSuchFileException noPlan = assertThrows(NoSuchFileException.class, () -> PlanInfo.read(dir.resolve("x.plan")));
    assertTrue(noPlan.getMessage().contains("TensorRT plan not found"), noPlan.getMessage());

    Path plan = Files.write(dir.resolve("bare.plan"), new byte[] {9});
    NoSuchFileException noSidecar = assertThrows(NoSuchFileException.class, () -> PlanInfo.read(plan));
    assertTrue(noSidecar.getMessage().contains("bare.plan.json") && noSidecar.getMessage().contains("sidecar"),
        noSidecar.getMessage());

    Path sidecar = PlanInfo.sidecar(plan);
    Files.writeString(sidecar, "{\"format\": ");
    assertTrue(assertThrows(IOException.class, () -> PlanInfo.read(plan)).getMessage()
        .contains("is not a nas TensorRT sidecar"));
    Files.writeString(sidecar, "{\"format\": \"nas-network\"}");
    assertTrue(assertThrows(IOException.class, () -> PlanInfo.read(plan)).getMessage().contains("format 'nas-network'"));
    Files.writeString(sidecar, "{\"format\": \"nas-tensorrt-plan\", \"version\": 9}");
    assertTrue(assertThrows(IOException.class, () -> PlanInfo.read(plan)).getMessage().contains("sidecar version 9"));
    Files.writeString(sidecar, "{\"format\": \"nas-tensorrt-plan\", \"version\": 1, \"tensorRtVersion\": \"10.6.0\"}");
    assertTrue(assertThrows(IOException.class, () -> PlanInfo.read(plan)).getMessage()
        .contains("lacks 'computeCapability'"));
  }

  @Test
  void plansOnlyRunOnTheirTensorRtVersionAndGpuModel() {
    PlanInfo info = sidecarFor(new byte[] {1});
    assertDoesNotThrow(() -> info.checkRuntime("10.6.0", "NVIDIA A100-SXM4-40GB", "8.0"));
    // Another board of the same compute capability: TensorRT accepts it, with a warning.
    assertDoesNotThrow(() -> info.checkRuntime("10.6.0", "NVIDIA A100 80GB PCIe", "8.0"));
    IllegalStateException version =
        assertThrows(IllegalStateException.class, () -> info.checkRuntime("10.7.0", "NVIDIA A100-SXM4-40GB", "8.0"));
    assertTrue(version.getMessage().contains("built by TensorRT 10.6.0 and this is TensorRT 10.7.0")
        && version.getMessage().contains("nas export --format tensorrt"), version.getMessage());
    IllegalStateException gpu =
        assertThrows(IllegalStateException.class, () -> info.checkRuntime("10.6.0", "NVIDIA H100", "9.0"));
    assertTrue(gpu.getMessage().contains("NVIDIA A100-SXM4-40GB (compute capability 8.0)")
        && gpu.getMessage().contains("NVIDIA H100 (compute capability 9.0)"), gpu.getMessage());
  }

  @Test
  void batchSizesMustLieInTheProfile() {
    PlanInfo info = sidecarFor(new byte[] {1});
    assertDoesNotThrow(() -> info.checkBatch(1));
    assertDoesNotThrow(() -> info.checkBatch(32));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> info.checkBatch(64));
    assertTrue(e.getMessage().contains("batch 64 is outside") && e.getMessage().contains("[1, 32]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> info.checkBatch(0));
  }
}
