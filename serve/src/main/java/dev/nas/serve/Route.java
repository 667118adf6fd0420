package dev.nas.serve;

import java.util.Set;

/**
 * An endpoint of the server, parsed from a request path.
 *
 * @param model the model name for model endpoints, else {@code null}
 * @param version the version segment when the path names one, else {@code null}
 */
record Route(Kind kind, String model, String version) {
  enum Kind {
    LIVE("GET"),
    READY("GET"),
    SERVER_METADATA("GET"),
    MODEL_METADATA("GET"),
    MODEL_READY("GET"),
    INFER("POST"),
    METRICS("GET");

    final String method;

    Kind(String method) {
      this.method = method;
    }
  }

  /** Endpoints answered without the API key, so that health probes need no secret. */
  private static final Set<Kind> OPEN = Set.of(Kind.LIVE, Kind.READY);

  boolean open() {
    return OPEN.contains(kind);
  }

  /** The route for a decoded path, or {@code null} for no endpoint. A trailing slash is ignored. */
  static Route parse(String path) {
    if (path == null || !path.startsWith("/")) {
      return null;
    }
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String[] s = p.substring(1).split("/", -1);
    for (String segment : s) {
      if (segment.isEmpty()) {
        return null;
      }
    }
    if (s.length == 1 && s[0].equals("metrics")) {
      return new Route(Kind.METRICS, null, null);
    }
    if (!s[0].equals("v2")) {
      return null;
    }
    if (s.length == 1) {
      return new Route(Kind.SERVER_METADATA, null, null);
    }
    if (s.length == 3 && s[1].equals("health")) {
      return switch (s[2]) {
        case "live" -> new Route(Kind.LIVE, null, null);
        case "ready" -> new Route(Kind.READY, null, null);
        default -> null;
      };
    }
    if (!s[1].equals("models") || s.length < 3) {
      return null;
    }
    String model = s[2];
    String version = null;
    int rest = 3;
    if (s.length >= 5 && s[3].equals("versions")) {
      version = s[4];
      rest = 5;
    }
    if (s.length == rest) {
      return new Route(Kind.MODEL_METADATA, model, version);
    }
    if (s.length == rest + 1) {
      return switch (s[rest]) {
        case "ready" -> new Route(Kind.MODEL_READY, model, version);
        case "infer" -> new Route(Kind.INFER, model, version);
        default -> null;
      };
    }
    return null;
  }
}
