package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.serve.model.ConfiguredModel;
import dev.nas.serve.model.ServedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository whose configurations ask for absurd resources: the server starts, starts no
 * threads for them, serves the good models, and gives for each hostile one its file, line and
 * reason.
 */
class RepositoryBoundsTest {
  @TempDir
  Path dir;

  private static final String IO = "input [ { name: \"a\" data_type: TYPE_FP32 dims: [ 4 ] } ]\n";

  @Test
  void hostileConfigurationsMakeOnlyTheirModelNotReady() throws Exception {
    Path repo = dir.resolve("repo");
    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, String[]> hostile = new LinkedHashMap<>();
    hostile.put("threads20000", new String[] {"max_batch_size: 8\ninstance_group [ { count: 20000 } ]\n",
        "config.pbtxt:2:", "add up to 20000; at most 1024"});
    hostile.put("threads200000", new String[] {"instance_group [\n  { count: 100000 },\n  { count: 100000 }\n]\n",
        "config.pbtxt:2:", "add up to 100000"});
    int tooMany = ConfiguredModel.INSTANCES_PER_CORE * cores + 1;
    hostile.put("threadsPerCore", new String[] {"\ninstance_group { count: " + tooMany + " }\n", "config.pbtxt:2:",
        "add up to " + tooMany + " workers; this machine allows at most " + (tooMany - 1)});
    hostile.put("delay2to64", new String[] {"max_batch_size: 8\ndynamic_batching {\n"
        + "  max_queue_delay_microseconds: 18446744073709551615\n}\n", "config.pbtxt:3:3",
        "max_queue_delay_microseconds 18446744073709551615 is more than"});
    hostile.put("delay27h", new String[] {"max_batch_size: 8\ndynamic_batching { max_queue_delay_microseconds: "
        + "97200000000 }\n", "config.pbtxt:2:", "97200000000 is more than the 10000000"});
    hostile.put("queue", new String[] {"max_batch_size: 8\ndynamic_batching { default_queue_policy "
        + "{ max_queue_size: 4294967295 } }\n", "config.pbtxt:2:", "max_queue_size 4294967295"});
    hostile.put("batch", new String[] {"max_batch_size: 2000000000\n", "config.pbtxt:1:1", "max_batch_size must be"});
    hostile.put("dims", new String[] {"max_batch_size: 8\ninput [ { name: \"a\" data_type: TYPE_FP32 dims: "
        + "[ 9223372036854775807 ] } ]\n", "config.pbtxt:2:", "a tensor must fit 2 GiB"});
    hostile.put("traversal", new String[] {"default_model_filename: \"../../../../etc/passwd\"\n",
        "config.pbtxt:1:1", "must be the name of a file in the version folder, not a path"});
    hostile.put("huge", new String[] {"# " + "x".repeat(2 << 20) + "\n", "config.pbtxt", "at most 1048576 bytes"});
    for (Map.Entry<String, String[]> e : hostile.entrySet()) {
      TestModels.twoInTwoOut(repo.resolve(e.getKey() + "/1/model.onnx"));
      Files.writeString(repo.resolve(e.getKey() + "/config.pbtxt"), e.getValue()[0]);
    }
    TestModels.twoInTwoOut(repo.resolve("good/1/model.onnx"));
    // fine, if unusual: every version (num_versions read unsigned) and a model file of another name
    TestModels.twoInTwoOut(repo.resolve("latest/1/model.onnx"));
    TestModels.twoInTwoOut(repo.resolve("latest/2/model.onnx"));
    Files.writeString(repo.resolve("latest/config.pbtxt"), "version_policy { latest { num_versions: 4294967295 } }\n");
    TestModels.twoInTwoOut(repo.resolve("named/1/pair.onnx"));
    Files.writeString(repo.resolve("named/config.pbtxt"), "default_model_filename: \"pair.onnx\"\nmax_batch_size: 4\n"
        + IO);
    Files.createDirectories(repo.resolve("unnamed/1"));
    Files.writeString(repo.resolve("unnamed/config.pbtxt"), "default_model_filename: \"absent.onnx\"\n");

    int threadsBefore = Thread.activeCount();
    try (ModelServer server = Servers.start(repo, Servers.settings(4, Duration.ofMillis(1), 8, 1),
        Servers.loopback())) {
      assertTrue(Thread.activeCount() < threadsBefore + 500, "no thread per hostile instance: "
          + Thread.activeCount());
      for (Map.Entry<String, String[]> e : hostile.entrySet()) {
        ServedModel m = server.registry().model(e.getKey());
        assertFalse(m.ready(), e.getKey());
        String problem = m.problem();
        Path config = repo.resolve(e.getKey() + "/config.pbtxt");
        assertTrue(problem != null && problem.contains(config.toString().replace("config.pbtxt", e.getValue()[1])),
            e.getKey() + ": expected " + e.getValue()[1] + " in " + problem);
        assertTrue(problem.contains(e.getValue()[2]), e.getKey() + ": expected '" + e.getValue()[2] + "' in "
            + problem);
      }
      Http http = new Http(server.url());
      String request = "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], "
          + "\"data\": [1, 2, 3, 4]},"
          + " {\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 1, 1, 1]}]}";
      for (String good : List.of("good", "latest", "named")) {
        Http.Reply r = http.post("/v2/models/" + good + "/infer", request);
        assertEquals(200, r.status(), good + ": " + r);
      }
      assertEquals(List.of(1L, 2L), List.copyOf(server.registry().model("latest").versions().keySet()));
      assertTrue(server.registry().model("unnamed").problems().get(0).contains("no model file absent.onnx"),
          server.registry().model("unnamed").problems().toString());
      Http.Reply ready = http.get("/v2/health/ready");
      assertEquals(400, ready.status());
      assertTrue(ready.json().get("error").asText().contains("traversal"), ready.toString());
    }
  }

