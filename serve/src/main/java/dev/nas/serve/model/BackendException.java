package dev.nas.serve.model;

/** A model that failed while running on particular inputs; answered with 400 and the reason. */
public final class BackendException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
