package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounded queue (503 when full), request timeouts (503 queued, 504 running) and graceful shutdown. */
class QueueTimeoutShutdownTest {
  @TempDir
  Path dir;

  private ModelServer start(GateBackend gate, int queue, ServerSettings settings) throws IOException {
    GateBackend.place(dir, "gate");
    return Servers.start(dir, Servers.settings(1, Duration.ZERO, queue, 1), settings, gate.backends());
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(Http http) {
    HttpRequest r = http.request("/v2/models/gate/infer").POST(HttpRequest.BodyPublishers.ofString(GateBackend.REQUEST))
        .build();
    return http.client.sendAsync(r, HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitQueued(ModelServer server, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.registry().version("gate", null).queued() < n) {
      assertTrue(System.nanoTime() < deadline, "requests never queued");
      Thread.sleep(5);
    }
  }

  @Test
  void fullQueueIsAnswered503AndTheQueuedRequestsStillRun() throws Exception {
    GateBackend gate = new GateBackend();
    try (ModelServer server = start(gate, 2, Servers.loopback())) {
      Http http = new Http(server.url());
      CompletableFuture<HttpResponse<String>> running = postAsync(http);
      assertEquals(1L, gate.started.poll(10, TimeUnit.SECONDS));
      CompletableFuture<HttpResponse<String>> q1 = postAsync(http);
      CompletableFuture<HttpResponse<String>> q2 = postAsync(http);
      awaitQueued(server, 2);

      Http.Reply full = http.post("/v2/models/gate/infer", GateBackend.REQUEST);
      assertEquals(503, full.status(), full.toString());
      assertTrue(full.json().get("error").asText().contains("queue of 'gate' v1 is full (2 requests waiting)"),
          full.toString());

      gate.permits.release(3);
      for (CompletableFuture<HttpResponse<String>> f : java.util.List.of(running, q1, q2)) {
        HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"data\":[3.0,-4.0]"), r.body());
      }
      String metrics = http.get("/metrics").text();
      assertEquals(1, EndToEndTest.metric(metrics,
          "nas_inference_request_failure_total{model=\"gate\",reason=\"rejected\",version=\"1\"}"), metrics);
      assertEquals(3, EndToEndTest.metric(metrics, "nas_inference_request_success_total{model=\"gate\",version=\"1\"}"));
    }
  }

  @Test
  void timeoutsAnswer504WhileRunningAnd503WhileQueued() throws Exception {
    GateBackend gate = new GateBackend();
    ServerSettings settings = Servers.loopback().withLimits(1 << 20, Duration.ofMillis(400));
    try (ModelServer server = start(gate, 4, settings)) {
      Http http = new Http(server.url());
      CompletableFuture<HttpResponse<String>> running = postAsync(http);
      assertEquals(1L, gate.started.poll(10, TimeUnit.SECONDS));
      CompletableFuture<HttpResponse<String>> queued = postAsync(http);

      HttpResponse<String> r = running.get(10, TimeUnit.SECONDS);
      assertEquals(504, r.statusCode(), r.body());
      assertTrue(r.body().contains("timed out after 400 ms while running"), r.body());
      HttpResponse<String> q = queued.get(10, TimeUnit.SECONDS);
      assertEquals(503, q.statusCode(), q.body());
      assertTrue(q.body().contains("waiting in the queue"), q.body());
      // the 503 can reach the client a moment before the queue drops the entry (seen under load)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (server.registry().version("gate", null).queued() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(0, server.registry().version("gate", null).queued(), "the timed-out request left the queue");

      gate.permits.release(2); // the first run completes late; its answer is gone
      CompletableFuture<HttpResponse<String>> after = postAsync(http);
      assertEquals(200, after.get(10, TimeUnit.SECONDS).statusCode());
      assertEquals(1L, gate.started.poll(1, TimeUnit.SECONDS), "the next request ran");
      assertNull(gate.started.poll(200, TimeUnit.MILLISECONDS), "the request that timed out in the queue never ran");
      String metrics = http.get("/metrics").text();
      assertEquals(2, EndToEndTest.metric(metrics,
          "nas_inference_request_failure_total{model=\"gate\",reason=\"timeout\",version=\"1\"}"), metrics);
    }
  }

  @Test
  void gracefulShutdownFinishesInFlightRequestsBeforeClosingModels() throws Exception {
    GateBackend gate = new GateBackend();
    ModelServer server = start(gate, 4, Servers.loopback().withGracePeriod(Duration.ofSeconds(20)));
    Http http = new Http(server.url());
    CompletableFuture<HttpResponse<String>> inFlight = postAsync(http);
    assertEquals(1L, gate.started.poll(10, TimeUnit.SECONDS));
    CompletableFuture<HttpResponse<String>> queued = postAsync(http);
    awaitQueued(server, 1);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    // new connections are refused while the in-flight requests finish
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket(server.url().getHost(), server.url().getPort())) {
        assertTrue(System.nanoTime() < deadline, "the server kept accepting connections");
        Thread.sleep(10);
      } catch (java.net.SocketException refused) {
        // refused, or reset while the listening socket closes (seen under load): either way the
        // server no longer accepts connections
        break;
      }
    }
    assertFalse(closing.isDone(), "close waits for the in-flight request");
    assertFalse(gate.closed.get(), "the model stays open while a request is in flight");

    gate.permits.release(2);
    HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("[3.0,-4.0]"), r.body());
    assertEquals(200, queued.get(10, TimeUnit.SECONDS).statusCode(), "the queued request ran too");
    closing.get(20, TimeUnit.SECONDS);
    assertTrue(gate.closed.get(), "the model is closed at the end");
    assertFalse(gate.runningWhenClosed, "nothing was running when the model closed");
    server.close(); // idempotent
    assertThrows(Exception.class, () -> new Socket(server.url().getHost(), server.url().getPort()).close());
  }
}
