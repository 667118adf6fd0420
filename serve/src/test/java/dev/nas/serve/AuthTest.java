package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With an API key, everything but the health probes needs {@code Authorization: Bearer <key>}. */
class AuthTest {
  @TempDir
  Path dir;

  @Test
  void apiKeyGuardsEverythingButHealth() throws Exception {
    TestModels.twoInTwoOut(dir.resolve("pair/1/model.onnx"));
    try (ModelServer server = Servers.start(dir, Servers.settings(1, Duration.ZERO, 4, 1),
        Servers.loopback().withApiKey("s3cret-key"))) {
      Http http = new Http(server.url());
      assertEquals(200, http.get("/v2/health/live").status());
      assertEquals(200, http.get("/v2/health/ready").status());
      String body = "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]},"
          + " {\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 1, 1, 1]}]}";
      for (String path : new String[] {"/v2", "/v2/models/pair", "/v2/models/pair/ready", "/metrics"}) {
        Http.Reply none = http.get(path);
        assertEquals(401, none.status(), path + ": " + none);
        assertTrue(none.json().get("error").asText().contains("API key"), none.toString());
        assertEquals("Bearer realm=\"nas\"", none.header("WWW-Authenticate"));
        assertEquals(401, http.get(path, "Authorization", "Bearer wrong").status(), path);
        assertEquals(401, http.get(path, "Authorization", "s3cret-key").status(), path);
        assertEquals(200, http.get(path, "Authorization", "Bearer s3cret-key").status(), path);
      }
      assertEquals(401, http.post("/v2/models/pair/infer", body).status());
      assertEquals(401, http.post("/v2/models/pair/infer", body, "Authorization", "Bearer s3cret-ke").status());
      Http.Reply ok = http.post("/v2/models/pair/infer", body, "Authorization", "Bearer s3cret-key");
      assertEquals(200, ok.status(), ok.toString());
      // RFC 7235: the scheme is case-insensitive, and may be followed by more than one space
      for (String given : new String[] {"bearer s3cret-key", "BEARER s3cret-key", "Bearer   s3cret-key"}) {
        assertEquals(200, http.get("/v2", "Authorization", given).status(), given);
      }
      for (String given : new String[] {"Bearers3cret-key", "Basic s3cret-key", "Bearer", "Bearer S3CRET-KEY",
          "Bearer s3cret-key extra"}) {
        assertEquals(401, http.get("/v2", "Authorization", given).status(), given);
      }
      // unknown paths are 404 whether or not the key is given: routing comes first
      assertEquals(404, http.get("/v2/nothing").status());
    }
  }
}
