package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.runtime.bench.OrtModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports networks into a model repository, serves it on a free loopback port and calls every
 * endpoint with a plain HTTP client; served outputs are compared with direct ONNX Runtime runs.
 */
class EndToEndTest {
  @TempDir
  static Path dir;
  static Path repo;
  static ModelServer server;
  static Http http;
  static Path dartsV1;
  static Path dartsV2;

  @BeforeAll
  static void start() throws Exception {
    repo = dir.resolve("repo");
    dartsV1 = TestModels.tinyDarts(repo.resolve("darts/1/model.onnx"), 1);
    dartsV2 = TestModels.tinyDarts(repo.resolve("darts/2/model.onnx"), 2);
    // without a version_policy Triton (and nas serve) would serve only the latest version
    Files.writeString(repo.resolve("darts/config.pbtxt"),
        "name: \"darts\"\nplatform: \"onnxruntime_onnx\"\nversion_policy: { all { } }\n");
    TestModels.twoInTwoOut(repo.resolve("pair/1/model.onnx"));
    TestModels.allTypes(repo.resolve("types/3/model.onnx"));
    TestModels.fixedShape(repo.resolve("fixed/1/model.onnx"));
    server = Servers.start(repo, Servers.settings(8, Duration.ofMillis(1), 64, 2), Servers.loopback());
    http = new Http(server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static float[] randomImages(int n, long seed) {
    float[] x = new float[n * 3 * 16 * 16];
    Random r = new Random(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  static float[] direct(Path model, float[] x, int n) throws Exception {
    try (OrtModel m = OrtModel.open(model, 1)) {
      return m.run(x, new long[] {n, 3, 16, 16}).values();
    }
  }

  static ObjectNode request(String name, String datatype, long[] shape) {
    ObjectNode req = Http.JSON.createObjectNode();
    ObjectNode in = req.putArray("inputs").addObject().put("name", name).put("datatype", datatype);
    ArrayNode s = in.putArray("shape");
    for (long d : shape) {
      s.add(d);
    }
    return req;
  }

  static String imagesJson(float[] x, int n) {
    ObjectNode req = request("input", "FP32", new long[] {n, 3, 16, 16});
    ArrayNode data = ((ObjectNode) req.get("inputs").get(0)).putArray("data");
    for (float v : x) {
      data.add(v);
    }
    return req.toString();
  }

  static float[] floats(JsonNode data) {
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.get(i).floatValue();
    }
    return out;
  }

  @Test
  void healthAndServerMetadata() {
    Http.Reply live = http.get("/v2/health/live");
    assertEquals(200, live.status(), live.toString());
    assertTrue(live.json().get("live").asBoolean());
    Http.Reply ready = http.get("/v2/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    assertTrue(ready.json().get("ready").asBoolean());
    Http.Reply meta = http.get("/v2");
    assertEquals(200, meta.status(), meta.toString());
    assertEquals("nas", meta.json().get("name").asText());
    assertFalse(meta.json().get("version").asText().isEmpty());
    assertTrue(meta.json().get("extensions").toString().contains("binary_tensor_data"), meta.toString());
    assertEquals("application/json", live.header("Content-Type"));
  }

  @Test
  void modelMetadataListsVersionsPlatformAndTensors() {
    for (String path : new String[] {"/v2/models/darts", "/v2/models/darts/versions/1", "/v2/models/darts/versions/2"}) {
      Http.Reply r = http.get(path);
      assertEquals(200, r.status(), path + ": " + r);
      JsonNode m = r.json();
      assertEquals("darts", m.get("name").asText());
      assertEquals("[\"1\",\"2\"]", m.get("versions").toString());
      assertEquals("onnxruntime_onnx", m.get("platform").asText());
      assertEquals("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,3,16,16]}]", m.get("inputs").toString());
      assertEquals("[{\"name\":\"logits\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]", m.get("outputs").toString());
    }
    JsonNode types = http.get("/v2/models/types").json();
    assertEquals("[\"3\"]", types.get("versions").toString());
    assertEquals(6, types.get("inputs").size());
    assertEquals("{\"name\":\"flag\",\"datatype\":\"BOOL\",\"shape\":[-1,2]}", types.get("inputs").get(5).toString());
    assertEquals("{\"name\":\"out_u8\",\"datatype\":\"UINT8\",\"shape\":[-1,2]}", types.get("outputs").get(5).toString());
    assertEquals("[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,3]}]",
        http.get("/v2/models/fixed").json().get("inputs").toString());
  }

  @Test
  void modelReadiness() {
    for (String path : new String[] {"/v2/models/darts/ready", "/v2/models/darts/versions/1/ready", "/v2/models/pair/ready"}) {
      Http.Reply r = http.get(path);
      assertEquals(200, r.status(), path + ": " + r);
      assertTrue(r.json().get("ready").asBoolean());
    }
    assertEquals("2", http.get("/v2/models/darts/ready").json().get("version").asText());
  }

  @Test
  void jsonInferenceMatchesOnnxRuntimeForEachVersion() throws Exception {
    float[] x = randomImages(3, 7);
    float[] want1 = direct(dartsV1, x, 3);
    float[] want2 = direct(dartsV2, x, 3);

    Http.Reply r1 = http.post("/v2/models/darts/versions/1/infer", imagesJson(x, 3));
    assertEquals(200, r1.status(), r1.toString());
    JsonNode out = r1.json();
    assertEquals("darts", out.get("model_name").asText());
    assertEquals("1", out.get("model_version").asText());
    assertNull(out.get("id"));
    JsonNode logits = out.get("outputs").get(0);
    assertEquals("logits", logits.get("name").asText());
    assertEquals("FP32", logits.get("datatype").asText());
    assertEquals("[3,10]", logits.get("shape").toString());
    assertArrayEquals(want1, floats(logits.get("data")));

    // without a version the highest one answers
    Http.Reply r2 = http.post("/v2/models/darts/infer", imagesJson(x, 3));
    assertEquals(200, r2.status(), r2.toString());
    assertEquals("2", r2.json().get("model_version").asText());
    assertArrayEquals(want2, floats(r2.json().get("outputs").get(0).get("data")));
    assertFalse(java.util.Arrays.equals(want1, want2), "the two versions have different weights");
  }

  @Test
  void nestedDataAndIdAreAccepted() throws Exception {
    float[] x = randomImages(2, 11);
    ObjectNode req = request("input", "FP32", new long[] {2, 3, 16, 16});
    req.put("id", "request-42");
    ArrayNode data = ((ObjectNode) req.get("inputs").get(0)).putArray("data");
    int k = 0;
    for (int n = 0; n < 2; n++) {
      ArrayNode image = data.addArray();
      for (int c = 0; c < 3; c++) {
        ArrayNode channel = image.addArray();
        for (int h = 0; h < 16; h++) {
          ArrayNode row = channel.addArray();
          for (int w = 0; w < 16; w++) {
            row.add(x[k++]);
          }
        }
      }
    }
    Http.Reply r = http.post("/v2/models/darts/versions/1/infer", req.toString());
    assertEquals(200, r.status(), r.toString());
    assertEquals("request-42", r.json().get("id").asText());
    assertArrayEquals(direct(dartsV1, x, 2), floats(r.json().get("outputs").get(0).get("data")));
  }

  @Test
  void binaryInputAndOutputMatchOnnxRuntimeExactly() throws Exception {
    int n = 4;
    float[] x = randomImages(n, 5);
    ByteBuffer raw = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(x);
    ObjectNode req = request("input", "FP32", new long[] {n, 3, 16, 16});
    ((ObjectNode) req.get("inputs").get(0)).putObject("parameters").put("binary_data_size", x.length * 4);
    req.putObject("parameters").put("binary_data_output", true);
    byte[] json = req.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(json);
    body.writeBytes(raw.array());

    Http.Reply r = http.post("/v2/models/darts/versions/1/infer", body.toByteArray(),
        "Inference-Header-Content-Length", Integer.toString(json.length), "Content-Type", "application/octet-stream");
    assertEquals(200, r.status(), r.toString());
    assertEquals("application/octet-stream", r.header("Content-Type"));
    int jsonLength = Integer.parseInt(r.header("Inference-Header-Content-Length"));
    JsonNode head = Http.JSON.readTree(new String(r.body(), 0, jsonLength, StandardCharsets.UTF_8));
    JsonNode logits = head.get("outputs").get(0);
    assertNull(logits.get("data"));
    assertEquals(n * 10 * 4, logits.get("parameters").get("binary_data_size").asInt());
    assertEquals(jsonLength + n * 10 * 4, r.body().length);
    float[] got = new float[n * 10];
    ByteBuffer.wrap(r.body(), jsonLength, n * 40).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
    assertArrayEquals(direct(dartsV1, x, n), got);

    // binary in, JSON out: the same numbers
    ObjectNode jsonOut = request("input", "FP32", new long[] {n, 3, 16, 16});
    ((ObjectNode) jsonOut.get("inputs").get(0)).putObject("parameters").put("binary_data_size", x.length * 4);
    byte[] json2 = jsonOut.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body2 = new ByteArrayOutputStream();
    body2.writeBytes(json2);
    body2.writeBytes(raw.array());
    Http.Reply r2 = http.post("/v2/models/darts/versions/1/infer", body2.toByteArray(),
        "Inference-Header-Content-Length", Integer.toString(json2.length));
    assertEquals(200, r2.status(), r2.toString());
    assertEquals("application/json", r2.header("Content-Type"));
    assertNull(r2.header("Inference-Header-Content-Length"));
    assertArrayEquals(got, floats(r2.json().get("outputs").get(0).get("data")));
  }

  @Test
  void outputSelectionAndPerOutputBinaryFlag() {
    String inputs = "\"inputs\": [{\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [2, 3, 4, 5]},"
        + " {\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [[1, -1, 0.5, 10]]}]";
    Http.Reply both = http.post("/v2/models/pair/infer", "{" + inputs + "}");
    assertEquals(200, both.status(), both.toString());
    JsonNode outs = both.json().get("outputs");
    assertEquals(2, outs.size());
    assertEquals("sum", outs.get(0).get("name").asText());
    assertEquals("[3.0,2.0,4.5,15.0]", outs.get(0).get("data").toString());
    assertEquals("[2.0,-3.0,2.0,50.0]", outs.get(1).get("data").toString());

    Http.Reply one = http.post("/v2/models/pair/infer", "{" + inputs + ", \"outputs\": [{\"name\": \"product\"}]}");
    assertEquals(200, one.status(), one.toString());
    assertEquals(1, one.json().get("outputs").size());
    assertEquals("product", one.json().get("outputs").get(0).get("name").asText());

    // binary for one output only; the other stays JSON
    Http.Reply mixed = http.post("/v2/models/pair/infer", "{" + inputs + ", \"outputs\": [{\"name\": \"product\", "
        + "\"parameters\": {\"binary_data\": true}}, {\"name\": \"sum\"}]}");
    assertEquals(200, mixed.status(), mixed.toString());
    int len = Integer.parseInt(mixed.header("Inference-Header-Content-Length"));
    JsonNode head = mixed.json(len);
    assertEquals("product", head.get("outputs").get(0).get("name").asText());
    assertEquals(16, head.get("outputs").get(0).get("parameters").get("binary_data_size").asInt());
    assertEquals("[3.0,2.0,4.5,15.0]", head.get("outputs").get(1).get("data").toString());
    ByteBuffer p = ByteBuffer.wrap(mixed.body(), len, 16).order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(new float[] {2, -3, 2, 50}, new float[] {p.getFloat(), p.getFloat(), p.getFloat(), p.getFloat()});
  }

  @Test
  void everySupportedDatatypeRoundTripsAsJsonAndBinary() {
    String json = "{\"inputs\": ["
        + "{\"name\": \"f64\", \"datatype\": \"FP64\", \"shape\": [2, 2], \"data\": [1.5, -2.25, 1e300, 0.1]},"
        + "{\"name\": \"i32\", \"datatype\": \"INT32\", \"shape\": [2, 2], \"data\": [1, -2, 2147483647, -2147483647]},"
        + "{\"name\": \"i64\", \"datatype\": \"INT64\", \"shape\": [2, 2], \"data\": [9007199254740993, -1, 0, 42]},"
        + "{\"name\": \"i8\", \"datatype\": \"INT8\", \"shape\": [2, 2], \"data\": [-128, 127, 0, -1]},"
        + "{\"name\": \"u8\", \"datatype\": \"UINT8\", \"shape\": [2, 2], \"data\": [0, 255, 128, 7]},"
        + "{\"name\": \"flag\", \"datatype\": \"BOOL\", \"shape\": [2, 2], \"data\": [true, false, false, true]}]}";
    Http.Reply r = http.post("/v2/models/types/infer", json);
    assertEquals(200, r.status(), r.toString());
    JsonNode o = r.json().get("outputs");
    assertEquals("3", r.json().get("model_version").asText());
    assertEquals("[1.5,-2.25,1.0E300,0.1]", o.get(0).get("data").toString());
    assertEquals("FP64", o.get(0).get("datatype").asText());
    assertEquals("[1,-2,2147483647,-2147483647]", o.get(1).get("data").toString());
    assertEquals("[-1,2,-2147483647,2147483647]", o.get(2).get("data").toString());
    assertEquals("[9007199254740993,-1,0,42]", o.get(3).get("data").toString());
    assertEquals("[-128,127,0,-1]", o.get(4).get("data").toString());
    assertEquals("[0,255,128,7]", o.get(5).get("data").toString());
    assertEquals("[false,true,true,false]", o.get(6).get("data").toString());
    assertEquals("BOOL", o.get(6).get("datatype").asText());

    // the same through the binary extension: little-endian, BOOL one byte each
    ByteBuffer bin = ByteBuffer.allocate(32 + 16 + 32 + 4 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
    bin.putDouble(1.5).putDouble(-2.25).putDouble(1e300).putDouble(0.1);
    bin.putInt(1).putInt(-2).putInt(Integer.MAX_VALUE).putInt(-Integer.MAX_VALUE);
    bin.putLong(9007199254740993L).putLong(-1).putLong(0).putLong(42);
    bin.put(new byte[] {-128, 127, 0, -1}).put(new byte[] {0, (byte) 255, (byte) 128, 7}).put(new byte[] {1, 0, 0, 1});
    String head = "{\"inputs\": ["
        + "{\"name\": \"f64\", \"datatype\": \"FP64\", \"shape\": [2, 2], \"parameters\": {\"binary_data_size\": 32}},"
        + "{\"name\": \"i32\", \"datatype\": \"INT32\", \"shape\": [2, 2], \"parameters\": {\"binary_data_size\": 16}},"
        + "{\"name\": \"i64\", \"datatype\": \"INT64\", \"shape\": [2, 2], \"parameters\": {\"binary_data_size\": 32}},"
        + "{\"name\": \"i8\", \"datatype\": \"INT8\", \"shape\": [2, 2], \"parameters\": {\"binary_data_size\": 4}},"
        + "{\"name\": \"u8\", \"datatype\": \"UINT8\", \"shape\": [2, 2], \"parameters\": {\"binary_data_size\": 4}},"
        + "{\"name\": \"flag\", \"datatype\": \"BOOL\", \"shape\": [2, 2], \"parameters\": {\"binary_data_size\": 4}}],"
        + " \"parameters\": {\"binary_data_output\": true}, \"outputs\": [{\"name\": \"not_flag\"}, "
        + "{\"name\": \"out_i64\", \"parameters\": {\"binary_data\": false}}]}";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(h);
    body.writeBytes(bin.array());
    Http.Reply b = http.post("/v2/models/types/infer", body.toByteArray(), "Inference-Header-Content-Length",
        Integer.toString(h.length));
    assertEquals(200, b.status(), b.toString());
    int len = Integer.parseInt(b.header("Inference-Header-Content-Length"));
    JsonNode outs = b.json(len).get("outputs");
    assertEquals("not_flag", outs.get(0).get("name").asText());
    assertEquals(4, outs.get(0).get("parameters").get("binary_data_size").asInt());
    assertEquals("[9007199254740993,-1,0,42]", outs.get(1).get("data").toString());
    assertArrayEquals(new byte[] {0, 1, 1, 0}, java.util.Arrays.copyOfRange(b.body(), len, len + 4));
    assertEquals(len + 4, b.body().length);
  }

  @Test
  void fixedShapeModelRunsAtItsShape() {
    Http.Reply r = http.post("/v2/models/fixed/infer",
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [2, 3], \"data\": [-1, 2, -3, 4, -5, 6]}]}");
    assertEquals(200, r.status(), r.toString());
    assertEquals("[0.0,2.0,0.0,4.0,0.0,6.0]", r.json().get("outputs").get(0).get("data").toString());
  }

  @Test
  void metricsCountRequestsSamplesAndExecutions() {
    float[] x = randomImages(2, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, http.post("/v2/models/darts/versions/1/infer", imagesJson(x, 2)).status());
    }
    assertEquals(400, http.post("/v2/models/darts/versions/1/infer", "{\"inputs\": []}").status());
    Http.Reply m = http.get("/metrics");
    assertEquals(200, m.status(), m.toString());
    assertTrue(m.header("Content-Type").startsWith("text/plain"), m.header("Content-Type"));
    String text = m.text();
    String v1 = "{model=\"darts\",version=\"1\"}";
    assertTrue(metric(text, "nas_inference_request_success_total" + v1) >= 3, text);
    assertTrue(metric(text, "nas_inference_count_total" + v1) >= 6, text);
    assertTrue(metric(text, "nas_inference_exec_count_total" + v1) >= 1, text);
    assertTrue(metric(text, "nas_inference_request_failure_total{model=\"darts\",reason=\"invalid\",version=\"1\"}")
        >= 1, text);
    assertTrue(metric(text, "nas_inference_compute_infer_duration_us_total" + v1) > 0, text);
    assertTrue(metric(text, "nas_inference_request_duration_us_total" + v1)
        >= metric(text, "nas_inference_compute_infer_duration_us_total" + v1), text);
    assertNotNull(metric(text, "nas_inference_queue_duration_us_total" + v1));
    assertEquals(0, metric(text, "nas_inference_pending_request_count" + v1));
    // series exist for every loaded version (metric() fails on a missing one)
    assertTrue(metric(text, "nas_inference_exec_count_total{model=\"fixed\",version=\"1\"}") >= 0);
  }

  /** The value of one series in the text format. */
  static double metric(String text, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no series " + series + " in\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }
}
