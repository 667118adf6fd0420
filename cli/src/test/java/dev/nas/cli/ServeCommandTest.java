package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas serve} refuses unusable command lines and unloadable models before it listens. */
class ServeCommandTest {
  @TempDir
  static Path dir;
  static Path onnx;

  @BeforeAll
  static void exportModel() {
    Path net = dir.resolve("net");
    CliRunner d = CliRunner.run("derive", "--genotype", "DARTS_V2", "--channels", "4", "--layers", "3", "--input",
        "3x8x8", "--classes", "3", "--out", net.toString());
    assertEquals(0, d.status(), d.toString());
    onnx = dir.resolve("tiny.onnx");
    CliRunner e = CliRunner.run("export", "--net", net.toString(), "--out", onnx.toString());
    assertEquals(0, e.status(), e.toString());
  }

  private static CliRunner fails(int status, String expected, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "serve";
    System.arraycopy(args, 0, full, 1, args.length);
    CliRunner r = CliRunner.run(full);
    assertEquals(status, r.status(), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    assertFalse(r.out().contains("listening"), "nothing was served: " + r);
    return r;
  }

  @Test
  void usageErrors() {
    String m = onnx.toString();
    fails(2, "give exactly one of --repo DIR or --model", new String[0]);
    fails(2, "give exactly one of --repo DIR or --model", "--repo", dir.toString(), "--model", m);
    fails(2, "--name goes with --model", "--repo", dir.toString(), "--name", "x");
    fails(2, "--port must be at most 65535", "--model", m, "--port", "70000");
    fails(2, "--port expects an integer", "--model", m, "--port", "http");
    fails(2, "--max-batch must be positive", "--model", m, "--max-batch", "0");
    fails(2, "--max-queue-delay-us must not be negative", "--model", m, "--max-queue-delay-us", "-5");
    fails(2, "--workers must be positive", "--model", m, "--workers", "0");
    fails(2, "--queue must be positive", "--model", m, "--queue", "-1");
    fails(2, "--timeout-ms must be positive", "--model", m, "--timeout-ms", "0");
    fails(2, "--max-body-mb must be at most 2047", "--model", m, "--max-body-mb", "4096");
    fails(2, "--grace-period must not be negative", "--model", m, "--grace-period", "-1");
    fails(2, "--threads must be positive", "--model", m, "--threads", "0");
    fails(2, "model name 'a/b' may hold only", "--model", m, "--name", "a/b");
    fails(2, "--api-key or --api-key-file, not both", "--model", m, "--api-key", "k", "--api-key-file", "f");
    fails(2, "the API key must not be empty", "--model", m, "--api-key", " ");
    fails(2, "Unrecognized option", "--model", m, "--max-batch-size", "4");
  }

  @Test
  void unloadableModelsFailBeforeListening() throws Exception {
    fails(1, "no such file", "--model", dir.resolve("missing.onnx").toString());
    Path junk = Files.write(dir.resolve("junk.onnx"), new byte[] {7, 7, 7, 7, 7});
    fails(1, "not a valid ONNX model", "--model", junk.toString());
    Path plan = Files.write(dir.resolve("model.plan"), new byte[] {1});
    fails(1, "the sidecar of TensorRT plan", "--model", plan.toString());
    fails(1, "no such file", "--repo", dir.resolve("no-repo").toString());
    fails(1, "no models in repository", "--repo", Files.createDirectories(dir.resolve("empty-repo")).toString());
    fails(1, "no such file", "--model", onnx.toString(), "--api-key-file", dir.resolve("no-key").toString());
  }

  /** The real program in its own JVM: it serves, and SIGTERM shuts it down through the shutdown hook. */
  @Test
  void servesUntilSigterm() throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"), Nas.class.getName(),
        "serve", "--model", onnx.toString(), "--name", "tiny", "--port", "0")
        .redirectOutput(dir.resolve("serve.out").toFile()).redirectError(dir.resolve("serve.err").toFile()).start();
    try {
      String first = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!first.contains("\n") && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        first = Files.readString(dir.resolve("serve.out"));
      }
      assertTrue(first.startsWith("nas serve: listening on http://127.0.0.1:"), first + " / "
          + Files.readString(dir.resolve("serve.err")));
      String url = first.substring(first.indexOf("http://"), first.indexOf(" (KServe"));
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
          URI.create(url + "/v2/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), ready.body());
      String body = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 3, 8, 8], "
          + "\"data\": [" + "0.5, ".repeat(191) + "0.5]}]}";
      HttpResponse<String> infer = client.send(HttpRequest.newBuilder(
          URI.create(url + "/v2/models/tiny/infer")).POST(HttpRequest.BodyPublishers
          .ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, infer.statusCode(), infer.body());
      assertTrue(infer.body().contains("\"shape\":[1,3]"), infer.body());

      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server stopped");
      assertEquals(143, p.exitValue(), "killed by SIGTERM after the shutdown hook ran");
      String rest = Files.readString(dir.resolve("serve.out"));
      assertTrue(rest.contains("nas serve: stopping: finishing requests in flight\nnas serve: stopped"), rest);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void portInUseIsOneClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      fails(1, "cannot listen on 127.0.0.1:" + taken.getLocalPort(), "--model", onnx.toString(), "--port",
          Integer.toString(taken.getLocalPort()));
    }
  }
}