  @Test
  void configuredTensorsMustFitTheModelFileAndBoundItsDynamicDimensions() throws Exception {
    Path repo = dir.resolve("tensors");
    String[][] unfit = {
        {"unknown", "max_batch_size: 8\ninput [ { name: \"c\" data_type: TYPE_FP32 dims: [ 4 ] } ]\n",
            "config.pbtxt:2:", "declares input 'c', which"},
        {"datatype", "max_batch_size: 8\ninput [ {\n  name: \"a\"\n  data_type: TYPE_INT64\n  dims: [ 4 ] } ]\n",
            "config.pbtxt:4:3", "input 'a' is TYPE_INT64 in the configuration but FP32"},
        {"dims", "max_batch_size: 8\noutput [ { name: \"sum\" data_type: TYPE_FP32 dims: [ 5 ] } ]\n",
            "config.pbtxt:2:", "output 'sum' has dims [5] after the batch dimension"},
        {"rank", "max_batch_size: 0\ninput [ { name: \"a\" data_type: TYPE_FP32 dims: [ 4 ] } ]\n",
            "config.pbtxt:2:", "shape [-1, 4]"}};
    for (String[] u : unfit) {
      TestModels.twoInTwoOut(repo.resolve(u[0] + "/1/model.onnx"));
      Files.writeString(repo.resolve(u[0] + "/config.pbtxt"), u[1]);
    }
    TestModels.anyWidth(repo.resolve("narrow/1/model.onnx"));
    Files.writeString(repo.resolve("narrow/config.pbtxt"), "max_batch_size: 8\n"
        + "input [ { name: \"x\" data_type: TYPE_FP32 dims: [ 16 ] } ]\n");
    TestModels.anyWidth(repo.resolve("wide/1/model.onnx"));
    try (ModelServer server = Servers.start(repo, Servers.settings(4, Duration.ofMillis(1), 8, 1),
        Servers.loopback())) {
      for (String[] u : unfit) {
        List<String> problems = server.registry().model(u[0]).problems();
        String expected = repo.resolve(u[0] + "/" + u[2]).toString();
        assertTrue(problems.size() == 1 && problems.get(0).contains(expected) && problems.get(0).contains(u[3]),
            u[0] + ": expected " + expected + " and '" + u[3] + "' in " + problems);
      }
      Http http = new Http(server.url());
      String row16 = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 16], \"data\": ["
          + "1, ".repeat(15) + "1]}]}";
      String row17 = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 17], \"data\": ["
          + "1, ".repeat(16) + "1]}]}";
      assertEquals(200, http.post("/v2/models/narrow/infer", row16).status());
      Http.Reply wide = http.post("/v2/models/narrow/infer", row17);
      assertEquals(400, wide.status(), wide.toString());
      assertTrue(wide.json().get("error").asText().contains("has shape [1, 17] but model 'narrow' version 1 expects "
          + "[-1, 16]"), wide.toString());
      assertEquals("[-1,16]", http.get("/v2/models/narrow").json().get("inputs").get(0).get("shape").toString(),
          "the metadata gives the configured shape");
      assertEquals(200, http.post("/v2/models/wide/infer", row17.replace("narrow", "wide")).status(),
          "without a configuration, the file's dynamic dimension takes any size");
    }
  }

  @Test
  void instancesWithinTheCoresAreServed() throws IOException {
    Path repo = dir.resolve("ok");
    TestModels.twoInTwoOut(repo.resolve("m/1/model.onnx"));
    Files.writeString(repo.resolve("m/config.pbtxt"), "max_batch_size: 8\ninstance_group [ { count: "
        + ConfiguredModel.INSTANCES_PER_CORE * Runtime.getRuntime().availableProcessors() + " } ]\n");
    try (ModelServer server = Servers.start(repo, Servers.settings(4, Duration.ofMillis(1), 8, 1),
        Servers.loopback())) {
      assertTrue(server.registry().ready(), server.registry().problems().toString());
    }
  }
}
