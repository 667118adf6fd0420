package dev.nas.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeJson;
import dev.nas.core.genotype.GenotypeValidator;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a static network except its weights: genotype, macro, preprocessing,
 * class names, plus free-form provenance ({@code info}: dataset, training results, ...). The
 * genotype is null exactly for macros without cells (the {@code resnet} baseline).
 */
public record NetworkSpec(Genotype genotype, MacroConfig macro, Preprocessing preprocessing, List<String> classNames,
    Map<String, Object> info) {
  public static final String FORMAT = "nas-network";
  public static final int VERSION = 1;

  public NetworkSpec {
    classNames = List.copyOf(classNames);
    info = new LinkedHashMap<>(info);
    if (macro.hasCells() && genotype == null) {
      throw new IllegalArgumentException("the " + macro.kind().id() + " macro stacks genotype cells; the network needs "
          + "a genotype");
    }
    if (!macro.hasCells() && genotype != null) {
      throw new IllegalArgumentException("the " + macro.kind().id() + " macro has no cells; its network takes no "
          + "genotype");
    }
    if (classNames.size() != macro.classes()) {
      throw new IllegalArgumentException("network has " + macro.classes() + " classes but " + classNames.size()
          + " class names");
    }
    if (preprocessing.mean().size() != macro.input().channels()) {
      throw new IllegalArgumentException("preprocessing is for " + preprocessing.mean().size()
          + " channels, input " + macro.input() + " has " + macro.input().channels());
    }
  }

  /** A spec with numbered class names and no normalisation. */
  public static NetworkSpec of(Genotype g, MacroConfig m) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < m.classes(); i++) {
      names.add("class_" + i);
    }
    return new NetworkSpec(g, m, Preprocessing.identity(m.input().channels()), names, Map.of());
  }

  public NetworkSpec withInfo(String key, Object value) {
    Map<String, Object> i = new LinkedHashMap<>(info);
    i.put(key, value);
    return new NetworkSpec(genotype, macro, preprocessing, classNames, i);
  }

  public NetworkSpec withMacro(MacroConfig m) {
    return new NetworkSpec(genotype, m, preprocessing, classNames, info);
  }

  public ObjectNode toTree() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    if (genotype != null) {
      root.set("genotype", GenotypeJson.toTree(genotype));
    }
    ObjectNode m = root.putObject("macro");
    m.put("kind", macro.kind().id());
    m.put("channels", macro.channels());
    m.put("layers", macro.layers());
    m.put("classes", macro.classes());
    m.put("input", macro.input().toString());
    m.put("auxiliary", macro.auxiliary());
    if (macro.dropout() > 0) {
      // written only when set, so networks without it describe themselves as before
      m.put("dropout", macro.dropout());
    }
    if (macro.kind().video()) {
      m.put("repeat", macro.repeat());
      m.put("stemChannels", macro.stemChannels());
    }
    ObjectNode p = root.putObject("preprocessing");
    preprocessing.mean().forEach(p.putArray("mean")::add);
    preprocessing.std().forEach(p.putArray("std")::add);
    p.put("channels", preprocessing.channels());
    ArrayNode names = root.putArray("classNames");
    classNames.forEach(names::add);
    root.set("info", Json.MAPPER.valueToTree(info));
    return root;
  }

  public String toJson() {
    return Json.write(toTree());
  }

  /** Parses a {@code network.json}; errors name the missing or malformed field. */
  public static NetworkSpec fromTree(JsonNode root) {
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException("not a nas network description (format is '" + root.path("format").asText()
          + "', expected '" + FORMAT + "')");
    }
    if (root.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException("network description version " + root.path("version").asInt()
          + " is not supported (this build reads " + VERSION + ")");
    }
    JsonNode m = root.path("macro");
    for (String f : List.of("kind", "channels", "layers", "classes", "input")) {
      if (m.path(f).isMissingNode()) {
        throw new IllegalArgumentException("network description lacks macro." + f);
      }
    }
    MacroConfig.Kind kind = MacroConfig.Kind.parse(m.get("kind").asText());
    if (kind.video()) {
      for (String f : List.of("repeat", "stemChannels")) {
        if (m.path(f).isMissingNode()) {
          throw new IllegalArgumentException("network description lacks macro." + f + " (needed by " + kind.id() + ")");
        }
      }
    }
    MacroConfig macro = new MacroConfig(kind, m.get("channels").asInt(), m.get("layers").asInt(),
        m.get("classes").asInt(), kind.parseInput(m.get("input").asText()), m.path("auxiliary").asBoolean(false),
        m.path("repeat").asInt(0), m.path("stemChannels").asInt(0), m.path("dropout").asDouble(0));
    Genotype g = macro.hasCells() || root.has("genotype")
        ? GenotypeValidator.validate(GenotypeJson.fromTree(root.path("genotype"))) : null;
    JsonNode p = root.path("preprocessing");
    List<Float> mean = new ArrayList<>();
    List<Float> std = new ArrayList<>();
    p.path("mean").forEach(v -> mean.add((float) v.asDouble()));
    p.path("std").forEach(v -> std.add((float) v.asDouble()));
    Preprocessing pre = mean.isEmpty() ? Preprocessing.identity(macro.input().channels())
        : new Preprocessing(mean, std, p.path("channels").asText("RGB"));
    List<String> names = new ArrayList<>();
    root.path("classNames").forEach(v -> names.add(v.asText()));
    @SuppressWarnings("unchecked")
    Map<String, Object> info = root.has("info") ? Json.MAPPER.convertValue(root.get("info"), Map.class) : Map.of();
    return new NetworkSpec(g, macro, pre, names, info);
  }
}
