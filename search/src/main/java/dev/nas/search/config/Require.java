package dev.nas.search.config;

/** The one check every settings group uses: a false condition is a usage error with {@code message}. */
final class Require {
  private Require() {}

  static void that(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
