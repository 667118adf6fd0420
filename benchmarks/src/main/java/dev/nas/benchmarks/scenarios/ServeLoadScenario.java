package dev.nas.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.bench.MachineInfo;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.runtime.bench.OrtModel;
import dev.nas.runtime.triton.ModelRepository;
import dev.nas.serve.ModelServer;
import dev.nas.serve.ServerSettings;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.ModelRegistry;
import dev.nas.serve.model.ModelSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loopback load test of the model server: DARTS_V2 in a CIFAR macro exported to ONNX, served
 * in-process on 127.0.0.1, called by concurrent closed-loop clients (each sends its next request
 * when the last is answered) with requests of one 3×32×32 image, as JSON or as binary tensor data
 * (binary outputs too). Two servers, dynamic batching on and off, take the same load; the four
 * modes alternate in rounds after a warm-up. Then the scenario measures the server's overhead against calling ONNX Runtime
 * directly at batch 1 with the same thread count (one sequential client; direct, JSON and binary
 * calls interleaved so that they see the same machine state).
 *
 * <p>With {@code slowClients} above 0 a fifth mode runs in the same rounds: JSON, batching on,
 * while that many idle connections (each a POST declaring a 64 MiB body, of which it sends one
 * byte every 5 s) are open, and it reports the most body bytes the server held meanwhile.
 *
 * <p>Any non-200 answer, or an answer whose logits differ from a direct run by more than 1e-4,
 * counts as an error; the scenario exits with status 1 if there is one.
 *
 * <p>Usage: {@code ServeLoadScenario clients requests threads channels layers maxBatch delayUs workers
 * overheadRequests [slowClients]}, where {@code threads} are the intra-op threads of each worker and of the direct
 * session.
 */
public final class ServeLoadScenario {
  private static final int BODIES = 32;
  private static final int ROUNDS = 3;

  private ServeLoadScenario() {}

  /** One load run's outcome. */
  private record Load(String mode, LatencyStats latency, double seconds, int requests, int errors, double samples,
      double executions, long peakHeldBodyBytes) {
    double throughput() {
      return requests / seconds;
    }

    double averageBatch() {
      return samples / executions;
    }
  }

  public static void main(String[] args) throws Exception {
    int clients = Integer.parseInt(args[0]);
    int requests = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int channels = Integer.parseInt(args[3]);
    int layers = Integer.parseInt(args[4]);
    int maxBatch = Integer.parseInt(args[5]);
    int delayUs = Integer.parseInt(args[6]);
    int workers = Integer.parseInt(args[7]);
    int overheadRequests = Integer.parseInt(args[8]);
    int slowClients = args.length > 9 ? Integer.parseInt(args[9]) : 0;
    FeatureShape input = FeatureShape.of(3, 32, 32);

    Path dir = Files.createTempDirectory("nas-serve-load");
    Path repo = dir.resolve("repo");
    Path onnx = repo.resolve("dartsv2/1/model.onnx");
    Files.createDirectories(onnx.getParent());
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"),
        new MacroConfig(MacroConfig.Kind.CIFAR, channels, layers, 10, input, false));
    Graph graph = NetworkBuilder.build(spec);
    OnnxFiles.write(onnx, OnnxExporter.export(spec, graph, Initializer.of(graph, 1)));

    int pixels = (int) input.numel();
    List<float[]> images = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    List<byte[]> json = new ArrayList<>();
    List<byte[]> binary = new ArrayList<>();
    int binaryHeader;
    try (OrtModel direct = OrtModel.open(onnx, threads)) {
      SplittableRandom r = new SplittableRandom(42);
      for (int i = 0; i < BODIES; i++) {
        float[] x = new float[pixels];
        for (int k = 0; k < pixels; k++) {
          x[k] = (float) r.nextDouble();
        }
        images.add(x);
        expected.add(direct.run(x, new long[] {1, 3, 32, 32}).values());
        json.add(jsonBody(x));
        binary.add(binaryBody(x));
      }
    }
    binaryHeader = binaryHeaderLength();

