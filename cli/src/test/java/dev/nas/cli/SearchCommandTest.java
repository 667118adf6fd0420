package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas search} passes algorithm and space through to the run. */
class SearchCommandTest {
  @Test
  void scheduledSearchOnTheO2dSpace(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("s");
    CliRunner r = CliRunner.run("search", "--algo", "sdas-b", "--space", "o2d", "--input", "3x8x8", "--classes", "3",
        "--train-samples", "64", "--epochs", "1", "--layers", "3", "--channels", "4", "--batch", "16", "--arch-lr",
        "0.01", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().startsWith("Genotype(normal=["), r.out());
    JsonNode cfg = Json.MAPPER.readTree(run.resolve("config.json").toFile());
    assertEquals("sdas-b", cfg.get("algo").asText());
    assertEquals("o2d", cfg.get("space").asText());
    assertEquals(0.01, cfg.get("archLr").asDouble());
    assertEquals("o2d", Json.MAPPER.readTree(run.resolve("genotype.json").toFile()).get("space").asText());
    JsonNode last = Json.MAPPER.readTree(run.resolve("history.json").toFile()).get(0);
    assertEquals(18, last.get("decisionsPerCell").asInt());
    assertEquals(1, last.get("searchSpaceSize").asLong());
    assertTrue(Files.readString(run.resolve("log.txt")).contains("SDAS schedule B"));
  }
}
