package dev.nas.serve;

import dev.nas.serve.protocol.InferCodec;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers by itself (an unparsable request line, oversized headers, an ambiguous URI,
 * a request during shutdown) in the server's own form, {@code {"error": "..."}}, rather than HTML.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    byte[] body = InferCodec.error(text(code, message));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(InferCodec.error(text(status, reason)));
  }

  private static String text(int code, String message) {
    String phrase = HttpStatus.getMessage(code);
    if (code == HttpStatus.INTERNAL_SERVER_ERROR_500) {
      return ApiHandler.INTERNAL; // Jetty's message here is a Java exception's text
    }
    return message == null || message.isBlank() || message.equals(phrase) ? phrase : phrase + ": " + message;
  }
}
