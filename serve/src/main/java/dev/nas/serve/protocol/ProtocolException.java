package dev.nas.serve.protocol;

/**
 * A request the server cannot act on, with the HTTP status to answer and a message for the client;
 * answered as {@code {"error": message}}.
 */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ProtocolException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** A 400 Bad Request. */
  public static ProtocolException badRequest(String message) {
    return new ProtocolException(400, message);
  }

  public int status() {
    return status;
  }
}
