package dev.nas.serve;

import dev.nas.runtime.triton.ModelRepository;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.ModelRegistry;
import dev.nas.serve.model.ModelSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Starting test servers on a free loopback port. */
final class Servers {
  private Servers() {}

  static ModelSettings settings(int maxBatch, Duration delay, int queue, int workers) {
    return new ModelSettings(maxBatch, delay, queue, workers, 1);
  }

  static ModelServer start(Path repo, ModelSettings model, ServerSettings server) throws IOException {
    return start(repo, model, server, Backends.defaults());
  }

  static ModelServer start(Path repo, ModelSettings model, ServerSettings server, Backends backends)
      throws IOException {
    ServerMetrics metrics = new ServerMetrics();
    ModelRegistry registry = ModelRegistry.load(ModelRepository.scan(repo), name -> model, backends, metrics);
    return ModelServer.start(registry, metrics, server);
  }

  /**
   * Waits (up to 30 s) until {@code server} holds no request bodies: a body is given back when
   * its answer has been written, which can be just after the client has read it.
   */
  static long awaitNoHeldBodies(ModelServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (server.heldBodyBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return server.heldBodyBytes();
  }

  /** Loopback, a free port, the default limits. */
  static ServerSettings loopback() {
    return ServerSettings.defaults().withPort(0);
  }
}
