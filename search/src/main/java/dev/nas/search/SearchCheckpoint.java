package dev.nas.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.nas.core.io.Json;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import dev.nas.search.sdas.Decision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a search after a completed epoch, in one file written atomically: weights, BN
 * statistics, architecture parameters and optimiser state as tensors; in the file's metadata the
 * number of completed epochs, the configuration, SDAS' discretization decisions (in order, empty
 * for other algorithms), the intra-op thread count it ran with, and the run records up to that
 * epoch (the {@code history.json} entries, the {@code alphas.json} entries and the genotype). One
 * file means a crash can never leave a state whose parts come from different epochs; holding the
 * records makes the checkpoint's rename the one step that commits an epoch: the record files are
 * republished from it, so a kill between the rename and their writes loses nothing.
 *
 * @param threads intra-op CPU threads of the run that wrote it (results depend on it)
 * @param history the run's epoch records, one per completed epoch
 * @param alphas the {@code alphas.json} entries, one per completed epoch
 * @param genotype the genotype after the last completed epoch, in its JSON form
 */
public record SearchCheckpoint(int epochsDone, SearchConfig config, List<Decision> decisions, int threads,
    List<EpochRecord> history, ArrayNode alphas, String genotype, Map<String, Tensor> tensors) {
  public SearchCheckpoint {
    decisions = List.copyOf(decisions);
    history = List.copyOf(history);
    alphas = alphas.deepCopy();
  }

  public static final String FILE = "checkpoint.safetensors";
  private static final com.fasterxml.jackson.databind.ObjectWriter COMPACT = Json.MAPPER.writer()
      .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
  static final String FORMAT = "nas-search-checkpoint/2";

  public static Path path(Path run) {
    return run.resolve(FILE);
  }

  public void write(Path run) throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("epochs_done", Integer.toString(epochsDone));
    meta.put("config", COMPACT.writeValueAsString(config));
    meta.put("decisions", COMPACT.writeValueAsString(decisions));
    meta.put("threads", Integer.toString(threads));
    meta.put("history", COMPACT.writeValueAsString(history));
    meta.put("alphas", COMPACT.writeValueAsString(alphas));
    meta.put("genotype", genotype);
    SafeTensors.write(path(run), tensors, meta);
  }

  /**
   * Reads the checkpoint of {@code run}; fails with one clear message when it is missing, damaged
   * (checksum, header, metadata) or of another format. Consistency with a configuration is
   * checked by the caller.
   */
  public static SearchCheckpoint read(Path run) throws IOException {
    Path f = path(run);
    if (!Files.isRegularFile(f)) {
      throw new IOException("no checkpoint in " + run + " (" + FILE + " is missing): nothing to resume");
    }
    Map<String, String> meta = SafeTensors.metadata(f);
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IOException(f + " is not a checkpoint of this nas version (format '" + meta.get("format")
          + "', expected '" + FORMAT + "'); start the search again in another --out");
    }
    if (!meta.containsKey(SafeTensors.CHECKSUM)) {
      throw new IOException(f + " is damaged: it has no checksum");
    }
    Map<String, Tensor> tensors = SafeTensors.read(f);
    try {
      SearchConfig config = SearchConfig.fromJson(tree(meta, "config"));
      List<Decision> decisions = Json.MAPPER.convertValue(tree(meta, "decisions"),
          new TypeReference<List<Decision>>() { });
      List<EpochRecord> history = Json.MAPPER.convertValue(tree(meta, "history"),
          new TypeReference<List<EpochRecord>>() { });
      JsonNode alphas = tree(meta, "alphas");
      if (!alphas.isArray() || meta.get("genotype") == null) {
        throw new IllegalArgumentException("alphas or genotype missing");
      }
      return new SearchCheckpoint(Integer.parseInt(meta.get("epochs_done")), config, decisions,
          Integer.parseInt(meta.get("threads")), history, (ArrayNode) alphas, meta.get("genotype"), tensors);
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new IOException(f + " is damaged: its metadata cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static JsonNode tree(Map<String, String> meta, String key) throws IOException {
    String v = meta.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key);
    }
    JsonNode n = Json.MAPPER.readTree(v);
    if (n == null || n.isMissingNode() || n.isNull()) {
      throw new IllegalArgumentException("empty " + key);
    }
    return n;
  }
}
