package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests of every kind get a 4xx answer with {@code {"error": "..."}} naming the problem,
 * and leave the server live and answering correctly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRequestTest {
  private static final int BODY_LIMIT = 64 * 1024;
  private static final String PAIR = "/v2/models/pair/infer";
  private static final String TYPES = "/v2/models/types/infer";
  private static final String GOOD_B = "{\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 1, 1, 1]}";

  @TempDir
  static Path dir;
  static ModelServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    Path repo = dir.resolve("repo");
    TestModels.twoInTwoOut(repo.resolve("pair/1/model.onnx"));
    TestModels.allTypes(repo.resolve("types/1/model.onnx"));
    server = Servers.start(repo, Servers.settings(4, Duration.ofMillis(1), 16, 2),
        Servers.loopback().withLimits(BODY_LIMIT, Duration.ofSeconds(30)));
    http = new Http(server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A request to {@code pair} with input {@code a} as given and a good {@code b}. */
  private static String pairWithA(String a) {
    return "{\"inputs\": [" + a + ", " + GOOD_B + "]}";
  }

  private static String a(String shape, String data) {
    return "{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": " + shape + ", \"data\": " + data + "}";
  }

  /** A request to {@code types} where the input of {@code datatype} has {@code data}, the others good. */
  private static String typesWith(String name, String datatype, String data) {
    StringBuilder sb = new StringBuilder("{\"inputs\": [");
    String[][] all = {{"f64", "FP64", "[1, 2]"}, {"i32", "INT32", "[1, 2]"}, {"i64", "INT64", "[1, 2]"},
        {"i8", "INT8", "[1, 2]"}, {"u8", "UINT8", "[1, 2]"}, {"flag", "BOOL", "[true, false]"}};
    for (String[] in : all) {
      boolean mine = in[0].equals(name);
      sb.append(in == all[0] ? "" : ", ").append("{\"name\": \"").append(in[0]).append("\", \"datatype\": \"")
          .append(mine ? datatype : in[1]).append("\", \"shape\": [1, 2], \"data\": ").append(mine ? data : in[2])
          .append('}');
    }
    return sb.append("]}").toString();
  }

  private static byte[] withBinary(String json, byte[] binary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(binary);
    return out.toByteArray();
  }

  private static String len(String json) {
    return Integer.toString(json.getBytes(StandardCharsets.UTF_8).length);
  }

  private record Case(String name, int status, String fragment, Supplier<Http.Reply> call) {}

  private static final List<Case> CASES = new ArrayList<>();

  private static void bad(String name, int status, String fragment, Supplier<Http.Reply> call) {
    CASES.add(new Case(name, status, fragment, call));
  }

  private static void badPost(String name, String fragment, String body) {
    bad(name, 400, fragment, () -> http.post(PAIR, body));
  }

  static {
    // JSON that is not a request
    badPost("malformed JSON", "malformed JSON", "{\"inputs\": [");
    badPost("body is an array", "must be a JSON object", "[1, 2]");
    bad("empty body", 400, "must be a JSON object", () -> http.post(PAIR, ""));
    badPost("trailing data after the object", "unexpected data after", "{\"inputs\": []} {}");
    badPost("duplicate key", "Duplicate field", "{\"inputs\": [], \"inputs\": []}");
    badPost("nesting far too deep", "nesting depth", pairWithA(a("[1, 4]", "[".repeat(200) + "]".repeat(200))));
    bad("invalid UTF-8", 400, "malformed JSON", () -> http.post(PAIR, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28,
        '"', ':', '1', '}'}));
    // request structure
    badPost("no inputs", "has no inputs", "{}");
    badPost("empty inputs", "has no inputs", "{\"inputs\": []}");
    badPost("inputs not an array", "'inputs' must be an array", "{\"inputs\": {\"name\": \"a\"}}");
    badPost("input not an object", "must be an object", "{\"inputs\": [1]}");
    badPost("input without name", "has no name", pairWithA("{\"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}"));
    badPost("input without datatype", "has no datatype", pairWithA("{\"name\": \"a\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}"));
    badPost("input without shape", "has no shape", pairWithA("{\"name\": \"a\", \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}"));
    badPost("input without data", "has no 'data'", pairWithA("{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4]}"));
    badPost("data not an array", "data must be an array", pairWithA(a("[1, 4]", "5")));
    badPost("id not a string", "'id' must be a string", "{\"id\": 7, \"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + ", " + GOOD_B + "]}");
    badPost("binary_data_output not boolean", "binary_data_output", "{\"parameters\": {\"binary_data_output\": \"yes\"}, \"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + ", " + GOOD_B + "]}");
    // datatypes
    badPost("unknown datatype", "unknown datatype 'FLOAT32'", pairWithA("{\"name\": \"a\", \"datatype\": \"FLOAT32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}"));
    badPost("unsupported datatype", "FP16 is not supported", pairWithA("{\"name\": \"a\", \"datatype\": \"FP16\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}"));
    badPost("datatype not the model's", "is FP64 but", pairWithA("{\"name\": \"a\", \"datatype\": \"FP64\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}"));
    // shapes and element counts
    badPost("wrong rank", "has shape [4] but", pairWithA(a("[4]", "[1, 2, 3, 4]")));
    badPost("fixed dimension differs", "has shape [1, 5] but", pairWithA(a("[1, 5]", "[1, 2, 3, 4, 5]")));
    badPost("negative dimension", "dimensions must be positive", pairWithA(a("[-1, 4]", "[1, 2, 3, 4]")));
    badPost("zero dimension", "dimensions must be positive", pairWithA(a("[0, 4]", "[]")));
    badPost("fractional dimension", "must hold integers", pairWithA(a("[1.5, 4]", "[1, 2, 3, 4]")));
    badPost("dimension out of range", "out of range", pairWithA(a("[99999999999999999999, 4]", "[1]")));
    badPost("shape too large", "too large", pairWithA(a("[4611686018427387904, 4]", "[1]")));
    badPost("too few elements", "has 3 data elements but shape [1, 4] needs 4", pairWithA(a("[1, 4]", "[1, 2, 3]")));
    badPost("too many elements", "more data elements than shape", pairWithA(a("[1, 4]", "[1, 2, 3, 4, 5]")));
    badPost("ragged nested data", "not a regular nested array", pairWithA(a("[2, 4]", "[[1, 2, 3, 4], [5, 6, 7]]")));
    badPost("nesting not the shape", "nested data [1][8] does not match shape [2, 4]", pairWithA(a("[2, 4]", "[[1, 2, 3, 4, 5, 6, 7, 8]]")));
    badPost("inputs disagree on rows", "has shape", "{\"inputs\": [" + a("[2, 4]", "[1, 2, 3, 4, 5, 6, 7, 8]") + ", " + "{\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": [1, 1, 1]}]}");
    // element values
    badPost("string in float data", "must hold numbers; element 1 is a string", pairWithA(a("[1, 4]", "[1, \"2\", 3, 4]")));
    badPost("null in data", "element 0 is null", pairWithA(a("[1, 4]", "[null, 2, 3, 4]")));
    badPost("float overflow", "out of the range of FP32", pairWithA(a("[1, 4]", "[1e39, 2, 3, 4]")));
    bad("fraction for INT64", 400, "must hold integers", () -> http.post(TYPES, typesWith("i64", "INT64", "[1.5, 2]")));
    bad("INT8 out of range", 400, "out of the range of INT8", () -> http.post(TYPES, typesWith("i8", "INT8", "[300, 2]")));
    bad("negative UINT8", 400, "out of the range of UINT8", () -> http.post(TYPES, typesWith("u8", "UINT8", "[-1, 2]")));
    bad("INT64 overflow", 400, "out of the range of INT64", () -> http.post(TYPES, typesWith("i64", "INT64", "[9223372036854775808, 2]")));
    bad("numbers for BOOL", 400, "must hold true or false", () -> http.post(TYPES, typesWith("flag", "BOOL", "[1, 0]")));
    // names
    badPost("unknown input", "has no input 'c'", "{\"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + ", " + GOOD_B + ", {\"name\": \"c\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}");
    badPost("missing input", "missing input 'b'", "{\"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + "]}");
    badPost("input given twice", "given twice", "{\"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + ", " + a("[1, 4]", "[1, 2, 3, 4]") + "]}");
    badPost("unknown output", "has no output 'difference'", "{\"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + ", " + GOOD_B + "], \"outputs\": [{\"name\": \"difference\"}]}");
    badPost("output requested twice", "requested twice", "{\"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + ", " + GOOD_B + "], \"outputs\": [{\"name\": \"sum\"}, {\"name\": \"sum\"}]}");
    badPost("classification extension", "classification extension is not supported", "{\"inputs\": [" + a("[1, 4]", "[1, 2, 3, 4]") + ", " + GOOD_B + "], \"outputs\": [{\"name\": \"sum\", \"parameters\": {\"classification\": 2}}]}");
    // binary tensor data extension
    String binA = "{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"parameters\": {\"binary_data_size\": 16}}";
    String binJson = "{\"inputs\": [" + binA + ", " + GOOD_B + "]}";
    badPost("binary data without the header", "no Inference-Header-Content-Length header", binJson);
    bad("header length not a number", 400, "must be a byte count",
        () -> http.post(PAIR, withBinary(binJson, new byte[16]), "Inference-Header-Content-Length", "twelve"));
    bad("header length past the body", 400, "outside the body",
        () -> http.post(PAIR, withBinary(binJson, new byte[16]), "Inference-Header-Content-Length", "100000"));
    bad("header length cuts the JSON", 400, "malformed JSON",
        () -> http.post(PAIR, withBinary(binJson, new byte[16]), "Inference-Header-Content-Length", "20"));
    bad("binary section too short", 400, "runs past the end of the body",
        () -> http.post(PAIR, withBinary(binJson, new byte[10]), "Inference-Header-Content-Length", len(binJson)));
    bad("unclaimed binary bytes", 400, "not claimed by any input",
        () -> http.post(PAIR, withBinary(binJson, new byte[20]), "Inference-Header-Content-Length", len(binJson)));
    String wrongSize = "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"parameters\": "
        + "{\"binary_data_size\": 12}}, " + GOOD_B + "]}";
    bad("binary_data_size not the shape's", 400, "needs 16 bytes",
        () -> http.post(PAIR, withBinary(wrongSize, new byte[12]), "Inference-Header-Content-Length", len(wrongSize)));
    String both = "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4], "
        + "\"parameters\": {\"binary_data_size\": 16}}, " + GOOD_B + "]}";
    bad("both data and binary_data_size", 400, "both 'data' and",
        () -> http.post(PAIR, withBinary(both, new byte[16]), "Inference-Header-Content-Length", len(both)));
    // addressing
    bad("unknown model", 404, "unknown model 'nope'", () -> http.post("/v2/models/nope/infer", "{}"));
    bad("unknown version", 404, "has no version 9", () -> http.post("/v2/models/pair/versions/9/infer", "{}"));
    bad("version not a number", 400, "must be a non-negative integer", () -> http.get("/v2/models/pair/versions/latest"));
    bad("unknown path", 404, "no endpoint", () -> http.get("/v2/modelz"));
    bad("unknown model endpoint", 404, "no endpoint", () -> http.get("/v2/models/pair/stats"));
    bad("v1 path", 404, "no endpoint", () -> http.get("/v1/models/pair"));
    bad("GET on infer", 405, "use POST", () -> http.get(PAIR));
    bad("POST on health", 405, "use GET", () -> http.post("/v2/health/live", "{}"));
    bad("DELETE on a model", 405, "use GET", () -> http.send(http.request("/v2/models/pair").DELETE().build()));
    // transport
    bad("body over the limit", 413, "exceeds the limit",
        () -> http.post(PAIR, pairWithA(a("[1, 4]", "[1, 2, 3, 4" + ", 0".repeat(BODY_LIMIT / 3) + "]"))));
    bad("chunked body over the limit", 413, "exceeds the limit", () -> http.send(http.request(PAIR)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[BODY_LIMIT * 2])))
        .build()));
    bad("compressed body", 415, "Content-Encoding 'gzip' is not supported",
        () -> http.post(PAIR, new byte[] {31, -117, 8, 0}, "Content-Encoding", "gzip"));
  }

  @Order(1)
  @TestFactory
  Stream<DynamicTest> everyBadRequestGetsA4xxWithAnErrorMessage() {
    assertTrue(CASES.size() >= 30, CASES.size() + " cases");
    Set<String> names = new HashSet<>();
    CASES.forEach(c -> assertTrue(names.add(c.name()), "duplicate case " + c.name()));
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Http.Reply r = c.call().get();
      assertEquals(c.status(), r.status(), c.name() + ": " + r);
      assertEquals("application/json", r.header("Content-Type"), c.name());
      JsonNode error = r.json().get("error");
      assertTrue(error != null && error.isTextual(), c.name() + ": " + r);
      assertTrue(error.asText().contains(c.fragment()), c.name() + ": expected '" + c.fragment() + "' in " + r);
    }));
  }

  @Order(2)
  @Test
  void garbageHttpIsAnsweredByJettyInJson() {
    String answer = http.raw("THIS IS NOT HTTP\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.contains("{\"error\":"), answer);
    String ambiguous = http.raw("GET /v2/models/a%2Fb/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(ambiguous.startsWith("HTTP/1.1 4"), ambiguous);
  }

  @Order(3)
  @Test
  void serverStaysLiveAndCorrectAfterwards() {
    assertEquals(200, http.get("/v2/health/live").status());
    assertEquals(200, http.get("/v2/health/ready").status());
    Http.Reply r = http.post(PAIR, pairWithA(a("[2, 4]", "[[1, 2, 3, 4], [5, 6, 7, 8]]")).replace(GOOD_B,
        "{\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [2, 4], \"data\": [1, 1, 1, 1, 2, 2, 2, 2]}"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("[2.0,3.0,4.0,5.0,7.0,8.0,9.0,10.0]", r.json().get("outputs").get(0).get("data").toString());
    assertEquals("[1.0,2.0,3.0,4.0,10.0,12.0,14.0,16.0]", r.json().get("outputs").get(1).get("data").toString());
    String metrics = http.get("/metrics").text();
    assertTrue(EndToEndTest.metric(metrics,
        "nas_inference_request_failure_total{model=\"pair\",reason=\"invalid\",version=\"1\"}") >= 40, metrics);
  }
}
