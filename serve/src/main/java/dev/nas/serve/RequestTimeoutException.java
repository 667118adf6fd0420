package dev.nas.serve;

/** An inference request not answered within the request timeout. */
final class RequestTimeoutException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean started;

  RequestTimeoutException(String message, boolean started) {
    super(message);
    this.started = started;
  }

  /** Whether the request was running (504) rather than still queued (503). */
  boolean started() {
    return started;
  }
}
