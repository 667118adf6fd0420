package dev.nas.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body asynchronously into one array, up to a limit. Jetty's own accumulators
 * fail the request when the limit is passed, which races with answering it ourselves; this reader
 * just stops reading and reports the overflow, so the handler answers 413.
 */
final class BodyReader implements Runnable {
  /** What becomes of the body. */
  interface Sink {
    void body(byte[] bytes, int length);

    /** The body passed {@code limit} bytes after {@code read} bytes had arrived. */
    void tooLarge(long read);

    /** Reading failed, e.g. the client went away. */
    void failed(Throwable failure);
  }

  private final Request request;
  private final int limit;
  private final Sink sink;
  private byte[] bytes;
  private int length;

  private BodyReader(Request request, int limit, Sink sink) {
    this.request = request;
    this.limit = limit;
    this.sink = sink;
    long declared = request.getLength();
    this.bytes = new byte[declared >= 0 && declared <= limit ? (int) declared : Math.min(limit, 16 * 1024)];
  }

  /** Starts reading; {@code sink} is called once, on some thread. */
  static void read(Request request, int limit, Sink sink) {
    new BodyReader(request, limit, sink).run();
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        sink.failed(chunk.getFailure());
        return;
      }
      try {
        ByteBuffer b = chunk.getByteBuffer();
        int n = b.remaining();
        if ((long) length + n > limit) {
          sink.tooLarge((long) length + n);
          return;
        }
        if (length + n > bytes.length) {
          bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max((long) length + n, 2L * bytes.length)));
        }
        b.get(bytes, length, n);
        length += n;
      } finally {
        chunk.release();
      }
      if (chunk.isLast()) {
        sink.body(bytes, length);
        return;
      }
    }
  }
}
