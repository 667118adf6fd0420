package dev.nas.cli.compare;

import dev.nas.core.genotype.GenotypeJson;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.ops.SearchSpace;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods {@code nas compare} knows, by name. Every registered search algorithm
 * ({@link SearchAlgorithms}) is a method, so a new algorithm is comparable at once; {@code random}
 * samples genotypes uniformly; {@code resnet} is the hand-crafted baseline. Every algorithm is also
 * a budget-aware method, {@code <algo>+budget}: the same search with the comparison's budget as its
 * cost target and hard budget ({@link CompareConfig#costSettings}), whose network keeps the width
 * the budget was searched at instead of being scaled to it. A further method of
 * another kind is one more {@link #put} in the static block: a {@link Method} whose {@code propose}
 * runs it into {@code dir} and returns its genotype and search time; scaling, training and
 * measuring stay here.
 */
public final class Methods {
  private static final Map<String, Method> METHODS = new LinkedHashMap<>();

  static {
    put(new RandomSampling(false));
    put(new RandomSampling(true));
    for (SearchAlgorithm a : SearchAlgorithms.all()) {
      put(new Search(a, false));
    }
    for (SearchAlgorithm a : SearchAlgorithms.all()) {
      put(new Search(a, true));
    }
    put(new ResNetBaseline());
  }

  private Methods() {}

  private static void put(Method m) {
    METHODS.put(m.name(), m);
  }

  /** Names of all methods, in registry order. */
  public static List<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  /** The method called {@code name}; fails listing the known ones. */
  public static Method named(String name) {
    Method m = METHODS.get(name.trim());
    if (m == null) {
      throw new IllegalArgumentException("unknown method '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
    return m;
  }

  /** The methods of a list of names, refusing unknown and repeated names. */
  public static List<Method> named(List<String> names) {
    List<Method> out = new ArrayList<>();
    for (String n : names) {
      Method m = named(n);
      if (out.contains(m)) {
        throw new IllegalArgumentException("method " + n + " is listed twice");
      }
      out.add(m);
    }
    return out;
  }

  /** The suffix of a budget-aware method's name. */
  public static final String BUDGET_AWARE = "+budget";

  /**
   * A registered search algorithm, run as {@code nas search} runs it, into {@code search/}; the
   * comparison's settings are {@link CompareConfig#searchConfig} (the algorithm's defaults with the
   * comparison's data and search budget), with the budget in the objective when
   * {@code budgetAware}.
   */
  record Search(SearchAlgorithm algorithm, boolean budgetAware) implements Method {
    public String name() {
      return algorithm.name() + (budgetAware ? BUDGET_AWARE : "");
    }

    public String kind() {
      return budgetAware ? "budget-aware search" : "search";
    }

    public boolean usesLatencyTable() {
      return budgetAware;
    }

    public Proposal propose(Context ctx, long seed, Path dir) throws java.io.IOException {
      CompareConfig c = ctx.config();
      SearchConfig sc = c.searchConfig(algorithm.name(), seed);
      if (budgetAware) {
        sc = sc.withCost(c.costSettings(ctx.table() == null ? null : ctx.table().toString()));
      }
      SearchResult r = algorithm.run(sc, dir.resolve("search"), ctx.device(), ctx.console(),
          SearchAlgorithm.RunControl.FRESH);
      return new Proposal(r.genotype(), c.cellMacro(), r.seconds(), "search",
          budgetAware ? c.budgetChannels() : 0);
    }
  }

  /**
   * Random search's single sample: a genotype drawn uniformly from the space with the run's seed;
   * when its network cannot meet the budget at any width (under a latency budget, a genotype of
   * many convolutions is slower than the budget even at width 2: small networks are bound by the
   * count of operators, not their width), further genotypes are drawn from derived seeds, so that
   * the sample is uniform among the genotypes that can meet the budget. Budget-aware
   * ({@code random+budget}): drawn until one meets the budget at {@code --budget-channels}, and
   * kept at that width, the random counterpart of {@code <algo>+budget}.
   */
  record RandomSampling(boolean budgetAware) implements Method {
    /** Draws before giving up and taking the first genotype (reported over the budget). */
    static final int MAX_DRAWS = 200;

    public String name() {
      return "random" + (budgetAware ? BUDGET_AWARE : "");
    }

    public String kind() {
      return budgetAware ? "budget-aware sampler" : "sampler";
    }

    public Proposal propose(Context ctx, long seed, Path dir) throws java.io.IOException {
      long t = System.nanoTime();
      SearchSpace space = SearchSpace.named(ctx.config().space());
      int width = budgetAware ? ctx.config().budgetChannels() : 0;
      String where = budgetAware ? "at width " + width : "at any width";
      var first = RandomGenotypes.sample(space, seed);
      var g = first;
      int draws = 1;
      boolean fits = ctx.fits().test(g, width);
      while (!fits && draws < MAX_DRAWS) {
        g = RandomGenotypes.sample(space, drawSeed(seed, draws));
        draws++;
        fits = ctx.fits().test(g, width);
      }
      if (!fits) {
        ctx.console().printf("%s: none of %d genotypes meets the budget %s; keeping the first%n", name(), draws, where);
        g = first;
      } else if (draws > 1) {
        ctx.console().printf("%s: drew %d genotypes to find one that meets the budget %s%n", name(), draws, where);
      }
      double seconds = (System.nanoTime() - t) / 1e9;
      AtomicFiles.writeString(dir.resolve("genotype.json"), GenotypeJson.write(g));
      return new Proposal(g, ctx.config().cellMacro(), seconds, null, width);
    }

    /** The seed of draw {@code i} > 0 of a run: apart from every run's first draw (seeds are small). */
    static long drawSeed(long seed, int i) {
      return seed + 1_000_000_007L * i;
    }
  }

  /**
   * The hand-crafted ResNet (resnet macro; resnet3d on clips; in nb201 the benchmark's ResNet cell in
   * its macro, {@link CompareConfig#baselineGenotype}); nothing to search.
   */
  record ResNetBaseline() implements Method {
    public String name() {
      return "resnet";
    }

    public String kind() {
      return "baseline";
    }

    public Proposal propose(Context ctx, long seed, Path dir) {
      CompareConfig c = ctx.config();
      return new Proposal(c.baselineGenotype().orElse(null), c.baselineMacro(), 0, null);
    }
  }
}
