package dev.nas.cli.compare;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.search.SearchConfig;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.config.DataSettings;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.cost.CostMetric;
import dev.nas.search.cost.CostSettings;
import dev.nas.search.cost.DerivedShape;
import dev.nas.train.TrainConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that determines one (method, seed) run of {@code nas compare}: data, search space,
 * cost budget (MACs, measured latency or both), search budget and the one training recipe. Stored as {@code compare.json}; a rerun
 * into the same folder must present the same values, so finished runs are never mixed with runs of
 * other settings. Which methods and seeds to run is not part of it: adding a method or a seed to an
 * existing comparison is allowed.
 *
 * @param input per-sample input shape ({@code CxHxW}); null keeps the dataset's own
 * @param searchSamples training samples the searches use (split in half for weights and α; 0 = all)
 * @param layers cells of every derived network (the cifar macro)
 * @param resnetBlocks basic blocks per stage of the ResNet baseline
 * @param auxiliary whether derived cell networks train with DARTS' auxiliary head (the ResNet has none)
 * @param maxMacs MACs budget per sample, 0 for none
 * @param maxLatencyMs budget on the network's measured latency (ONNX Runtime CPU, batch 1), 0 for none
 * @param budgetChannels width of the networks of budget-aware methods ({@code <algo>+budget}): they
 *     fit the budget by their genotype at this width, where the others fit it by their width; 0
 *     reads as {@link #DEFAULT_BUDGET_CHANNELS}
 * @param lut latency table of budget-aware searches under a latency budget; null: measured into
 *     the comparison folder's {@link #TABLE} before the first run that needs it
 * @param repeat video spaces: normal cells per stage K of the supernets and of the retrained
 *     networks (in the space's video macro); 0 reads as 1, and image spaces have none
 * @param stemChannels video spaces: stem width C1 of supernets and networks; 0 reads as 8
 */
public record CompareConfig(String dataset, String dataDir, String input, int classes, int trainSamples,
    int testSamples, String space, long maxMacs, int searchEpochs, int searchLayers, int searchChannels,
    int searchBatch, int searchSamples, int warmupEpochs, double archLr, int layers, int resnetBlocks,
    int trainEpochs, int trainBatch, double lr, int cutout, double dropPath, boolean auxiliary, int benchWarmup,
    int benchIterations, double maxLatencyMs, int budgetChannels, String lut, int repeat, int stemChannels)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Width of budget-aware methods' networks unless set: the default pipeline's evaluation width. */
  public static final int DEFAULT_BUDGET_CHANNELS = 16;
  /** The latency table a comparison measures for itself, in its folder. */
  public static final String TABLE = "lut.json";

  public CompareConfig {
    Objects.requireNonNull(dataset, "dataset");
    SearchSpace.named(space);
    require(maxMacs >= 0 && maxLatencyMs >= 0, "--max-macs and --max-latency-ms must be positive");
    require(maxMacs > 0 || maxLatencyMs > 0, "a comparison needs a budget: --max-macs, --max-latency-ms or both");
    budgetChannels = budgetChannels == 0 ? DEFAULT_BUDGET_CHANNELS : budgetChannels;
    boolean video = SearchSpace.named(space).video();
    require(video || (repeat == 0 && stemChannels == 0), "--repeat and --stem-channels are for video spaces");
    repeat = video && repeat == 0 ? 1 : repeat;
    stemChannels = video && stemChannels == 0 ? 8 : stemChannels;
    require(repeat >= 0 && stemChannels >= 0, "--repeat and --stem-channels must be positive");
    require(budgetChannels >= 2 && budgetChannels % 2 == 0, "--budget-channels must be even and at least 2 "
        + "(FactorizedReduce halves it), got " + budgetChannels);
    require(layers >= 3, "--layers must be at least 3 (a normal cell before two reduction cells)");
    if (SearchSpace.named(space).keepsEveryEdge()) { // nb201: three stages of N cells, no auxiliary head
      require(layers % 3 == 0 && searchLayers % 3 == 0, "space " + space + " stacks three stages of N cells: --layers"
          + " and --search-layers must be multiples of 3, got " + layers + " and " + searchLayers);
      require(!auxiliary, "the nb201 macro has no auxiliary head; drop --auxiliary");
    }
    require(resnetBlocks >= 1, "--resnet-blocks must be at least 1");
    require(benchIterations >= 1 && benchWarmup >= 0, "--bench-iterations must be positive");
    if (input != null) {
      FeatureShape.parse(input, SearchSpace.named(space).video() ? FeatureShape.CLIP : FeatureShape.IMAGE);
    }
  }

  /**
   * Checks the search and training settings with the records nas search and nas train use, so a
   * bad value fails before any run starts (a compact constructor cannot: its fields are not set yet).
   */
  public CompareConfig validated() {
    searchConfig("darts", 0);
    trainConfig(0);
    return this;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The search of algorithm {@code algo} for {@code seed}: nas search's settings with this comparison's budget. */
  public SearchConfig searchConfig(String algo, long seed) {
    SearchConfig d = SearchAlgorithms.named(algo).defaults();
    SearchConfig c = d.withSeed(seed)
        .withDataAndSupernet(new DataSettings(dataset, dataDir, input, classes, searchSamples, testSamples,
            d.data().trainPortion(), d.data().augment(), 0),
            new SupernetShape(space, searchLayers, searchChannels, repeat, stemChannels, 1, null))
        .withSchedule(new EpochSchedule(searchEpochs, searchBatch, warmupEpochs, 0, d.schedule().lrSchedule()))
        .withArch(d.arch().withLr(archLr));
    // CDARTS' E-Net is as deep as the compared networks and as wide as the S-Net; like every method's
    // genotype, the found one is then retrained at the budget width with the common recipe
    return c.cdarts() == null ? c : c.withCdarts(c.cdarts().withEnet(layers, searchChannels));
  }

  /**
   * The cost settings of a budget-aware search ({@code <algo>+budget}): its target is the budget
   * (latency when there is a latency budget, else MACs), and every budget is a hard budget of the
   * written genotype, for the network of {@code budgetChannels} × {@code layers} cells the run
   * trains.
   *
   * @param table the latency table's path as the run sees it (needed under a latency budget)
   */
  public CostSettings costSettings(String table) {
    DerivedShape net = new DerivedShape(cellMacro().id(), budgetChannels, cellMacro().video() ? 0 : layers, repeat,
        stemChannels);
    boolean latency = maxLatencyMs > 0;
    return new CostSettings(latency ? CostMetric.LATENCY : CostMetric.MACS, latency ? maxLatencyMs : maxMacs, null, 0,
        net, latency ? table : null, maxMacs, 0, maxLatencyMs, null, null);
  }

  /** Whether the comparison is on clips (a video space; the data must be clips too). */
  public boolean clips() {
    return SearchSpace.named(space).video();
  }

  /** The macro genotypes are retrained in: the space's own (cifar for image spaces, a video macro for clips). */
  public MacroConfig.Kind cellMacro() {
    return MacroConfig.Kind.parse(SearchSpace.named(space).macro());
  }

  /**
   * The hand-crafted baseline's macro: the CIFAR ResNet for images, its 3-D form for clips; in the
   * nb201 space the benchmark's own macro, whose ResNet is a cell ({@link #baselineGenotype}).
   */
  public MacroConfig.Kind baselineMacro() {
    if (baselineGenotype().isPresent()) {
      return cellMacro();
    }
    return clips() ? MacroConfig.Kind.RESNET3D : MacroConfig.Kind.RESNET;
  }

  /**
   * The baseline's cell where the space defines one: NAS-Bench-201's ResNet (its Section 2.1, the
   * residual cell {@code nb201_resnet} in the benchmark's macro), so that the baseline differs from
   * the searched networks only by its cell, as in the benchmark's tables; empty elsewhere.
   */
  public Optional<Genotype> baselineGenotype() {
    return SearchSpace.named(space) == SearchSpace.NB201 ? Optional.of(Genotypes.named("nb201_resnet"))
        : Optional.empty();
  }

  /** The baseline in words, for reports. */
  public String baselineDescription() {
    return baselineGenotype().isPresent() ? "NAS-Bench-201 ResNet cell (nb201_resnet) in the " + cellMacro().id()
        + " macro" : String.format(Locale.ROOT, "%s with %d basic block(s) per stage", baselineMacro().id(),
        resnetBlocks);
  }

  /**
   * The network of macro {@code kind} at {@code width} that every run trains: {@code resnetBlocks}
   * blocks per stage for the baselines, {@code repeat} and {@code stemChannels} for video macros,
   * {@code layers} cells otherwise; the auxiliary head as set, for cell networks.
   */
  public MacroConfig network(MacroConfig.Kind kind, int width, int classes, FeatureShape input) {
    if (kind.cellFree()) {
      return new MacroConfig(kind, width, resnetBlocks, classes, input, false);
    }
    if (kind.video()) {
      return MacroConfig.video(kind, width, repeat, stemChannels, classes, input, auxiliary);
    }
    return new MacroConfig(kind, width, layers, classes, input, auxiliary);
  }

  /** The budget in words, e.g. "20M MACs and 0.5 ms". */
  public String budgetDescription() {
    return WidthFit.describe(maxMacs, maxLatencyMs);
  }

  /** The training recipe, the same for every network; only the seed (initialisation, order, augmentation) varies. */
  public TrainConfig trainConfig(long seed) {
    return new TrainConfig(dataset, dataDir, input, trainSamples, testSamples, trainEpochs, trainBatch, lr, 0, 0.9,
        3e-4, 5.0, cutout, auxiliary ? 0.4 : 0, dropPath, 0, true, seed);
  }

  /** Fields whose values differ from {@code other}'s, as "name: this vs other". */
  public List<String> differences(CompareConfig other) {
    return dev.nas.core.run.ConfigDiff.of(this, other);
  }
}
