package dev.nas.cli;

import dev.nas.runtime.triton.ModelRepository;
import dev.nas.serve.ModelServer;
import dev.nas.serve.ServerSettings;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.ModelRegistry;
import dev.nas.serve.model.ModelSettings;
import dev.nas.serve.model.ModelVersion;
import dev.nas.serve.model.ServedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.cli.Options;

/**
 * {@code nas serve}: serves ONNX models over HTTP with the Open Inference Protocol (KServe v2),
 * until SIGTERM or Ctrl-C, which shut it down gracefully.
 */
final class ServeCommand extends Command {
  String name() {
    return "serve";
  }

  String summary() {
    return "serve models over HTTP (KServe v2 / Triton protocol) with dynamic batching and Prometheus metrics";
  }

  String examples() {
    return "nas serve --model s1.onnx --name s1 --port 8000\n"
        + "nas serve --repo models/ --host 0.0.0.0 --api-key-file key.txt --max-batch 16 --workers 2";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("repo", "DIR", "model repository in Triton's layout: DIR/<model>/<version>/model.onnx"));
    o.addOption(opt("model", "FILE", "one ONNX model file, served as version 1"));
    o.addOption(opt("name", "NAME", "the model's name with --model (default: the file name without .onnx)"));
    o.addOption(opt("host", "ADDR", "address to bind (default 127.0.0.1: this machine only; 0.0.0.0 for all)"));
    o.addOption(opt("port", "PORT", "port to listen on (default 8000; 0 picks a free one)"));
    o.addOption(opt("api-key", "KEY", "require 'Authorization: Bearer KEY' on all but the health endpoints"));
    o.addOption(opt("api-key-file", "FILE", "read the API key from FILE (keeps it out of the process list)"));
    o.addOption(opt("max-batch", "N", "most samples in one request and in one batch of the dynamic batcher; "
        + "a request with more gets 400 (default 8)"));
    o.addOption(opt("max-queue-delay-us", "US", "how long a request may wait for others to batch with (default 2000)"));
    o.addOption(flag("no-batching", "run every request alone (each still of at most --max-batch samples)"));
    o.addOption(opt("queue", "N", "requests that may wait per model version; more get 503 (default 128)"));
    o.addOption(opt("workers", "N", "inference threads per model version (default 2)"));
    o.addOption(opt("timeout-ms", "MS", "answer 503/504 when a request is not done in MS (default 30000)"));
    o.addOption(opt("max-body-mb", "MB", "largest request body in MiB; larger gets 413 (default 64)"));
    o.addOption(opt("grace-period", "S", "on shutdown, wait up to S seconds for requests in flight (default 30)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    if (a.has("repo") == a.has("model")) {
      throw new UsageException("give exactly one of --repo DIR or --model FILE.onnx");
    }
    if (a.has("name") && !a.has("model")) {
      throw new UsageException("--name goes with --model; in a repository, models are named by their folders");
    }
    ServerSettings server = serverSettings(a);
    ModelSettings model = modelSettings(a);
    ServerMetrics metrics = new ServerMetrics();
    ModelRegistry registry;
    if (a.has("model")) {
      Path file = a.path("model");
      registry = ModelRegistry.loadSingle(file, modelName(a, file), model, Backends.defaults(), metrics);
    } else {
      Path repo = a.path("repo");
      List<ModelRepository.ModelDir> dirs = ModelRepository.scan(repo);
      if (dirs.isEmpty()) {
        throw new IOException("no models in repository " + repo + " (expected " + repo
            + "/<model>/<version>/model.onnx)");
      }
      registry = ModelRegistry.load(dirs, name -> model, Backends.defaults(), metrics);
    }
    ModelServer s = ModelServer.start(registry, metrics, server);
    Thread hook = new Thread(() -> {
      out.println("nas serve: stopping: finishing requests in flight");
      s.close();
      out.println("nas serve: stopped");
      out.flush();
    }, "nas-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printSummary(s, model, server, out);
    s.awaitStop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is what stopped the server
    }
    return 0;
  }

