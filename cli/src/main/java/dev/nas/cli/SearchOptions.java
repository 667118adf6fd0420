package dev.nas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.io.Json;
import dev.nas.search.SearchConfig;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Options;

/**
 * The options of {@code nas search} that set a field of the search configuration: each names the
 * field it sets, so applying them is one loop and their help states every algorithm's default as
 * {@link SearchAlgorithm#defaults()} has it, never a copy of the value.
 */
final class SearchOptions {
  private SearchOptions() {}

  /**
   * One option.
   *
   * @param path the configuration field, as group.name ({@link SearchConfig}'s JSON)
   * @param help what it does; the defaults are appended
   */
  record ConfigOption(String name, String arg, String path, String help) {
    /** Whether only one algorithm reads it (CDARTS' settings). */
    boolean cdartsOnly() {
      return path.startsWith("cdarts.");
    }

    /** Whether only the SDAS paper's algorithms read it (das, sdas-*). */
    boolean sdasOnly() {
      return path.startsWith("sdas.");
    }
  }

  static final List<ConfigOption> FIELDS = List.of(
      new ConfigOption("train-portion", "F", "data.trainPortion",
          "share of the training set for weights; the rest is the validation split for the architecture"),
      new ConfigOption("frame-stride", "N", "data.frameStride", "video-folder: frame step inside a clip's window (0 = "
          + "the loader's 2; SDAS takes consecutive frames, 1)"),
      new ConfigOption("clip-windows", "W", "data.clipWindows", "video-folder: where a training clip's window (T × "
          + "--frame-stride frames) starts: any frame, or aligned, at multiples of its length, so the windows are the "
          + "video's non-overlapping clips (SDAS, Section 5.2)"),
      new ConfigOption("epochs", "E", "schedule.epochs", "epochs"),
      new ConfigOption("batch", "B", "schedule.batch", "batch size"),
      new ConfigOption("warmup-epochs", "N", "schedule.warmupEpochs",
          "first N epochs train only the weights, α frozen (0 in DARTS)"),
      new ConfigOption("lr-schedule", "S", "schedule.lrSchedule", "weight learning rate schedule: cosine (annealed "
          + "to --lr-min) or step (×0.1 every --lr-step epochs)"),
      new ConfigOption("lr-step", "S", "schedule.lrStep", "step schedule: multiply the weight learning rate by 0.1 "
          + "every S epochs (0 = a quarter of --epochs, rounded up: PV-NAS' 20 of 80)"),
      new ConfigOption("layers", "L", "supernet.layers", "cells in the supernet (image spaces)"),
      new ConfigOption("channels", "C", "supernet.channels", "initial width"),
      new ConfigOption("repeat", "K", "supernet.repeat", "video spaces: normal cells per stage of the video-sdas "
          + "supernet (the video-pvnas supernet has one cell of each type)"),
      new ConfigOption("stem-channels", "C1", "supernet.stemChannels",
          "video spaces: width of the first stem convolution"),
      new ConfigOption("macro", "M", "supernet.macro", "macro of the supernet: the space's (default; cifar for image"
          + " spaces) or, for image spaces, imagenet (three-convolution stem to 1/8, CDARTS' ImageNet search)"),
      new ConfigOption("partial-channels", "K", "supernet.partialChannels", "PC-DARTS: mixed edges compute 1/K of "
          + "their channels and pass the rest through, nodes normalise their edges; 1 is off"),
      new ConfigOption("genotype-rule", "R", "sdas.genotypeRule", "das: das, each node's top-2 inputs by β and each "
          + "edge's arg-max α (the SDAS paper's), or darts, DARTS' rule on σ(β)·softmax(α)"),
      new ConfigOption("decision-queue", "Q", "sdas.queue", "sdas-*: shared, one queue of decisions for all cell types"
          + " (the SDAS paper's), or per-type, each cell type its own count in lockstep"),
      new ConfigOption("seed", "S", "seed", "random seed"),
      new ConfigOption("lr", "X", "weights.lr", "initial weight learning rate (--lr-schedule)"),
      new ConfigOption("lr-min", "X", "weights.lrMin", "final weight learning rate of the cosine schedule"),
      new ConfigOption("momentum", "X", "weights.momentum", "SGD momentum"),
      new ConfigOption("weight-decay", "X", "weights.weightDecay", "weight decay"),
      new ConfigOption("grad-clip", "X", "weights.gradClip", "gradient norm clip"),
      new ConfigOption("arch-lr", "X", "arch.lr", "Adam learning rate of α and β"),
      new ConfigOption("arch-weight-decay", "X", "arch.weightDecay", "weight decay of α and β"),
      new ConfigOption("distill-weight", "X", "cdarts.distillWeight", "cdarts: λ, weight of the distillation loss"),
      new ConfigOption("skip-weight", "X", "cdarts.skipWeight", "cdarts: λ', weight of the L1 penalty on the "
          + "skip_connect weights (--skip-penalty), decaying linearly to 0 over the first 2/3 of the search epochs"),
      new ConfigOption("skip-penalty", "F", "cdarts.skipPenalty", "cdarts: alpha, λ'·Σ|α_skip| as the paper's Eq. 11,"
          + " or softmax, λ'·Σ softmax(α)_skip"),
      new ConfigOption("head-loss", "F", "cdarts.headLoss", "cdarts: what the stage heads add to the joint step: "
          + "distill, the distillation only (the paper's Eq. 8), or distill-ce, also their cross-entropy"),
      new ConfigOption("temperature", "X", "cdarts.temperature", "cdarts: distillation temperature T"),
      new ConfigOption("update-steps", "N", "cdarts.updateSteps",
          "cdarts: S_U, rebuild the E-Net from α every N steps (0 = one epoch)"),
      new ConfigOption("enet-steps", "N", "cdarts.enetSteps",
          "cdarts: S_E, E-Net steps on the val split after each rebuild (0 = one epoch)"),
      new ConfigOption("enet-epochs", "N", "cdarts.enetEpochs", "cdarts: S_E in epochs (0 = --enet-steps)"),
      new ConfigOption("enet-layers", "N", "cdarts.enetLayers", "cdarts: cells of the evaluation network"),
      new ConfigOption("enet-channels", "C", "cdarts.enetChannels", "cdarts: initial width of the evaluation network"),
      new ConfigOption("enet-repeat", "K", "cdarts.enetRepeat",
          "cdarts on video spaces: normal cells per stage of the evaluation network"));

