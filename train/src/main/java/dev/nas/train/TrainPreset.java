package dev.nas.train;

import dev.nas.data.ClipWindows;
import dev.nas.data.ScaleJitter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A paper's retraining recipe, by name ({@code nas train --preset NAME}); options given on the
 * command line override its values. The network itself (cells, width, depth) comes from the
 * network folder, as {@code nas derive} made it.
 *
 * @param name the preset's name
 * @param source the paper and section it reproduces, and what the paper leaves open
 * @param config the recipe
 */
public record TrainPreset(String name, String source, TrainConfig config) {
  private static final Map<String, TrainPreset> ALL = new LinkedHashMap<>();

  static {
    TrainConfig darts = recipe("cifar10", 600, 96, 0.025, 3e-4, 16, 0.4, 0.2, 0, LrPolicy.COSINE);
    add(new TrainPreset("darts-cifar", "DARTS (Liu et al. 2019), Section 3.3 / Appendix A.2: 600 epochs, batch 96, "
        + "SGD 0.025 cosine to 0, momentum 0.9, wd 3e-4, cutout 16, drop-path 0.2, auxiliary 0.4, clip 5", darts));
    add(new TrainPreset("sdas-cifar", "SDAS (Qiu et al.), Section 4.1: DARTS' recipe (600 epochs, batch 96, cutout, "
        + "path dropout, auxiliary towers; the values as DARTS)", darts));
    add(new TrainPreset("sdas-imagenet", "SDAS (Qiu et al.), Section 4.2 (ImageNet, mobile setting): 250 epochs, batch "
        + "128, SGD 0.1 ×0.97 after each epoch, wd 3e-5; the paper does not name other regularisers, so cutout, "
        + "drop-path and the auxiliary head are off",
        recipe("image-folder", 250, 128, 0.1, 3e-5, 0, 0, 0, 0, new LrPolicy(LrPolicy.Kind.EXPONENTIAL, 0, 0.97))));
    add(new TrainPreset("cdarts-cifar", "CDARTS (Yu et al.), Section 4.1 (CIFAR retraining, as P-DARTS): 600 epochs, "
        + "batch 128, SGD 0.025 cosine to 0, momentum 0.9, wd 5e-4, drop-path 0.3, auxiliary 0.4, cutout 16",
        recipe("cifar10", 600, 128, 0.025, 5e-4, 16, 0.4, 0.3, 0, LrPolicy.COSINE)));
    add(new TrainPreset("cdarts-imagenet", "CDARTS (Yu et al.), Section 4.2 (ImageNet retraining, as P-DARTS): 250 "
        + "epochs, SGD 0.5 cosine with 5 warm-up epochs, momentum 0.9, wd 3e-5, label smoothing 0.1, auxiliary 0.4; "
        + "the batch is not stated, 1024 is P-DARTS'; no cutout or drop-path",
        recipe("image-folder", 250, 1024, 0.5, 3e-5, 0, 0.4, 0, 0.1, new LrPolicy(LrPolicy.Kind.COSINE, 5, 0.97))));
    // CDARTS scores NAS-Bench-201 cells by the benchmark's tables, not by retraining; training a found
    // cell in nas follows the benchmark's own recipe (Dong & Yang 2020, Section 2.3 / Table 3).
    add(new TrainPreset("cdarts-nb201", "NAS-Bench-201's training recipe (Dong & Yang 2020, Section 2.3), by which the "
        + "cells CDARTS finds there are scored (Section 4.2, Table 2): 200 epochs, batch 256, SGD 0.1 cosine to 0, "
        + "momentum 0.9 (the benchmark's is Nesterov; nas' SGD is not), wd 5e-4, random crop with 4 padding and flip; "
        + "no cutout, drop-path or auxiliary head",
        recipe("cifar10", 200, 256, 0.1, 5e-4, 0, 0, 0, 0, LrPolicy.COSINE)));
    TrainConfig pv = recipe("video-folder", 196, 256, 0.32, 1e-4, 0, 0, 0.1, 0,
        new LrPolicy(LrPolicy.Kind.COSINE, 36, 0.97));
    add(new TrainPreset("pvnas-kinetics", "PV-NAS (Wang et al.), Section 4.2 (Kinetics-400): 196 epochs, SGD momentum"
        + " 0.9, wd 1e-4, cosine after 36 warm-up epochs, drop-path 0.1; batch 8 clips × 32 GPUs = 256 at lr 0.01 per"
        + " GPU, so 0.32 by the linear scaling rule; the search's temporal sampling (8 frames over 64, frame stride 8);"
        + " 30-view testing as 10 clips × 3 crops. The FC dropout 0.4 belongs to the network: derive it with --dropout"
        + " 0.4; short sides jittered in [256, 320] before the random 224 crop (test clips at 256)",
        new TrainConfig(pv.dataset(), null, null, 0, 0, pv.epochs(), pv.batch(), pv.lr(), pv.lrMin(), pv.momentum(),
            pv.weightDecay(), pv.gradClip(), pv.cutout(), pv.auxWeight(), pv.dropPath(), pv.labelSmoothing(),
            pv.augment(), pv.seed(), 10, pv.lrPolicy(), 8, 3, new ScaleJitter(256, 320), ClipWindows.ANY)));
    // Section 7.1 gives the epochs and the batch; the optimiser is the search's (Section 5.3), the only one the
    // paper states for video.
    TrainConfig sd = recipe("video-folder", 96, 64, 0.025, 3e-4, 0, 0, 0, 0, LrPolicy.COSINE);
    add(new TrainPreset("sdas-kinetics", "SDAS (Qiu et al.), Sections 5.2 and 7.1 (Kinetics10): 96 epochs, batch 64;"
        + " 16 consecutive frames (frame stride 1) from the non-overlapping 16-frame clips (aligned windows), short"
        + " side 128, the loader's random 112×112 crop and flip; test: 20 uniformly spread clips per video, centre"
        + " crop. The paper states no retraining optimiser: we take its search's (Section 5.3: momentum SGD 0.025"
        + " cosine to 0; momentum 0.9, DARTS' weight decay 3e-4 and clip 5, as it gives none); it names no cutout,"
        + " drop-path or auxiliary head for video, so they are off, and so is nas' batch augmentation (a padded shift"
        + " and flip on top of the loader's crop and flip, which the paper does not have)",
        new TrainConfig(sd.dataset(), null, null, 0, 0, sd.epochs(), sd.batch(), sd.lr(), sd.lrMin(), sd.momentum(),
            sd.weightDecay(), sd.gradClip(), 0, 0, 0, 0, false, sd.seed(), 20, sd.lrPolicy(), 1, 1, null,
            ClipWindows.ALIGNED)));
  }

  private static TrainConfig recipe(String dataset, int epochs, int batch, double lr, double weightDecay, int cutout,
      double aux, double dropPath, double labelSmoothing, LrPolicy policy) {
    TrainConfig d = TrainConfig.defaults(dataset);
    return new TrainConfig(dataset, null, null, 0, 0, epochs, batch, lr, 0, 0.9, weightDecay, d.gradClip(), cutout, aux,
        dropPath, labelSmoothing, true, d.seed(), 0, policy, 0, 0, null, ClipWindows.ANY);
  }

  private static void add(TrainPreset p) {
    ALL.put(p.name(), p);
  }

  /** Every preset, in a stable order. */
  public static List<TrainPreset> all() {
    return List.copyOf(ALL.values());
  }

  /** The preset called {@code name}; fails listing the known ones. */
  public static TrainPreset named(String name) {
    TrainPreset p = ALL.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown --preset '" + name + "' for nas train (known: "
          + String.join(", ", ALL.keySet()) + ")");
    }
    return p;
  }
}
