package dev.nas.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs {@code nas} in-process and captures what it prints. */
record CliRunner(int status, String out, String err) {
  static CliRunner run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int status = Nas.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    return new CliRunner(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** Derives the tiny network the bad-input tests feed to commands (DARTS_V1, C=4, 3 cells, 3x8x8, 3 classes). */
  static Path tinyNet(Path out) {
    CliRunner r = run("derive", "--genotype", "DARTS_V1", "--channels", "4", "--layers", "3", "--input", "3x8x8",
        "--classes", "3", "--out", out.toString());
    org.junit.jupiter.api.Assertions.assertEquals(0, r.status(), r.toString());
    return out;
  }

  /** Runs a command that must succeed (e.g. with --print-config) and reads what it printed as JSON. */
  static com.fasterxml.jackson.databind.JsonNode printed(String... args) throws java.io.IOException {
    CliRunner r = run(args);
    org.junit.jupiter.api.Assertions.assertEquals(0, r.status(), r.toString());
    return dev.nas.core.io.Json.MAPPER.readTree(r.out());
  }

  /** Runs a command that must be refused as a usage error (status 2) with {@code message}. */
  static void refused(String message, String... args) {
    CliRunner r = run(args);
    org.junit.jupiter.api.Assertions.assertEquals(2, r.status(), r.toString());
    org.junit.jupiter.api.Assertions.assertTrue(r.err().contains(message), r.err());
  }

  @Override
  public String toString() {
    return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
