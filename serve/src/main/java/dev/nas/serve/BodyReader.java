package dev.nas.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body asynchronously into one array, up to a limit and a deadline.
 *
 * <p>The array grows with the bytes that arrived (at most doubling), never to the length a client
 * declares before sending it, and each growth is reserved from the server's {@link BodyBudget}, so
 * idle connections that declare large bodies cost nothing and many large bodies at once are
 * refused rather than filling the heap. Jetty's own accumulators fail the request when a limit is
 * passed, which races with answering it ourselves; this reader just stops reading and reports,
 * so the handler answers 413, 503 or 408. The reservation lasts until {@link #release}, called
 * when the answer has been sent, since the decoded request points into the array until then.
 */
final class BodyReader implements Runnable {
  /** What becomes of the body; exactly one method is called, once, on some thread. */
  interface Sink {
    void body(byte[] bytes, int length);

    /** The body passed the size limit after {@code read} bytes had arrived. */
    void tooLarge(long read);

    /** Holding more of this body would pass the bytes all bodies together may hold. */
    void overBudget(long read, long held, long limit);

    /** The whole body did not arrive before the deadline; {@code read} bytes had. */
    void timedOut(long read);

    /** Reading failed, e.g. the client went away. */
    void failed(Throwable failure);
  }

  /**
   * The first buffer: this large, or the first chunk's size, or the declared length when that is
   * smaller. Small, so that an idle connection holds next to nothing of the budget.
   */
  private static final int FIRST_BYTES = 4 * 1024;
  private static final byte[] EMPTY = new byte[0];

  private final Request request;
  private final int limit;
  private final long declared;
  private final BodyBudget budget;
  private Sink sink;
  private ScheduledFuture<?> deadline;
  private byte[] bytes = EMPTY;
  private int length;
  private long reserved;
  /** Reading is over: the sink has been, or is about to be, called. */
  private boolean done;

  BodyReader(Request request, int limit, BodyBudget budget) {
    this.request = request;
    this.limit = limit;
    this.declared = request.getLength();
    this.budget = budget;
  }

  /** Starts reading; {@code sink} is called once. The body must be complete within {@code nanosLeft}. */
  void start(ScheduledExecutorService timer, long nanosLeft, Sink sink) {
    synchronized (this) {
      this.sink = sink;
      deadline = timer.schedule(this::expire, Math.max(nanosLeft, 0), TimeUnit.NANOSECONDS);
    }
    run();
  }

  @Override
  public void run() {
    Runnable outcome;
    synchronized (this) {
      outcome = readAvailable();
    }
    if (outcome != null) {
      outcome.run();
    }
  }

  /** Reads what has arrived; the sink call to make once the lock is released, or null to wait for more. */
  private Runnable readAvailable() {
    while (!done) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return null;
      }
      if (Content.Chunk.isFailure(chunk)) {
        Throwable failure = chunk.getFailure();
        if (failure instanceof TimeoutException) {
          long read = length;
          return finish(() -> sink.timedOut(read)); // Jetty's idle timeout: the client stopped sending
        }
        return finish(() -> sink.failed(failure));
      }
      try {
        ByteBuffer b = chunk.getByteBuffer();
        int n = b.remaining();
        if ((long) length + n > limit) {
          long read = (long) length + n;
          return finish(() -> sink.tooLarge(read));
        }
        if (length + n > bytes.length && !grow(length + n)) {
          long read = (long) length + n;
          long held = budget.held();
          return finish(() -> sink.overBudget(read, held, budget.limit()));
        }
        b.get(bytes, length, n);
        length += n;
      } finally {
        chunk.release();
      }
      if (chunk.isLast()) {
        byte[] body = bytes;
        int size = length;
        return finish(() -> sink.body(body, size));
      }
    }
    return null;
  }

  /** Grows the array to hold {@code needed} bytes, reserving the growth; false when the budget refuses it. */
  private boolean grow(int needed) {
    long most = declared >= 0 && declared <= limit ? Math.max(declared, needed) : limit;
    long wanted = Math.min(most, Math.max(needed, bytes.length == 0 ? FIRST_BYTES : 2L * bytes.length));
    long more = wanted - bytes.length;
    if (!budget.tryReserve(more)) {
      return false;
    }
    reserved += more;
    try {
      bytes = Arrays.copyOf(bytes, (int) wanted);
    } catch (OutOfMemoryError e) {
      // the budget should prevent this; if the heap is short anyway, refuse this body, not the server
      return false;
    }
    return true;
  }

  private Runnable finish(Runnable call) {
    done = true;
    if (deadline != null) {
      deadline.cancel(false);
    }
    return call;
  }

  private void expire() {
    Runnable outcome;
    synchronized (this) {
      if (done) {
        return;
      }
      long read = length;
      outcome = finish(() -> sink.timedOut(read));
    }
    outcome.run();
  }

  /** Ends reading, if it has not ended, and gives this body's bytes back to the budget. Idempotent. */
  synchronized void release() {
    done = true;
    if (deadline != null) {
      deadline.cancel(false);
    }
    budget.release(reserved);
    reserved = 0;
  }
}
