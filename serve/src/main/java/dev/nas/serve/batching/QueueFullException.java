package dev.nas.serve.batching;

/** A job refused because its model's queue holds as many jobs as it may; answered with 503. */
public final class QueueFullException extends Exception {
  private static final long serialVersionUID = 1L;

  public QueueFullException(String message) {
    super(message);
  }
}
