package dev.nas.serve;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies all connections together hold in memory, against a limit, so that
 * many large or slow bodies at once are refused (503) instead of filling the heap. Bodies reserve
 * their buffers as the bytes arrive and release them when their answer has been sent.
 */
final class BodyBudget {
  private final long limit;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long limit) {
    this.limit = limit;
  }

  /** Reserves {@code bytes} if that keeps the total within the limit; returns whether it did. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > limit) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Bytes reserved now. */
  long held() {
    return held.get();
  }

  long limit() {
    return limit;
  }
}
