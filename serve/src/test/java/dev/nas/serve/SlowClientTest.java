package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and stalled bodies: the server holds only the bytes that arrived, not what the clients
 * declare, bounds what all bodies together hold, answers a body that does not arrive in time
 * with 408, and keeps serving everyone else meanwhile. Loopback only; every connection is closed
 * by the server's answer or by the test.
 */
class SlowClientTest {
  private static final String PAIR = "/v2/models/pair/infer";
  private static final String GOOD = "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1, 4], "
      + "\"data\": [1, 2, 3, 4]}, {\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1, 4], "
      + "\"data\": [1, 1, 1, 1]}]}";

  @TempDir
  Path dir;

  /** A connection that sent the headers of a POST declaring {@code declared} bytes, and {@code sent} of them. */
  private static Socket stalled(ModelServer server, long declared, int sent) throws IOException {
    Socket s = new Socket(server.url().getHost(), server.port());
    s.setSoTimeout(60_000);
    OutputStream out = s.getOutputStream();
    out.write(("POST " + PAIR + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    byte[] body = new byte[sent];
    java.util.Arrays.fill(body, (byte) ' ');
    if (sent > 0) {
      body[0] = '{';
    }
    out.write(body);
    out.flush();
    return s;
  }

  /** Everything the server sends until it closes the connection. */
  private static String answer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing a test connection; nothing to do
      }
    }
  }

  @Test
  void manyStalledConnectionsDeclaring64MbHoldAlmostNothingAndGet408() throws Exception {
    TestModels.twoInTwoOut(dir.resolve("pair/1/model.onnx"));
    int connections = 100;
    Duration timeout = Duration.ofSeconds(4);
    try (ModelServer server = Servers.start(dir, Servers.settings(4, Duration.ofMillis(1), 16, 1),
        Servers.loopback().withLimits(64L << 20, timeout))) {
      List<Socket> sockets = new ArrayList<>();
      try {
        long started = System.nanoTime();
        for (int i = 0; i < connections; i++) {
          sockets.add(stalled(server, (64L << 20) - 1, 1));
        }
        // 100 x 64 MiB declared (6.4 GiB) would not fit the test's heap; only what arrived is held
        Http http = new Http(server.url());
        Http.Reply ok = http.post(PAIR, GOOD);
        assertEquals(200, ok.status(), "others are served meanwhile: " + ok);
        assertTrue(server.heldBodyBytes() <= connections * 8L * 1024, server.heldBodyBytes() + " bytes held");
        for (Socket s : sockets) {
          String a = answer(s);
          assertTrue(a.startsWith("HTTP/1.1 408"), a);
          assertTrue(a.contains("Connection: close"), a);
          assertTrue(a.contains("{\"error\":\"the request body did not arrive within the request timeout of 4000 ms "
              + "(1 of 67108863 bytes received)\"}"), a);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue(seconds < 60, "answered by the deadline, not by the client: " + seconds + " s");
        assertEquals(0, Servers.awaitNoHeldBodies(server));
        assertEquals(200, http.post(PAIR, GOOD).status(), "still serving");
      } finally {
        closeAll(sockets);
      }
    }
  }

  @Test
  void bodiesTogetherBeyondTheBudgetAreRefusedAndTheBudgetComesBack() throws Exception {
    TestModels.twoInTwoOut(dir.resolve("pair/1/model.onnx"));
    int body = 512 * 1024;
    try (ModelServer server = Servers.start(dir, Servers.settings(4, Duration.ofMillis(1), 16, 1),
        Servers.loopback().withLimits(body, Duration.ofSeconds(10)).withBufferedBodyBytes(2L * body))) {
      List<Socket> sockets = new ArrayList<>();
      try {
        // two bodies arrive but for their last byte and stall: their buffers, grown to the declared
        // length, hold the whole budget
        sockets.add(stalled(server, body, body - 1));
        sockets.add(stalled(server, body, body - 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.heldBodyBytes() < 2L * body && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals(2L * body, server.heldBodyBytes(), "both bodies are held, each at its declared length");
        Socket third = stalled(server, body, 100 * 1024);
        sockets.add(third);
        String refused = answer(third);
        assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
        assertTrue(refused.contains("Retry-After: 1"), refused);
        assertTrue(refused.contains("holds 1048576 bytes of request bodies, its limit of 1048576"), refused);
        // a small request needs a buffer too, and is refused the same way while the others hold it all
        Http http = new Http(server.url());
        assertEquals(503, http.post(PAIR, GOOD).status());
        assertTrue(answer(sockets.get(0)).startsWith("HTTP/1.1 408"));
        assertTrue(answer(sockets.get(1)).startsWith("HTTP/1.1 408"));
        assertEquals(0, Servers.awaitNoHeldBodies(server), "the stalled bodies were given back");
        assertEquals(200, http.post(PAIR, GOOD).status(), "served again once they were");
      } finally {
        closeAll(sockets);
      }
    }
  }
}