  /** The {@code --algo} help: every registered algorithm with its description. */
  static String algorithmHelp() {
    List<String> parts = new ArrayList<>();
    for (SearchAlgorithm a : SearchAlgorithms.all()) {
      parts.add(a.name() + ": " + a.description());
    }
    return String.join("; ", parts) + " (default darts)";
  }

  /** Adds every field option, with its defaults, to {@code o}. */
  static void add(Options o) {
    for (ConfigOption f : FIELDS) {
      String d = defaults(f);
      o.addOption(Command.opt(f.name(), f.arg(), d.isEmpty() ? f.help() : f.help() + " (" + d + ")"));
    }
  }

  /** "default 0.025; pvnas 1e-4": darts' default and every algorithm's that differs from it. */
  static String defaults(ConfigOption f) {
    Map<String, String> byAlgo = new LinkedHashMap<>();
    for (SearchAlgorithm a : SearchAlgorithms.all()) {
      JsonNode v = at(Json.MAPPER.valueToTree(a.defaults()), f.path());
      if (v != null && !v.isNull()) {
        byAlgo.put(a.name(), format(v));
      }
    }
    String base = byAlgo.get("darts");
    List<String> out = new ArrayList<>();
    if (base != null) {
      out.add("default " + base);
    }
    byAlgo.forEach((algo, v) -> {
      if (base == null || !v.equals(base)) {
        out.add(algo + " " + v);
      }
    });
    return String.join("; ", out);
  }

  private static JsonNode at(JsonNode root, String path) {
    JsonNode n = root;
    for (String p : path.split("\\.")) {
      n = n == null ? null : n.get(p);
    }
    return n;
  }

  private static String format(JsonNode v) {
    if (!v.isNumber()) {
      return v.asText();
    }
    BigDecimal d = v.decimalValue().stripTrailingZeros();
    return d.scale() > 4 ? d.toString().toLowerCase(java.util.Locale.ROOT) : d.toPlainString();
  }

  /**
   * {@code base} with every field option given in {@code a} applied, and {@code --scale-jitter} and
   * {@code --no-augment};
   * a CDARTS option on another algorithm is refused naming the option.
   */
  static SearchConfig apply(Args a, SearchConfig base) {
    ObjectNode tree = Json.MAPPER.valueToTree(base);
    for (ConfigOption f : FIELDS) {
      if (!a.has(f.name())) {
        continue;
      }
      if (f.cdartsOnly() && base.cdarts() == null) {
        throw new UsageException("--" + f.name() + " is a cdarts option; add --algo cdarts");
      }
      if (f.sdasOnly() && base.sdas() == null) {
        throw new UsageException("--" + f.name() + " is an option of das and sdas-*; add --algo das or sdas-a|b|c");
      }
      String[] p = f.path().split("\\.");
      ObjectNode group = p.length == 1 ? tree : (ObjectNode) tree.get(p[0]);
      String field = p[p.length - 1];
      JsonNode current = group.get(field);
      if (current == null || current.isNull() || current.isTextual()) {
        group.put(field, a.str(f.name(), current == null ? null : current.asText()));
      } else if (current.isIntegralNumber() && current.canConvertToInt() && !f.path().equals("seed")) {
        group.put(field, a.integer(f.name(), current.asInt()));
      } else if (current.isIntegralNumber()) {
        group.put(field, a.longValue(f.name(), current.asLong()));
      } else {
        group.put(field, a.number(f.name(), current.asDouble()));
      }
    }
    if (a.has("scale-jitter")) {
      ((ObjectNode) tree.get("data")).set("scaleJitter", Json.MAPPER.valueToTree(DataOptions.scaleJitter(a, null)));
    }
    if (a.has("no-augment")) {
      ((ObjectNode) tree.get("data")).put("augment", false);
    }
    try {
      return Json.MAPPER.treeToValue(tree, SearchConfig.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new UsageException(c.getMessage() == null ? e.getOriginalMessage() : c.getMessage());
    }
  }
}
