package dev.nas.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.io.Json;
import dev.nas.core.ops.SearchSpace;
import dev.nas.data.DatasetSpec;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.cdarts.CdartsSettings;
import dev.nas.search.config.ArchOptimizer;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.config.WeightOptimizer;
import dev.nas.search.cost.CostSettings;
import dev.nas.search.sdas.SdasPaperAlgorithm;
import dev.nas.search.sdas.SdasSettings;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that determines a search's outcome, in named groups. Stored in the run folder; a
 * resumed search must present the same values, so a resume can never silently continue a different
 * architecture. Defaults come from one place, the algorithm's {@link SearchAlgorithm#defaults()};
 * commands start from those and override what their user gave.
 *
 * @param algo the algorithm's registered name ({@link SearchAlgorithms})
 * @param seed seed of every random stream of the search ({@link RandomStreams})
 * @param cdarts CDARTS' own settings; null for every other algorithm
 * @param sdas the SDAS paper's algorithms' own settings (das, sdas-*); null for every other algorithm
 * @param cost a cost target and hard budgets of the derived network; null (and not written) for an
 *     accuracy-only search, so configurations stored before it existed read as they ran
 */
public record SearchConfig(String algo, long seed, DataSettings data, SupernetShape supernet, EpochSchedule schedule,
    WeightOptimizer weights, ArchOptimizer arch, CdartsSettings cdarts, SdasSettings sdas,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    CostSettings cost) {

  public SearchConfig {
    Objects.requireNonNull(algo, "algo");
    SearchAlgorithm algorithm = SearchAlgorithms.named(algo); // fails listing the known ones
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(supernet, "supernet");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(arch, "arch");
    SearchSpace named = supernet.searchSpace();
    String space = supernet.space();
    String dataset = data.dataset();
    if (named.video() != dev.nas.data.Datasets.clips(dataset)) {
      throw new IllegalArgumentException(named.video()
          ? "search space '" + space + "' is for video clips (N×C×T×H×W) but --dataset " + dataset + " gives images; "
              + "use a clip dataset (synthetic-video, video-folder) or an image space (darts, o2d)"
          : "search space '" + space + "' is for images but --dataset " + dataset + " gives video clips; use a video "
              + "space (o2d-video, o3d, oadv, pvnas, pvnas-s)");
    }
    algorithm.validate(new Settings(schedule, cdarts, sdas));
  }

  /** What an algorithm checks of a configuration that only it constrains. */
  public record Settings(EpochSchedule schedule, CdartsSettings cdarts, SdasSettings sdas) {}

  public SearchConfig withSdas(SdasSettings s) {
    return new SearchConfig(algo, seed, data, supernet, schedule, weights, arch, cdarts, s, cost);
  }

  /** The registered algorithm of this configuration. */
  public SearchAlgorithm algorithm() {
    return SearchAlgorithms.named(algo);
  }

  public SearchSpace space() {
    return supernet.searchSpace();
  }

  public DatasetSpec datasetSpec() {
    return data.spec(seed);
  }

  /** The random streams of this search. */
  public RandomStreams random() {
    return new RandomStreams(seed);
  }

  public SearchConfig withAlgo(String name) {
    return new SearchConfig(name, seed, data, supernet, schedule, weights, arch, cdarts, sdas, cost);
  }

  public SearchConfig withSeed(long s) {
    return new SearchConfig(algo, s, data, supernet, schedule, weights, arch, cdarts, sdas, cost);
  }

  public SearchConfig withData(DataSettings d) {
    return new SearchConfig(algo, seed, d, supernet, schedule, weights, arch, cdarts, sdas, cost);
  }

  /** Data and supernet at once, for a change of both that only fits together (images to clips). */
  public SearchConfig withDataAndSupernet(DataSettings d, SupernetShape s) {
    return new SearchConfig(algo, seed, d, s, schedule, weights, arch, cdarts, sdas, cost);
  }

  public SearchConfig withSupernet(SupernetShape s) {
    return new SearchConfig(algo, seed, data, s, schedule, weights, arch, cdarts, sdas, cost);
  }

  public SearchConfig withSchedule(EpochSchedule s) {
    return new SearchConfig(algo, seed, data, supernet, s, weights, arch, cdarts, sdas, cost);
  }

  public SearchConfig withWeights(WeightOptimizer w) {
    return new SearchConfig(algo, seed, data, supernet, schedule, w, arch, cdarts, sdas, cost);
  }

  public SearchConfig withArch(ArchOptimizer a) {
    return new SearchConfig(algo, seed, data, supernet, schedule, weights, a, cdarts, sdas, cost);
  }

  public SearchConfig withCost(CostSettings c) {
    return new SearchConfig(algo, seed, data, supernet, schedule, weights, arch, cdarts, sdas, c);
  }

  /** Whether the search has a cost target or budgets. */
  public boolean costAware() {
    return cost != null;
  }

  public SearchConfig withCdarts(CdartsSettings c) {
    return new SearchConfig(algo, seed, data, supernet, schedule, weights, arch, c, sdas, cost);
  }

  /** Fields whose values differ from {@code other}'s, as "group.name: this vs other". */
  public List<String> differences(SearchConfig other) {
    return dev.nas.core.run.ConfigDiff.of(this, other);
  }

  /**
   * A configuration from its JSON, also in the flat form nas wrote before the settings had groups
   * (and CDARTS' {@code {"search": {...}, ...}} form), so older run folders still resume.
   */
  public static SearchConfig fromJson(JsonNode node) throws java.io.IOException {
    boolean predatesLrSchedule = !node.path("schedule").has("lrSchedule");
    boolean predatesSdas = !node.has("sdas");
    JsonNode n = node.has("search") && node.get("search").isObject() ? legacyCdarts((ObjectNode) node) : node;
    if (n.has("lr") && n.isObject()) {
      n = legacyFlat((ObjectNode) n);
    }
    if (predatesLrSchedule && n.path("schedule").isObject()) {
      legacySchedule((ObjectNode) n);
    }
    SearchAlgorithm stored = SearchAlgorithms.named(n.path("algo").asText());
    if (predatesSdas && n.isObject() && stored instanceof SdasPaperAlgorithm sdasAlgorithm) {
      ((ObjectNode) n).set("sdas", Json.MAPPER.valueToTree(sdasAlgorithm.settingsBeforeTheGroup()));
    }
    return Json.MAPPER.treeToValue(n, SearchConfig.class);
  }

  /**
   * A configuration stored before the weight learning-rate schedule was a setting ran its
   * algorithm's schedule, and a step schedule with {@code lrStep} 0 decayed every third of the
   * epochs (rounded up): both are written out, so that it resumes as it ran.
   */
  private static void legacySchedule(ObjectNode n) {
    ObjectNode schedule = (ObjectNode) n.get("schedule");
    EpochSchedule.LrSchedule kind = SearchAlgorithms.named(n.path("algo").asText()).defaults().schedule().lrSchedule();
    schedule.put("lrSchedule", kind.id());
    if (kind == EpochSchedule.LrSchedule.STEP && schedule.path("lrStep").asInt() == 0) {
      schedule.put("lrStep", Math.max(1, (schedule.path("epochs").asInt() + 2) / 3));
    }
  }

  /** Group and name of each field of the flat form. */
  private static final Map<String, String> FLAT = Map.ofEntries(Map.entry("dataset", "data.dataset"),
      Map.entry("dataDir", "data.dataDir"), Map.entry("input", "data.input"), Map.entry("classes", "data.classes"),
      Map.entry("trainSamples", "data.trainSamples"), Map.entry("testSamples", "data.testSamples"),
      Map.entry("trainPortion", "data.trainPortion"), Map.entry("augment", "data.augment"),
      Map.entry("space", "supernet.space"), Map.entry("layers", "supernet.layers"),
      Map.entry("channels", "supernet.channels"), Map.entry("repeat", "supernet.repeat"),
      Map.entry("stemChannels", "supernet.stemChannels"), Map.entry("epochs", "schedule.epochs"),
      Map.entry("batch", "schedule.batch"), Map.entry("warmupEpochs", "schedule.warmupEpochs"),
      Map.entry("lrStep", "schedule.lrStep"), Map.entry("lr", "weights.lr"), Map.entry("lrMin", "weights.lrMin"),
      Map.entry("momentum", "weights.momentum"), Map.entry("weightDecay", "weights.weightDecay"),
      Map.entry("gradClip", "weights.gradClip"), Map.entry("archLr", "arch.lr"),
      Map.entry("archWeightDecay", "arch.weightDecay"));

  private static ObjectNode legacyFlat(ObjectNode flat) {
    String algo = flat.path("algo").asText();
    // the flat form had no Adam betas: they were the algorithm's, as its defaults still are
    ObjectNode out = Json.MAPPER.valueToTree(SearchAlgorithms.named(algo).defaults());
    out.put("algo", algo);
    out.set("seed", flat.get("seed"));
    flat.fields().forEachRemaining(e -> {
      String path = FLAT.get(e.getKey());
      if (path != null) {
        String[] p = path.split("\\.");
        ((ObjectNode) out.get(p[0])).set(p[1], e.getValue());
      }
    });
    if (!flat.has("cdarts") && !algo.equals("cdarts")) {
      out.putNull("cdarts");
    }
    return out;
  }

  private static ObjectNode legacyCdarts(ObjectNode old) {
    ObjectNode out = legacyFlat((ObjectNode) old.get("search"));
    ObjectNode c = out.putObject("cdarts");
    old.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("search")) {
        c.set(e.getKey(), e.getValue());
      }
    });
    return out;
  }
}
