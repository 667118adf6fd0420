package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.runtime.triton.ModelRepository;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.ModelRegistry;
import dev.nas.serve.model.ModelSettings;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent requests to a model with dynamic batching run together (fewer executions than
 * samples) and get exactly the answers the same model gives them one at a time.
 */
class BatchingTest {
  @TempDir
  Path dir;

  @Test
  void concurrentRequestsShareExecutionsAndGetUnbatchedResults() throws Exception {
    Path model = TestModels.tinyDarts(dir.resolve("batched/1/model.onnx"), 4);
    Files.createDirectories(dir.resolve("single/1"));
    Files.copy(model, dir.resolve("single/1/model.onnx"));
    ModelSettings batched = new ModelSettings(8, Duration.ofMillis(200), 64, 1, 1);
    ModelSettings single = batched.withoutBatching();
    ServerMetrics metrics = new ServerMetrics();
    ModelRegistry registry = ModelRegistry.load(ModelRepository.scan(dir),
        name -> name.equals("batched") ? batched : single, Backends.defaults(), metrics);
    try (ModelServer server = ModelServer.start(registry, metrics, Servers.loopback())) {
      Http http = new Http(server.url());
      int n = 16;
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        bodies.add(EndToEndTest.imagesJson(EndToEndTest.randomImages(1, 100 + i), 1));
      }
      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
      for (String body : bodies) {
        futures.add(http.client.sendAsync(http.request("/v2/models/batched/infer")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      List<float[]> together = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> f : futures) {
        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = Http.JSON.readTree(r.body()).get("outputs").get(0);
        assertEquals("[1,10]", out.get("shape").toString());
        together.add(EndToEndTest.floats(out.get("data")));
      }
      for (int i = 0; i < n; i++) {
        Http.Reply alone = http.post("/v2/models/single/infer", bodies.get(i));
        assertEquals(200, alone.status(), alone.toString());
        assertArrayEquals(EndToEndTest.floats(alone.json().get("outputs").get(0).get("data")), together.get(i),
            "request " + i);
      }
      String text = http.get("/metrics").text();
      String b = "{model=\"batched\",version=\"1\"}";
      String s = "{model=\"single\",version=\"1\"}";
      double samples = EndToEndTest.metric(text, "nas_inference_count_total" + b);
      double executions = EndToEndTest.metric(text, "nas_inference_exec_count_total" + b);
      assertEquals(n, samples, text);
      assertTrue(executions < samples, "batched: " + executions + " executions for " + samples + " samples");
      assertEquals(n, EndToEndTest.metric(text, "nas_inference_exec_count_total" + s), "unbatched: one per request");
      assertEquals(n, EndToEndTest.metric(text, "nas_inference_count_total" + s));
    }
  }
}
