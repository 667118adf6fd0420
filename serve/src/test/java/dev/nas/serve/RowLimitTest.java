package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One request cannot take the server's memory: its rows are bounded by the model's maximum batch
 * size, checked from the shape before any of its data is decoded, for JSON and binary data alike.
 */
class RowLimitTest {
  private static final String PAIR = "/v2/models/pair/infer";
  private static final String ALONE = "/v2/models/alone/infer";
  private static final int MAX_BATCH = 4;

  @TempDir
  static Path dir;
  static ModelServer batched;
  static ModelServer unbatched;
  static Http http;
  static Http httpAlone;

  @BeforeAll
  static void start() throws Exception {
    TestModels.twoInTwoOut(dir.resolve("a/pair/1/model.onnx"));
    TestModels.twoInTwoOut(dir.resolve("b/alone/1/model.onnx"));
    // the default body limit of 64 MiB, so that the large requests below are not stopped by it
    batched = Servers.start(dir.resolve("a"), Servers.settings(MAX_BATCH, Duration.ofMillis(1), 8, 1),
        Servers.loopback());
    unbatched = Servers.start(dir.resolve("b"), Servers.settings(MAX_BATCH, Duration.ofMillis(1), 8, 1)
        .withoutBatching(), Servers.loopback());
    http = new Http(batched.url());
    httpAlone = new Http(unbatched.url());
  }

  @AfterAll
  static void stop() {
    if (batched != null) {
      batched.close();
    }
    if (unbatched != null) {
      unbatched.close();
    }
  }

  /** {@code rows} x 4 zeros as JSON numbers, with {@code tail} appended inside the array. */
  private static String zeros(int rows, String tail) {
    StringBuilder sb = new StringBuilder(rows * 8 + 16).append('[');
    for (int i = 0; i < rows * 4; i++) {
      sb.append(i == 0 ? "0" : ",0");
    }
    return sb.append(tail).append(']').toString();
  }

  private static String input(String name, int rows, String data) {
    return "{\"name\": \"" + name + "\", \"datatype\": \"FP32\", \"shape\": [" + rows + ", 4], \"data\": " + data + "}";
  }

  private static String request(int rows) {
    return "{\"inputs\": [" + input("a", rows, zeros(rows, "")) + ", " + input("b", rows, zeros(rows, "")) + "]}";
  }

  private static void assertRowLimit(Http.Reply r, long rows) {
    assertEquals(400, r.status(), r.toString());
    String error = r.json().get("error").asText();
    assertTrue(error.contains("has " + rows + " rows") && error.contains("takes at most " + MAX_BATCH + " per request"),
        error);
  }

  @Test
  void requestWithinTheMaximumBatchIsServed() {
    Http.Reply r = http.post(PAIR, request(MAX_BATCH));
    assertEquals(200, r.status(), r.toString());
    assertEquals(MAX_BATCH, r.json().get("outputs").get(0).get("shape").get(0).asInt());
  }

  @Test
  void moreRowsThanTheMaximumBatchAreRefusedBeforeTheirDataIsRead() {
    // 625,000 rows of 4 numbers, 5 MB of JSON: without the bound the model would run on all of them
    Http.Reply r = http.post(PAIR, request(625_000));
    assertRowLimit(r, 625_000);
    // the data after the shape is not read at all: its garbage is never reached
    String garbage = "{\"inputs\": [" + input("a", 625_000, zeros(10, ", \"not a number\"")) + "]}";
    assertRowLimit(http.post(PAIR, garbage), 625_000);
    // data before the shape is skipped, not held, until the shape is known
    String first = "{\"inputs\": [{\"name\": \"a\", \"data\": " + zeros(10, ", true") + ", \"datatype\": \"FP32\", "
        + "\"shape\": [625000, 4]}]}";
    assertRowLimit(http.post(PAIR, first), 625_000);
    assertRowLimit(http.post(PAIR, request(MAX_BATCH + 1)), MAX_BATCH + 1);
  }

  @Test
  void binaryDataIsBoundedTheSameWay() {
    int rows = 100_000;
    String one = "\"datatype\": \"FP32\", \"shape\": [" + rows + ", 4], \"parameters\": {\"binary_data_size\": "
        + rows * 16 + "}";
    String json = "{\"inputs\": [{\"name\": \"a\", " + one + "}, {\"name\": \"b\", " + one + "}]}";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(new byte[rows * 32]);
    Http.Reply r = http.post(PAIR, body.toByteArray(), "Inference-Header-Content-Length",
        Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
    assertRowLimit(r, rows);
  }

  @Test
  void withoutBatchingARequestMayStillCarryUpToTheMaximumBatch() {
    Http.Reply ok = httpAlone.post(ALONE, request(MAX_BATCH).replace("pair", "alone"));
    assertEquals(200, ok.status(), ok.toString());
    assertRowLimit(httpAlone.post(ALONE, request(MAX_BATCH + 1)), MAX_BATCH + 1);
  }

  @Test
  void theServerKeepsServingAndHoldsNoBodiesAfterwards() throws InterruptedException {
    http.post(PAIR, request(625_000));
    assertEquals(200, http.post(PAIR, request(1)).status());
    assertEquals(0, Servers.awaitNoHeldBodies(batched), "every answered body was given back");
  }
}
