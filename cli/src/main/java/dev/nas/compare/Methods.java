package dev.nas.compare;

import dev.nas.genotype.GenotypeJson;
import dev.nas.genotype.RandomGenotypes;
import dev.nas.io.AtomicFiles;
import dev.nas.macro.MacroConfig;
import dev.nas.ops.SearchSpace;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.SearchRun;
import dev.nas.search.cdarts.CdartsConfig;
import dev.nas.search.cdarts.CdartsResult;
import dev.nas.search.cdarts.CdartsRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods {@code nas compare} knows, by name. Every algorithm of {@link SearchConfig#ALGORITHMS}
 * is a method that runs {@link SearchRun} (so a new algorithm there is comparable at once);
 * {@code random} samples genotypes uniformly; {@code resnet} is the hand-crafted baseline; {@code cdarts}
 * runs its own run type. A further method with its own kind of run is one more {@link #put} in the static block: a {@link Method} whose {@code propose} runs it into
 * {@code dir} and returns its genotype and search time; scaling, training and measuring stay here.
 */
public final class Methods {
  private static final Map<String, Method> METHODS = new LinkedHashMap<>();

  static {
    put(new RandomSampling());
    for (String algo : SearchConfig.ALGORITHMS) {
      put(algo.equals(CdartsConfig.ALGO) ? new CyclicSearch() : new Search(algo));
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

  /** A differentiable search with nas search's {@link SearchRun}, into {@code search/}. */
  record Search(String name) implements Method {
    public String kind() {
      return "search";
    }

    public Proposal propose(Context ctx, long seed, Path dir) throws java.io.IOException {
      SearchConfig sc = ctx.config().searchConfig(name, seed);
      SearchResult r = new SearchRun(sc, dir.resolve("search"), ctx.device(), ctx.console()).execute(false, 0, false);
      return new Proposal(r.genotype(), MacroConfig.Kind.CIFAR, r.seconds(), "search");
    }
  }

  /**
   * CDARTS with its own run type, into {@code search/}. Its E-Net is as deep as the compared
   * networks ({@code --layers}) and as wide as the S-Net; like every method's genotype, the found
   * one is then retrained at the budget width with the common recipe (the E-Net's own weights are
   * not used here, so the comparison is of architectures, not of training schedules).
   */
  record CyclicSearch() implements Method {
    public String name() {
      return CdartsConfig.ALGO;
    }

    public String kind() {
      return "search";
    }

    public Proposal propose(Context ctx, long seed, Path dir) throws java.io.IOException {
      CompareConfig c = ctx.config();
      CdartsConfig d = CdartsConfig.defaults(c.searchConfig(CdartsConfig.ALGO, seed));
      CdartsConfig cfg = new CdartsConfig(d.search(), d.distillWeight(), d.skipWeight(), d.temperature(),
          d.updateSteps(), d.enetSteps(), c.layers(), c.searchChannels(), d.enetRepeat());
      CdartsResult r = new CdartsRun(cfg, dir.resolve("search"), ctx.device(), ctx.console()).execute();
      return new Proposal(r.genotype(), MacroConfig.Kind.CIFAR, r.seconds(), "search");
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
      return new Proposal(g, MacroConfig.Kind.CIFAR, seconds, null);
    }
  }

  /** The hand-crafted CIFAR ResNet (resnet macro); nothing to search. */
  record ResNetBaseline() implements Method {
    public String name() {
      return "resnet";
    }

    public String kind() {
      return "baseline";
    }

    public Proposal propose(Context ctx, long seed, Path dir) {
      return new Proposal(null, MacroConfig.Kind.RESNET, 0, null);
    }
  }
}