    ModelSettings on = new ModelSettings(maxBatch, Duration.ofNanos(delayUs * 1000L), 1024, workers, threads);
    ModelSettings off = on.withoutBatching();
    System.err.printf(Locale.ROOT, "model: DARTS_V2 CIFAR macro C=%d, %d cells, 3x32x32 (%s); %d clients, %d "
        + "requests per mode in %d rounds; batching on: %s; %s%n", channels, layers, onnx, clients, requests, ROUNDS,
        on, MachineInfo.current().describe());

    List<Load> loads = new ArrayList<>();
    ServerMetrics onMetrics = new ServerMetrics();
    ServerMetrics offMetrics = new ServerMetrics();
    try (ModelServer onServer = ModelServer.start(ModelRegistry.load(ModelRepository.scan(repo), n -> on,
            Backends.defaults(), onMetrics), onMetrics, ServerSettings.defaults().withPort(0));
        ModelServer offServer = ModelServer.start(ModelRegistry.load(ModelRepository.scan(repo), n -> off,
            Backends.defaults(), offMetrics), offMetrics, ServerSettings.defaults().withPort(0))) {
      HttpClient client = client();
      List<Mode> modes = new ArrayList<>(List.of(new Mode("JSON, batching on", onServer, false),
          new Mode("JSON, batching off", offServer, false), new Mode("binary, batching on", onServer, true),
          new Mode("binary, batching off", offServer, true)));
      if (slowClients > 0) {
        modes.add(new Mode("JSON, on, " + slowClients + " slow", onServer, false, slowClients));
      }
      for (Mode m : modes) {
        m.errors += run(client, m, clients, Math.max(clients * 4, requests / 10), json, binary, binaryHeader,
            expected, null);
      }
      // Rounds alternate the modes, so that a change in the machine's load hits them all alike.
      for (int round = 0; round < ROUNDS; round++) {
        for (Mode m : modes) {
          String before = metricsText(client, m.server());
          try (SlowClients slow = new SlowClients(m.server(), m.slowClients)) {
            long t0 = System.nanoTime();
            m.errors += run(client, m, clients, requests / ROUNDS, json, binary, binaryHeader, expected, m.nanos);
            m.seconds += (System.nanoTime() - t0) / 1e9;
            m.peakHeld = Math.max(m.peakHeld, slow.peakHeld());
          }
          String after = metricsText(client, m.server());
          m.samples += metric(after, "nas_inference_count_total") - metric(before, "nas_inference_count_total");
          m.executions += metric(after, "nas_inference_exec_count_total")
              - metric(before, "nas_inference_exec_count_total");
        }
      }
      for (Mode m : modes) {
        Load l = new Load(m.name(), LatencyStats.fromNanos(m.nanos), m.seconds, m.nanos.size(), m.errors, m.samples,
            m.executions, m.peakHeld);
        System.err.printf(Locale.ROOT, "%s: %d requests in %.1f s, %.1f req/s, p50 %.2f ms, p99 %.2f ms, average "
            + "batch %.2f, %d errors%n", l.mode(), l.requests(), l.seconds(), l.throughput(), l.latency().p50Ms(),
            l.latency().p99Ms(), l.averageBatch(), l.errors());
        loads.add(l);
      }
    }

