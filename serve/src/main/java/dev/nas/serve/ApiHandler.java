package dev.nas.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.serve.batching.Job;
import dev.nas.serve.batching.JobResult;
import dev.nas.serve.batching.QueueFullException;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.metrics.VersionMetrics.Failure;
import dev.nas.serve.metrics.VersionMetrics;
import dev.nas.serve.model.BackendException;
import dev.nas.serve.model.ModelRegistry;
import dev.nas.serve.model.ModelVersion;
import dev.nas.serve.model.PreparedRequest;
import dev.nas.serve.model.ServedModel;
import dev.nas.serve.protocol.InferCodec;
import dev.nas.serve.protocol.InferRequest;
import dev.nas.serve.protocol.InferResponse;
import dev.nas.serve.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol endpoints and {@code /metrics}, on Jetty's core handler API.
 *
 * <p>An inference request never holds an HTTP thread while it waits: the body is read
 * asynchronously, the job queued on its model's batcher, and the answer written from an HTTP pool
 * thread when the job completes or its timeout fires. Every failure is answered with a status
 * and {@code {"error": "..."}}.
 */
final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  static final List<String> EXTENSIONS = List.of("binary_tensor_data");
  /** What a client is told of a failure of the server's own: the details go to the log, not to clients. */
  static final String INTERNAL = "internal error; the server's log has the details";

  private final ModelRegistry registry;
  private final ServerMetrics metrics;
  private final ServerSettings settings;
  private final String serverVersion;
  private final ScheduledExecutorService timer;
  private final byte[] expectedToken;
  private final BodyBudget bodies;

  ApiHandler(ModelRegistry registry, ServerMetrics metrics, ServerSettings settings, String serverVersion,
      ScheduledExecutorService timer) {
    this.registry = registry;
    this.metrics = metrics;
    this.settings = settings;
    this.serverVersion = serverVersion;
    this.timer = timer;
    this.expectedToken = settings.apiKey() == null ? null : settings.apiKey().getBytes(StandardCharsets.UTF_8);
    this.bodies = new BodyBudget(settings.maxBufferedBodyBytes());
  }

  /** Bytes of request bodies held in memory now, by all connections together. */
  long heldBodyBytes() {
    return bodies.held();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long arrived = System.nanoTime();
    try {
      String path = request.getHttpURI().getDecodedPath();
      Route route = Route.parse(path);
      if (route == null) {
        throw new ProtocolException(404, "no endpoint " + request.getMethod() + " " + path);
      }
      if (!route.kind().method.equals(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, route.kind().method);
        throw new ProtocolException(405, request.getMethod() + " is not allowed on " + path + "; use "
            + route.kind().method);
      }
      if (!route.open() && !authorized(request)) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"nas\"");
        throw new ProtocolException(401, "missing or wrong API key: send 'Authorization: Bearer <key>'");
      }
      switch (route.kind()) {
        case LIVE -> send(response, callback, 200, JsonBodies.object().put("live", true));
        case READY -> ready(response, callback);
        case SERVER_METADATA -> send(response, callback, 200,
            JsonBodies.serverMetadata("nas", serverVersion, EXTENSIONS));
        case MODEL_METADATA -> modelMetadata(route, response, callback);
        case MODEL_READY -> modelReady(route, response, callback);
        case METRICS -> send(response, callback, 200, ServerMetrics.CONTENT_TYPE, metrics.scrape());
        case INFER -> infer(route, request, response, callback, arrived);
        default -> throw new IllegalStateException("unrouted " + route);
      }
    } catch (ProtocolException e) {
      closeIfBodyMayBeUnread(request, response);
      send(response, callback, e.status(), JsonBodies.error(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("unexpected failure answering {} {}", request.getMethod(), request.getHttpURI(), e);
      closeIfBodyMayBeUnread(request, response);
      send(response, callback, 500, JsonBodies.error(INTERNAL));
    }
    return true;
  }

  /**
   * An error answered before the request body was read leaves bytes on the connection, which Jetty
   * then closes; saying so in the response keeps clients from sending their next request on a
   * connection that is about to close (which they see as a reply of no bytes).
   */
  private static void closeIfBodyMayBeUnread(Request request, Response response) {
    if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }

  /**
   * Whether the request carries the API key as {@code Authorization: Bearer <key>}; the scheme is
   * case-insensitive and may be followed by several spaces (RFC 7235).
   */
  private boolean authorized(Request request) {
    if (expectedToken == null) {
      return true;
    }
    String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (given == null) {
      return false;
    }
    given = given.strip();
    int space = given.indexOf(' ');
    if (space < 0 || !given.substring(0, space).equalsIgnoreCase("Bearer")) {
      return false;
    }
    byte[] token = given.substring(space + 1).strip().getBytes(StandardCharsets.UTF_8);
    // Constant-time comparison, so response times do not reveal how much of a guess was right.
    return MessageDigest.isEqual(token, expectedToken);
  }

  private void ready(Response response, Callback callback) {
    if (registry.ready()) {
      send(response, callback, 200, JsonBodies.object().put("ready", true));
    } else {
      send(response, callback, 400, JsonBodies.error("not every model is ready: "
          + String.join("; ", registry.problems())).put("ready", false));
    }
  }

  private void modelMetadata(Route route, Response response, Callback callback) throws ProtocolException {
    ServedModel model = registry.model(route.model());
    ModelVersion v = registry.version(route.model(), route.version());
    if (!v.ready()) {
      throw ProtocolException.badRequest(v.label() + " is not ready: " + v.reason());
    }
    send(response, callback, 200, JsonBodies.modelMetadata(model, v));
  }

  private void modelReady(Route route, Response response, Callback callback) throws ProtocolException {
    ModelVersion v = registry.version(route.model(), route.version());
    ObjectNode body = v.ready() ? JsonBodies.object() : JsonBodies.error(v.label() + " is not ready: " + v.reason());
    body.put("name", v.model()).put("version", v.versionString()).put("ready", v.ready());
    send(response, callback, v.ready() ? 200 : 400, body);
  }

  private void infer(Route route, Request request, Response response, Callback callback, long arrived)
      throws ProtocolException {
    ModelVersion v = registry.version(route.model(), route.version());
    VersionMetrics vm = v.metrics();
    try {
      if (!v.ready()) {
        throw ProtocolException.badRequest(v.label() + " is not ready: " + v.reason());
      }
      String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
      if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
        throw new ProtocolException(415, "Content-Encoding '" + encoding + "' is not supported; send the body "
            + "uncompressed");
      }
      if (request.getLength() > settings.maxBodyBytes()) {
        throw tooLarge(request.getLength(), true);
      }
    } catch (ProtocolException e) {
      vm.failed(e.status() == 503 ? Failure.REJECTED : Failure.INVALID);
      throw e;
    }
    String headerLength = request.getHeaders().get(InferCodec.HEADER_LENGTH);
    BodyReader reader = new BodyReader(request, (int) settings.maxBodyBytes(), bodies);
    Callback answered = Callback.from(callback, reader::release);
    long left = settings.requestTimeout().toNanos() - (System.nanoTime() - arrived);
    reader.start(timer, left, new BodyReader.Sink() {
      @Override
      public void body(byte[] bytes, int length) {
        try {
          run(v, bytes, length, headerLength, response, answered, arrived);
        } catch (ProtocolException e) {
          vm.failed(e.status() == 503 ? Failure.REJECTED : Failure.INVALID);
          send(response, answered, e.status(), JsonBodies.error(e.getMessage()));
        } catch (RuntimeException e) {
          vm.failed(Failure.BACKEND);
          LOG.error("unexpected failure handling a request to {}", v.label(), e);
          send(response, answered, 500, JsonBodies.error(INTERNAL));
        }
      }

      @Override
      public void tooLarge(long read) {
        vm.failed(Failure.INVALID);
        closeIfBodyMayBeUnread(request, response);
        send(response, answered, 413, JsonBodies.error(ApiHandler.this.tooLarge(read, false).getMessage()));
      }

      @Override
      public void overBudget(long read, long held, long limit) {
        vm.failed(Failure.REJECTED);
        closeIfBodyMayBeUnread(request, response);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
        send(response, answered, 503, JsonBodies.error("the server holds " + held + " bytes of request bodies, its "
            + "limit of " + limit + ", so it cannot take this one (" + read + " bytes so far); retry later"));
      }

      @Override
      public void timedOut(long read) {
        vm.failed(Failure.TIMEOUT);
        closeIfBodyMayBeUnread(request, response);
        send(response, answered, 408, JsonBodies.error("the request body did not arrive within the request timeout "
            + "of " + settings.requestTimeout().toMillis() + " ms (" + read + (request.getLength() >= 0 ? " of "
            + request.getLength() : "") + " bytes received)"));
      }

      @Override
      public void failed(Throwable failure) {
        answered.failed(failure); // the client went away while sending
      }
    });
  }

  private ProtocolException tooLarge(long bytes, boolean exact) {
    return new ProtocolException(413, "request body of " + bytes + " bytes" + (exact ? "" : " or more")
        + " exceeds the limit of " + settings.maxBodyBytes() + " bytes");
  }

  private void run(ModelVersion v, byte[] body, int length, String headerLength, Response response,
      Callback callback, long arrived) throws ProtocolException {
    InferRequest request = InferCodec.decodeRequest(body, length, headerLength, v::checkInput);
    PreparedRequest prepared = v.prepare(request);
    Job job = prepared.job();
    try {
      v.submit(job);
    } catch (QueueFullException e) {
      throw new ProtocolException(503, e.getMessage());
    } catch (RejectedExecutionException e) {
      throw new ProtocolException(503, "the server is shutting down");
    }
    long left = settings.requestTimeout().toNanos() - (System.nanoTime() - arrived);
    ScheduledFuture<?> timeout = timer.schedule(() -> expire(v, job), Math.max(left, 0), TimeUnit.NANOSECONDS);
    Executor responder = getServer().getThreadPool();
    job.future().whenCompleteAsync((result, failure) -> {
      timeout.cancel(false);
      respond(v, request, prepared, result, failure, response, callback, arrived);
    }, responder);
  }

  private void expire(ModelVersion v, Job job) {
    boolean started = job.started();
    String message = "request to " + v.label() + " timed out after " + settings.requestTimeout().toMillis() + " ms "
        + (started ? "while running" : "waiting in the queue");
    if (job.future().completeExceptionally(new RequestTimeoutException(message, started))) {
      v.cancel(job);
    }
  }

  private void respond(ModelVersion v, InferRequest request, PreparedRequest prepared, JobResult result,
      Throwable failure, Response response, Callback callback, long arrived) {
    VersionMetrics vm = v.metrics();
    try {
      if (failure != null) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RequestTimeoutException t) {
          vm.failed(Failure.TIMEOUT);
          send(response, callback, t.started() ? 504 : 503, JsonBodies.error(t.getMessage()));
        } else if (cause instanceof BackendException) {
          vm.failed(Failure.BACKEND);
          send(response, callback, 400, JsonBodies.error(v.label() + " failed on this request: "
              + cause.getMessage()));
        } else {
          vm.failed(Failure.BACKEND);
          LOG.error("{} failed unexpectedly", v.label(), cause);
          send(response, callback, 500, JsonBodies.error("running " + v.label() + " failed: " + INTERNAL));
        }
        return;
      }
      List<InferResponse.Output> outputs = new ArrayList<>();
      for (PreparedRequest.Output o : prepared.outputs()) {
        outputs.add(new InferResponse.Output(result.outputs().get(o.name()), o.binary()));
      }
      InferCodec.Encoded encoded = InferCodec.encodeResponse(
          new InferResponse(v.model(), v.versionString(), request.id(), outputs));
      vm.succeeded(System.nanoTime() - arrived, result);
      if (encoded.binary()) {
        response.getHeaders().put(InferCodec.HEADER_LENGTH, encoded.jsonLength());
      }
      send(response, callback, 200, encoded.contentType(), encoded.body());
    } catch (RuntimeException e) {
      LOG.error("cannot answer a request to {}", v.label(), e);
      callback.failed(e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static void send(Response response, Callback callback, int status, ObjectNode body) {
    send(response, callback, status, "application/json", JsonBodies.bytes(body));
  }

  private static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
