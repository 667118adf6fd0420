package dev.nas.serve;

import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.model.ModelRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running model server: Jetty serving the Open Inference Protocol (KServe v2) over HTTP/1.1 for
 * the models of a {@link ModelRegistry}, plus Prometheus metrics at {@code /metrics}.
 *
 * <p>{@link #close()} shuts down gracefully: the server stops accepting connections, requests in
 * flight are answered (up to the grace period), queued jobs run, and only then are the models'
 * sessions closed.
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  private final Server server;
  private final ApiHandler api;
  private final ModelRegistry registry;
  private final ScheduledThreadPoolExecutor timer;
  private final ServerSettings settings;
  private final int port;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private ModelServer(Server server, ApiHandler api, ServerConnector connector, ModelRegistry registry,
      ScheduledThreadPoolExecutor timer, ServerSettings settings) {
    this.server = server;
    this.api = api;
    this.registry = registry;
    this.timer = timer;
    this.settings = settings;
    this.port = connector.getLocalPort();
  }

  /**
   * Binds and starts serving {@code registry}, which the server then owns and closes.
   *
   * @throws IOException if the address cannot be bound (the registry is closed then)
   */
  public static ModelServer start(ModelRegistry registry, ServerMetrics metrics, ServerSettings settings)
      throws IOException {
    QueuedThreadPool pool = new QueuedThreadPool(settings.httpThreads(), Math.min(4, settings.httpThreads()));
    pool.setName("nas-http");
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // Jetty's per-connection header cache matches values case-insensitively by default, so after
    // "Authorization: Bearer key" a later "Bearer KEY" on the connection would read as the first.
    http.setHeaderCacheCaseSensitive(true);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    server.addConnector(connector);
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("nas-serve-timeouts");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    ApiHandler api = new ApiHandler(registry, metrics, settings, version(), timer);
    server.setHandler(new GracefulHandler(api));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(settings.gracePeriod().toMillis());
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      timer.shutdownNow();
      registry.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + cause.getMessage(),
          e);
    }
    ModelServer s = new ModelServer(server, api, connector, registry, timer, settings);
    LOG.info("serving {} model(s) at {}", registry.models().size(), s.url());
    return s;
  }

  /** The version reported by {@code GET /v2}: this jar's, or {@code dev} when run from classes. */
  static String version() {
    String v = ModelServer.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /** The port bound at start (the chosen one when the settings asked for 0); it stays known after close. */
  public int port() {
    return port;
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:8000}. */
  public URI url() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return URI.create("http://" + host + ":" + port());
  }

  public ModelRegistry registry() {
    return registry;
  }

  /** Bytes of request bodies the server holds in memory now (see {@link ServerSettings#maxBufferedBodyBytes}). */
  public long heldBodyBytes() {
    return api.heldBodyBytes();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops gracefully: no new connections, requests in flight answered (waiting at most the grace
   * period), then the models' workers and sessions closed. Idempotent; later calls return at once.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
    }
    try {
      registry.close();
    } finally {
      timer.shutdownNow();
      stopped.countDown();
      LOG.info("stopped");
    }
  }
}
