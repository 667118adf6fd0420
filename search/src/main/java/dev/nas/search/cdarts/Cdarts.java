package dev.nas.search.cdarts;

import ai.djl.Device;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchResult;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.config.ArchOptimizer;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.WeightOptimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * CDARTS (Yu et al. 2022): cyclic search of a supernet (S-Net) and an evaluation network (E-Net)
 * rebuilt from α, with introspective distillation; run by {@link CdartsRun}, without checkpoints.
 */
public final class Cdarts implements SearchAlgorithm {
  @Override
  public String name() {
    return "cdarts";
  }

  @Override
  public String description() {
    return "CDARTS' cyclic search: S-Net and E-Net with introspective distillation";
  }

  /**
   * The CDARTS paper's search settings for CIFAR-10: S-Net C=16 with 8 cells, E-Net C=36 with 20
   * cells ({@link CdartsSettings#PAPER}), 30 epochs, batch 64, weights SGD 0.1 (cosine to 0.001)
   * momentum 0.9 weight decay 3e-4, α Adam 3e-4 with "momentum" {0.5, 0.99} (betas) and weight decay
   * 3e-4 (Section 4.1), λ=4, λ'=5, T=2, S_U = S_E = 1 epoch.
   */
  @Override
  public SearchConfig defaults() {
    SearchConfig d = SearchAlgorithms.dartsSettings(name(), CdartsSettings.PAPER, null);
    EpochSchedule s = d.schedule();
    WeightOptimizer w = d.weights();
    return d.withSchedule(new EpochSchedule(30, s.batch(), 0))
        .withWeights(new WeightOptimizer(0.1, 0.001, w.momentum(), 3e-4, w.gradClip()))
        .withArch(new ArchOptimizer(3e-4, 0.5, 0.99, 3e-4)).withCdarts(CdartsSettings.PAPER);
  }

  @Override
  public void validate(SearchConfig.Settings settings) {
    if (settings.cdarts() == null) {
      throw new IllegalArgumentException("a cdarts configuration needs its CDARTS settings");
    }
  }

  @Override
  public boolean resumable() {
    return false;
  }

  @Override
  public SearchResult run(SearchConfig c, Path run, Device device, PrintStream console, RunControl control)
      throws IOException {
    if (control.resume() || control.stopAfter() > 0) {
      throw new IllegalArgumentException("--resume and --stop-after are not supported for --algo cdarts (a CDARTS "
          + "run keeps no checkpoint); start a new search with another --out");
    }
    return new CdartsRun(c, run, device, console).execute();
  }
}
