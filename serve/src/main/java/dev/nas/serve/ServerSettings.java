package dev.nas.serve;

import java.time.Duration;

/**
 * How the HTTP server runs.
 *
 * @param host the address to bind; {@code 127.0.0.1} keeps the server to this machine
 * @param port the port; 0 picks a free one
 * @param apiKey the key clients must send as {@code Authorization: Bearer <key>} on every endpoint
 *     but the health probes; {@code null} for none
 * @param maxBodyBytes the largest request body accepted; larger ones are answered 413
 * @param requestTimeout how long an inference request may take from arrival to answer: 408 if its
 *     body had not all arrived by then, 503 if it was still queued, 504 if it was running
 * @param gracePeriod how long shutdown waits for in-flight requests before closing connections
 * @param httpThreads the most threads handling HTTP (inference itself runs on the models' workers)
 * @param maxBufferedBodyBytes the most bytes of request bodies all connections together may hold
 *     in memory (bodies are held from their first byte until they are answered); a body that would
 *     pass it is answered 503
 */
public record ServerSettings(String host, int port, String apiKey, long maxBodyBytes, Duration requestTimeout,
    Duration gracePeriod, int httpThreads, long maxBufferedBodyBytes) {
  public ServerSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("the API key must not be empty");
    }
    if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("max body size must be in 1.." + (Integer.MAX_VALUE - 16) + " bytes, got "
          + maxBodyBytes);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("request timeout must be positive, got " + requestTimeout);
    }
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("grace period must not be negative, got " + gracePeriod);
    }
    if (httpThreads < 4) {
      throw new IllegalArgumentException("HTTP threads must be at least 4, got " + httpThreads);
    }
    if (maxBufferedBodyBytes < maxBodyBytes) {
      throw new IllegalArgumentException("the bytes all request bodies may hold (" + maxBufferedBodyBytes
          + ") must be at least the largest body (" + maxBodyBytes + ")");
    }
  }

  /** Settings whose bodies may hold {@link #defaultBufferedBodyBytes} together. */
  public ServerSettings(String host, int port, String apiKey, long maxBodyBytes, Duration requestTimeout,
      Duration gracePeriod, int httpThreads) {
    this(host, port, apiKey, maxBodyBytes, requestTimeout, gracePeriod, httpThreads,
        defaultBufferedBodyBytes(maxBodyBytes));
  }

  /** A quarter of the Java heap's maximum, but at least one body of {@code maxBodyBytes}. */
  public static long defaultBufferedBodyBytes(long maxBodyBytes) {
    return Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / 4);
  }

  /** Loopback, port 8000 (Triton's HTTP port), no key, 64 MiB bodies, 30 s timeout, 30 s grace, 32 threads. */
  public static ServerSettings defaults() {
    return new ServerSettings("127.0.0.1", 8000, null, 64L << 20, Duration.ofSeconds(30), Duration.ofSeconds(30), 32);
  }

  public ServerSettings withPort(int newPort) {
    return new ServerSettings(host, newPort, apiKey, maxBodyBytes, requestTimeout, gracePeriod, httpThreads,
        maxBufferedBodyBytes);
  }

  public ServerSettings withApiKey(String key) {
    return new ServerSettings(host, port, key, maxBodyBytes, requestTimeout, gracePeriod, httpThreads,
        maxBufferedBodyBytes);
  }

  /** These settings with another body limit and timeout; the buffered bytes grow to one body if need be. */
  public ServerSettings withLimits(long newMaxBodyBytes, Duration newRequestTimeout) {
    return new ServerSettings(host, port, apiKey, newMaxBodyBytes, newRequestTimeout, gracePeriod, httpThreads,
        Math.max(maxBufferedBodyBytes, newMaxBodyBytes));
  }

  public ServerSettings withGracePeriod(Duration grace) {
    return new ServerSettings(host, port, apiKey, maxBodyBytes, requestTimeout, grace, httpThreads,
        maxBufferedBodyBytes);
  }

  public ServerSettings withBufferedBodyBytes(long bytes) {
    return new ServerSettings(host, port, apiKey, maxBodyBytes, requestTimeout, gracePeriod, httpThreads, bytes);
  }

  /** Settings without the key, for logs. */
  @Override
  public String toString() {
    return "ServerSettings[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "none" : "set")
        + ", maxBodyBytes=" + maxBodyBytes + ", requestTimeout=" + requestTimeout + ", gracePeriod=" + gracePeriod
        + ", httpThreads=" + httpThreads + ", maxBufferedBodyBytes=" + maxBufferedBodyBytes + "]";
  }
}
