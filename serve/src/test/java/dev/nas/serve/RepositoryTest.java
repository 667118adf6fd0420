package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.trt.PlanInfo;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.ModelRegistry;
import dev.nas.serve.model.ModelSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository with models that cannot be served next to one that can: the server starts, serves
 * the good model, and says for each of the others why it is not ready.
 */
class RepositoryTest {
  @TempDir
  static Path dir;
  static ModelServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    Path repo = dir.resolve("repo");
    TestModels.twoInTwoOut(repo.resolve("good/1/model.onnx"));
    Files.createDirectories(repo.resolve("engine/1"));
    Files.write(repo.resolve("engine/1/model.plan"), new byte[] {1, 2, 3, 4});
    Files.createDirectories(repo.resolve("broken/1"));
    byte[] junk = new byte[300];
    new Random(3).nextBytes(junk);
    Files.write(repo.resolve("broken/1/model.onnx"), junk);
    TestModels.float16(repo.resolve("half/1/model.onnx"));
    Files.createDirectories(repo.resolve("empty/latest"));
    Files.createDirectories(repo.resolve("nofile/1"));
    Files.writeString(repo.resolve("README.txt"), "not a model");
    TestModels.twoInTwoOut(repo.resolve("mixed/1/model.onnx"));
    Files.createDirectories(repo.resolve("mixed/2"));
    Files.write(repo.resolve("mixed/2/model.plan"), new byte[] {9});
    Path plan = Files.write(Files.createDirectories(repo.resolve("gpuplan/1")).resolve("model.plan"), new byte[] {7, 7});
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(plan)));
    new PlanInfo(PlanInfo.FORMAT, PlanInfo.VERSION, "10.6.0", "Some GPU", "8.6", PlanInfo.FP32,
        new PlanInfo.Profile(1, 4, 8), List.of(new PlanInfo.TensorSpec("input", List.of(-1L, 4L))),
        List.of(new PlanInfo.TensorSpec("logits", List.of(-1L, 2L))), 1 << 20, 1.0, "m.onnx", sha, sha,
        "2026-11-25T00:00:00Z").write(plan);
    server = Servers.start(repo, Servers.settings(4, Duration.ZERO, 8, 1), Servers.loopback());
    http = new Http(server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void serverIsLiveButNotReadyAndSaysWhy() {
    assertEquals(200, http.get("/v2/health/live").status());
    Http.Reply ready = http.get("/v2/health/ready");
    assertEquals(400, ready.status(), ready.toString());
    assertFalse(ready.json().get("ready").asBoolean());
    String why = ready.json().get("error").asText();
    for (String model : new String[] {"engine", "broken", "half", "empty", "nofile", "mixed", "gpuplan"}) {
      assertTrue(why.contains("'" + model + "'"), model + " in " + why);
    }
    assertFalse(why.contains("'good'"), why);
  }

  @Test
  void eachUnservableModelGivesItsReason() {
    assertNotReady("/v2/models/engine/ready", "the sidecar of TensorRT plan");
    assertNotReady("/v2/models/engine", "is missing; nas export --format tensorrt writes both");
    // a plan with its sidecar gets as far as the GPU: here, without one, the probe's reason
    Gpu.Probe probe = Gpu.probeTensorRt();
    assertNotReady("/v2/models/gpuplan/ready", probe.ok() ? "" : probe.reason());
    assertNotReady("/v2/models/broken/versions/1/ready", "not a valid ONNX model");
    assertNotReady("/v2/models/half/ready", "FLOAT16");
    assertNotReady("/v2/models/empty/ready", "no version folders");
    assertNotReady("/v2/models/nofile/ready", "no model file");
    assertNotReady("/v2/models/mixed/ready", "sidecar");
    Http.Reply infer = http.post("/v2/models/engine/infer", "{\"inputs\": []}");
    assertEquals(400, infer.status(), infer.toString());
    assertTrue(infer.json().get("error").asText().contains("is not ready"), infer.toString());
  }

  @Test
  void readyModelsAreServedAnyway() {
    assertEquals(200, http.get("/v2/models/good/ready").status());
    assertEquals(200, http.get("/v2/models/mixed/versions/1/ready").status());
    String inputs = "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]},"
        + " {\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 1, 1, 1]}]}";
    Http.Reply r = http.post("/v2/models/good/infer", inputs);
    assertEquals(200, r.status(), r.toString());
    assertEquals("[2.0,3.0,4.0,5.0]", r.json().get("outputs").get(0).get("data").toString());
    assertEquals(200, http.post("/v2/models/mixed/versions/1/infer", inputs).status());
    Http.Reply meta = http.get("/v2/models/mixed/versions/2");
    assertEquals(400, meta.status(), meta.toString());
  }

  private static void assertNotReady(String path, String reason) {
    Http.Reply r = http.get(path);
    assertEquals(400, r.status(), path + ": " + r);
    assertTrue(r.json().get("error").asText().contains(reason), path + ": " + r);
    if (path.endsWith("/ready") && r.json().has("ready")) {
      assertFalse(r.json().get("ready").asBoolean());
    }
  }

  @Test
  void singleModelFileMustLoad() throws IOException {
    ServerMetrics metrics = new ServerMetrics();
    ModelSettings settings = Servers.settings(1, Duration.ZERO, 4, 1);
    Path missing = dir.resolve("nope.onnx");
    assertThrows(NoSuchFileException.class,
        () -> ModelRegistry.loadSingle(missing, "m", settings, Backends.defaults(), metrics));
    Path junk = Files.write(dir.resolve("junk.onnx"), new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class,
        () -> ModelRegistry.loadSingle(junk, "m", settings, Backends.defaults(), metrics));
    assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
    Path plan = Files.write(dir.resolve("model.plan"), new byte[] {1});
    IOException p = assertThrows(IOException.class,
        () -> ModelRegistry.loadSingle(plan, "m", settings, Backends.defaults(), metrics));
    assertTrue(p.getMessage().contains("sidecar"), p.getMessage());
    try (ModelRegistry ok = ModelRegistry.loadSingle(TestModels.twoInTwoOut(dir.resolve("pair.onnx")), "pair",
        settings, Backends.defaults(), metrics)) {
      assertTrue(ok.ready());
      assertEquals(1, ok.models().size());
    }
  }
}