  private static void printSummary(ModelServer s, ModelSettings model, ServerSettings server, PrintStream out) {
    out.printf("nas serve: listening on %s (KServe v2 at %s/v2, metrics at %s/metrics)%n", s.url(), s.url(), s.url());
    for (ServedModel m : s.registry().models()) {
      if (m.problem() != null) {
        out.printf("  %s: NOT READY: %s%n", m.name(), m.problem());
      }
      for (ModelVersion v : m.versions().values()) {
        if (v.ready()) {
          out.printf("  %s version %d: ready (%s, %s); %s%s%n", m.name(), v.version(), v.platform(), v.file(),
              v.scheduling(), v.batchable() || !model.batching() ? ""
                  : "; no dynamic batch dimension, so its requests run one at a time");
        } else {
          out.printf("  %s version %d: NOT READY: %s%n", m.name(), v.version(), v.reason());
        }
      }
    }
    out.printf("  models without config.pbtxt: batching %s; %d worker(s) x %d thread(s) per version, queue %d%n",
        model.batching() ? "up to " + model.maxBatchSize() + " samples, waiting up to "
            + model.maxQueueDelay().toNanos() / 1000 + " us" : "off, requests of up to " + model.maxBatchSize()
            + " samples",
        model.workers(), model.intraOpThreads(), model.queueCapacity());
    out.printf("  requests: timeout %d ms; %s%n", server.requestTimeout().toMillis(),
        server.apiKey() != null ? "API key required (health endpoints open)" : "no API key");
    out.println("  stop with Ctrl-C or SIGTERM: requests in flight are finished first");
    out.flush();
  }

  private static ServerSettings serverSettings(Args a) throws IOException {
    int port = a.integer("port", 8000);
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be in 0..65535, got " + port);
    }
    String host = a.str("host", "127.0.0.1").trim();
    if (host.isEmpty()) {
      throw new UsageException("--host must not be empty");
    }
    if (a.has("api-key") && a.has("api-key-file")) {
      throw new UsageException("give --api-key or --api-key-file, not both");
    }
    String key = a.has("api-key") ? a.str("api-key", null) : a.has("api-key-file") ? readKey(a.path("api-key-file"))
        : null;
    if (key != null && key.isBlank()) {
      throw new UsageException("the API key must not be empty");
    }
    int timeout = positive(a, "timeout-ms", 30_000);
    int bodyMb = positive(a, "max-body-mb", 64);
    if (bodyMb > 2047) {
      throw new UsageException("--max-body-mb must be at most 2047");
    }
    int grace = a.integer("grace-period", 30);
    if (grace < 0) {
      throw new UsageException("--grace-period must not be negative");
    }
    return new ServerSettings(host, port, key, (long) bodyMb << 20, Duration.ofMillis(timeout),
        Duration.ofSeconds(grace), ServerSettings.defaults().httpThreads());
  }

  private static String readKey(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "API key file not found");
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  private static ModelSettings modelSettings(Args a) {
    int maxBatch = positive(a, "max-batch", 8);
    int delayUs = a.integer("max-queue-delay-us", 2000);
    if (delayUs < 0) {
      throw new UsageException("--max-queue-delay-us must not be negative");
    }
    int queue = positive(a, "queue", 128);
    int workers = positive(a, "workers", 2);
    int threads = a.has("threads") ? Nas.threads() : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    ModelSettings settings = new ModelSettings(maxBatch, Duration.ofNanos(delayUs * 1000L), queue, workers, threads);
    return a.has("no-batching") ? settings.withoutBatching() : settings;
  }

  private static int positive(Args a, String opt, int def) {
    int v = a.integer(opt, def);
    if (v <= 0) {
      throw new UsageException("--" + opt + " must be positive, got " + v);
    }
    return v;
  }

  private static String modelName(Args a, Path file) {
    String name = a.has("name") ? a.str("name", null) : file.getFileName().toString().replaceFirst("\\.onnx$", "");
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new UsageException("model name '" + name + "' may hold only letters, digits, '_', '.' and '-'"
          + (a.has("name") ? "" : "; give one with --name"));
    }
    return name;
  }
}
