package dev.nas.cli.compare;

import dev.nas.core.genotype.GenotypeJson;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.macro.MacroConfig;
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
    put(new RandomSampling());
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

  /** Random search's single sample: a genotype drawn uniformly from the space with the run's seed. */
  record RandomSampling() implements Method {
    public String name() {
      return "random";
    }

    public String kind() {
      return "sampler";
    }

    public Proposal propose(Context ctx, long seed, Path dir) throws java.io.IOException {
      long t = System.nanoTime();
      var g = RandomGenotypes.sample(SearchSpace.named(ctx.config().space()), seed);
      double seconds = (System.nanoTime() - t) / 1e9;
      AtomicFiles.writeString(dir.resolve("genotype.json"), GenotypeJson.write(g));
      return new Proposal(g, ctx.config().cellMacro(), seconds, null);
    }
  }

  /** The hand-crafted ResNet (resnet macro; resnet3d on clips); nothing to search. */
  record ResNetBaseline() implements Method {
    public String name() {
      return "resnet";
    }

    public String kind() {
      return "baseline";
    }

    public Proposal propose(Context ctx, long seed, Path dir) {
      return new Proposal(null, ctx.config().baselineMacro(), 0, null);
    }
  }
}
