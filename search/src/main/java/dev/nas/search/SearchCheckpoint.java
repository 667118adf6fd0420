package dev.nas.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.io.Json;
import dev.nas.io.SafeTensors;
import dev.nas.io.Tensor;
import dev.nas.search.sdas.Decision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a search after a completed epoch, in one file written atomically: weights, BN
 * statistics, architecture parameters and optimiser state as tensors; the number of completed
 * epochs, the configuration and SDAS' discretization decisions (in order, empty for other
 * algorithms) in the file's metadata. One file means a crash can never leave a state whose parts
 * come from different epochs.
 */
public record SearchCheckpoint(int epochsDone, SearchConfig config, List<Decision> decisions,
    Map<String, Tensor> tensors) {
  public SearchCheckpoint {
    decisions = List.copyOf(decisions);
  }

  public static final String FILE = "checkpoint.safetensors";

  public static Path path(Path run) {
    return run.resolve(FILE);
  }

  public void write(Path run) throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("epochs_done", Integer.toString(epochsDone));
    meta.put("config", Json.MAPPER.writeValueAsString(config));
    meta.put("decisions", Json.MAPPER.writeValueAsString(decisions));
    meta.put("format", "nas-search-checkpoint/1");
    SafeTensors.write(path(run), tensors, meta);
  }

  /** Reads the checkpoint of {@code run}; fails clearly when it is missing or damaged. */
  public static SearchCheckpoint read(Path run) throws IOException {
    Path f = path(run);
    if (!Files.isRegularFile(f)) {
      throw new IOException("no checkpoint in " + run + " (" + FILE + " is missing): nothing to resume");
    }
    Map<String, String> meta = SafeTensors.metadata(f);
    if (!"nas-search-checkpoint/1".equals(meta.get("format"))) {
      throw new IOException(f + " is not a nas search checkpoint");
    }
    JsonNode cfg = Json.MAPPER.readTree(meta.get("config"));
    SearchConfig config = Json.MAPPER.treeToValue(cfg, SearchConfig.class);
    String d = meta.get("decisions");
    List<Decision> decisions = d == null ? List.of()
        : Json.MAPPER.readValue(d, new TypeReference<List<Decision>>() { });
    return new SearchCheckpoint(Integer.parseInt(meta.get("epochs_done")), config, decisions, SafeTensors.read(f));
  }
}