    // Overhead at batch 1: one worker with the direct session's thread count.
    ModelSettings single = new ModelSettings(1, Duration.ZERO, 16, 1, threads);
    List<Long> directNanos = new ArrayList<>();
    List<Long> jsonNanos = new ArrayList<>();
    List<Long> binaryNanos = new ArrayList<>();
    List<Long> healthNanos = new ArrayList<>();
    int overheadErrors = 0;
    ServerMetrics metrics = new ServerMetrics();
    try (OrtModel direct = OrtModel.open(onnx, threads);
        ModelServer server = ModelServer.start(ModelRegistry.load(ModelRepository.scan(repo), n -> single,
            Backends.defaults(), metrics), metrics, ServerSettings.defaults().withPort(0))) {
      HttpClient client = client();
      URI infer = server.url().resolve("/v2/models/dartsv2/infer");
      HttpRequest live = HttpRequest.newBuilder(server.url().resolve("/v2/health/live")).GET().build();
      int warmup = Math.max(20, overheadRequests / 10);
      for (int i = 0; i < warmup + overheadRequests; i++) {
        int b = i % BODIES;
        long t0 = System.nanoTime();
        float[] d = direct.run(images.get(b), new long[] {1, 3, 32, 32}).values();
        long t1 = System.nanoTime();
        HttpResponse<byte[]> rj = post(client, infer, json.get(b), null);
        long t2 = System.nanoTime();
        HttpResponse<byte[]> rb = post(client, infer, binary.get(b), binaryHeader);
        long t3 = System.nanoTime();
        int liveStatus = client.send(live, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        long t4 = System.nanoTime();
        overheadErrors += check(rj, expected.get(b), false) + check(rb, expected.get(b), true)
            + (maxDiff(d, expected.get(b)) == 0 ? 0 : 1) + (liveStatus == 200 ? 0 : 1);
        if (i >= warmup) {
          directNanos.add(t1 - t0);
          jsonNanos.add(t2 - t1);
          binaryNanos.add(t3 - t2);
          healthNanos.add(t4 - t3);
        }
      }
    }
    LatencyStats d = LatencyStats.fromNanos(directNanos);
    LatencyStats j = LatencyStats.fromNanos(jsonNanos);
    LatencyStats b = LatencyStats.fromNanos(binaryNanos);
    LatencyStats h = LatencyStats.fromNanos(healthNanos);

    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%-21s %9s %9s %9s %11s %10s %7s%n", "mode", "p50 ms", "p99 ms", "mean ms",
        "req/s", "avg batch", "errors"));
    for (Load l : loads) {
      table.append(String.format(Locale.ROOT, "%-21s %9.2f %9.2f %9.2f %11.1f %10.2f %7d%n", l.mode(),
          l.latency().p50Ms(), l.latency().p99Ms(), l.latency().meanMs(), l.throughput(), l.averageBatch(),
          l.errors()));
    }
    for (int k = 0; k + 1 < loads.size(); k += 2) {
      Load bon = loads.get(k);
      Load boff = loads.get(k + 1);
      table.append(String.format(Locale.ROOT, "%s batching on / off: throughput %.2fx, p50 %.2fx, p99 %.2fx%n",
          bon.mode().substring(0, bon.mode().indexOf(',')), bon.throughput() / boff.throughput(),
          bon.latency().p50Ms() / boff.latency().p50Ms(), bon.latency().p99Ms() / boff.latency().p99Ms()));
    }
    if (slowClients > 0) {
      Load quiet = loads.get(0);
      Load slow = loads.get(4);
      table.append(String.format(Locale.ROOT, "JSON batching on, with / without %d slow clients: throughput %.2fx, "
          + "p50 %.2fx, p99 %.2fx; peak body bytes held with them: %d (%.1f KiB per slow client)%n", slowClients,
          slow.throughput() / quiet.throughput(), slow.latency().p50Ms() / quiet.latency().p50Ms(),
          slow.latency().p99Ms() / quiet.latency().p99Ms(), slow.peakHeldBodyBytes(),
          slow.peakHeldBodyBytes() / 1024.0 / slowClients));
    }
    table.append(String.format(Locale.ROOT, "%nbatch 1, one sequential client, %d requests, %d intra-op thread(s):%n",
        overheadRequests, threads));
    table.append(String.format(Locale.ROOT, "%-22s %9s %9s %12s%n", "", "p50 ms", "p99 ms", "p50 / direct"));
    table.append(String.format(Locale.ROOT, "%-22s %9.3f %9.3f %12s%n", "ONNX Runtime direct", d.p50Ms(), d.p99Ms(),
        "1.00x"));
    table.append(String.format(Locale.ROOT, "%-22s %9.3f %9.3f %11.2fx%n", "nas serve, JSON", j.p50Ms(), j.p99Ms(),
        j.p50Ms() / d.p50Ms()));
    table.append(String.format(Locale.ROOT, "%-22s %9.3f %9.3f %11.2fx%n", "nas serve, binary", b.p50Ms(), b.p99Ms(),
        b.p50Ms() / d.p50Ms()));
    table.append(String.format(Locale.ROOT, "%-22s %9.3f %9.3f %12s%n", "HTTP GET health/live", h.p50Ms(), h.p99Ms(),
        "-"));
    table.append(String.format(Locale.ROOT, "server overhead at p50: JSON +%.3f ms, binary +%.3f ms (an empty HTTP "
        + "round trip: %.3f ms)%n", j.p50Ms() - d.p50Ms(), b.p50Ms() - d.p50Ms(), h.p50Ms()));
    long peakRss = peakRssBytes();
    if (peakRss >= 0) {
      table.append(String.format(Locale.ROOT, "peak resident memory of this JVM (servers and clients): %.0f MiB%n",
          peakRss / 1048576.0));
    }
    System.err.print(table);

    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", "DARTS_V2 CIFAR macro C=" + channels + ", " + layers + " cells, 3x32x32");
    out.put("clients", clients);
    out.put("requestsPerMode", requests);
    out.put("threads", threads);
    out.put("workers", workers);
    out.put("maxBatch", maxBatch);
    out.put("maxQueueDelayUs", delayUs);
    out.put("slowClients", slowClients);
    ArrayNode modes = out.putArray("load");
    for (Load l : loads) {
      ObjectNode m = modes.addObject().put("mode", l.mode()).put("requests", l.requests()).put("errors", l.errors())
          .put("seconds", l.seconds()).put("throughput", l.throughput()).put("averageBatch", l.averageBatch())
          .put("peakHeldBodyBytes", l.peakHeldBodyBytes());
      m.set("latency", Json.MAPPER.valueToTree(l.latency()));
    }
    ObjectNode o = out.putObject("overheadBatch1");
    o.put("requests", overheadRequests).put("errors", overheadErrors);
    o.set("direct", Json.MAPPER.valueToTree(d));
    o.set("serveJson", Json.MAPPER.valueToTree(j));
    o.set("serveBinary", Json.MAPPER.valueToTree(b));
    o.set("httpHealthRoundTrip", Json.MAPPER.valueToTree(h));
    out.put("peakRssBytes", peakRss);
    out.put("machine", MachineInfo.current().describe());
    System.out.print(Json.write(out));

    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    int errors = overheadErrors + loads.stream().mapToInt(Load::errors).sum();
    if (errors > 0) {
      System.err.println("FAILED: " + errors + " errors");
      System.exit(1);
    }
  }

  /** One server and body kind under load, with what its rounds measured. */
  private static final class Mode {
    final String name;
    final ModelServer server;
    final boolean binaryBodies;
    final int slowClients;
    final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    double seconds;
    int errors;
    double samples;
    double executions;
    long peakHeld;

    Mode(String name, ModelServer server, boolean binaryBodies) {
      this(name, server, binaryBodies, 0);
    }

    Mode(String name, ModelServer server, boolean binaryBodies, int slowClients) {
      this.name = name;
      this.server = server;
      this.binaryBodies = binaryBodies;
      this.slowClients = slowClients;
    }

    String name() {
      return name;
    }

    ModelServer server() {
      return server;
    }
  }

  /**
   * Closed-loop clients sending {@code total} requests between them; returns the error count.
   * Latencies go to {@code nanos} unless it is null (warm-up).
   */
  private static int run(HttpClient client, Mode mode, int clients, int total, List<byte[]> json,
      List<byte[]> binary, int binaryHeader, List<float[]> expected, List<Long> nanos) throws InterruptedException {
    URI infer = mode.server().url().resolve("/v2/models/dartsv2/infer");
    List<byte[]> bodies = mode.binaryBodies ? binary : json;
    Integer header = mode.binaryBodies ? binaryHeader : null;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong firstError = new AtomicLong(-1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          int b = i % bodies.size();
          try {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = post(client, infer, bodies.get(b), header);
            if (nanos != null) {
              nanos.add(System.nanoTime() - t0);
            }
            // Checking every answer would load the client side; every 16th is compared with ONNX Runtime.
            int bad = r.statusCode() != 200 ? 1 : i % 16 == 0 ? check(r, expected.get(b), mode.binaryBodies) : 0;
            if (bad > 0 && firstError.compareAndSet(-1, i)) {
              System.err.println("error on request " + i + ": " + r.statusCode() + " "
                  + new String(r.body(), StandardCharsets.UTF_8));
            }
            errors.addAndGet(bad);
          } catch (Exception e) {
            errors.incrementAndGet();
            if (firstError.compareAndSet(-1, i)) {
              System.err.println("error on request " + i + ": " + e);
            }
          }
        }
      }, "client-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return errors.get();
  }

  /**
   * Idle clients on loopback: each sends the headers of a POST declaring a 64 MiB body, then one
   * byte of it every 5 s, until closed. Meanwhile the server's held body bytes are sampled.
   */
  private static final class SlowClients implements AutoCloseable {
    private final ModelServer server;
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread trickle;
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean open = true;

    SlowClients(ModelServer server, int count) throws IOException {
      this.server = server;
      byte[] head = ("POST /v2/models/dartsv2/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
          + "\r\nContent-Length: " + ((64 << 20) - 1) + "\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < count; i++) {
        Socket s = new Socket(server.url().getHost(), server.port());
        sockets.add(s);
        s.getOutputStream().write(head);
        s.getOutputStream().flush();
      }
      trickle = new Thread(this::trickle, "slow-clients");
      trickle.setDaemon(true);
      trickle.start();
    }

    private void trickle() {
      long nextByte = System.nanoTime() + 5_000_000_000L;
      while (open) {
        peak.accumulateAndGet(server.heldBodyBytes(), Math::max);
        if (System.nanoTime() >= nextByte) {
          nextByte += 5_000_000_000L;
          for (Socket s : sockets) {
            try {
              s.getOutputStream().write(' ');
            } catch (IOException e) {
              // the server answered this one (408 after the request timeout) and closed it
            }
          }
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long peakHeld() {
      return peak.get();
    }

    @Override
    public void close() throws IOException, InterruptedException {
      open = false;
      trickle.join();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** The process's peak resident set (VmHWM), or -1 where /proc does not give it. */
  private static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or not readable: the figure is left out
    }
    return -1;
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpResponse<byte[]> post(HttpClient client, URI uri, byte[] body, Integer headerLength)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headerLength != null) {
      b.header("Inference-Header-Content-Length", headerLength.toString());
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** 0 when the answer holds the expected logits (within 1e-4), else 1. */
  private static int check(HttpResponse<byte[]> r, float[] expected, boolean binaryOut) throws Exception {
    if (r.statusCode() != 200) {
      return 1;
    }
    float[] got = new float[expected.length];
    if (binaryOut) {
      int len = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElse("-1"));
      ByteBuffer.wrap(r.body(), len, got.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
    } else {
      JsonNode data = Json.MAPPER.readTree(r.body()).get("outputs").get(0).get("data");
      for (int i = 0; i < got.length; i++) {
        got[i] = data.get(i).floatValue();
      }
    }
    return maxDiff(got, expected) <= 1e-4 ? 0 : 1;
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = a.length == b.length ? 0 : Double.POSITIVE_INFINITY;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static byte[] jsonBody(float[] x) {
    ObjectNode req = Json.MAPPER.createObjectNode();
    ObjectNode in = req.putArray("inputs").addObject().put("name", "input").put("datatype", "FP32");
    in.putArray("shape").add(1).add(3).add(32).add(32);
    ArrayNode data = in.putArray("data");
    for (float v : x) {
      data.add(v);
    }
    return req.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String binaryHeader() {
    return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],"
        + "\"parameters\":{\"binary_data_size\":12288}}],\"parameters\":{\"binary_data_output\":true}}";
  }

  private static int binaryHeaderLength() {
    return binaryHeader().getBytes(StandardCharsets.UTF_8).length;
  }

  private static byte[] binaryBody(float[] x) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(binaryHeader().getBytes(StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    out.writeBytes(b.array());
    return out.toByteArray();
  }

  private static String metricsText(HttpClient client, ModelServer server) throws Exception {
    return new String(client.send(HttpRequest.newBuilder(server.url().resolve("/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8);
  }

  private static double metric(String text, String name) {
    Matcher m = Pattern.compile("^" + name + "\\{model=\"dartsv2\",version=\"1\"\\} (\\S+)$", Pattern.MULTILINE)
        .matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in the metrics");
    }
    return Double.parseDouble(m.group(1));
  }
}
