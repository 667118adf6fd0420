package dev.nas.core.genotype;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.io.Json;
import dev.nas.core.ops.SearchSpace;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versioned JSON form of a genotype:
 * <pre>{"format": "nas-genotype", "version": 1, "space": "darts",
 *  "cells": {"normal": {"nodes": [[{"op": "sep_conv_3x3", "input": 0}, ...], ...], "concat": [2, 3, 4, 5]}, ...}}</pre>
 */
public final class GenotypeJson {
  public static final String FORMAT = "nas-genotype";
  public static final int VERSION = 1;

  private GenotypeJson() {}

  public static ObjectNode toTree(Genotype g) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("space", g.space());
    ObjectNode cells = root.putObject("cells");
    for (Map.Entry<String, CellGenotype> e : g.cells().entrySet()) {
      ObjectNode cell = cells.putObject(e.getKey());
      ArrayNode nodes = cell.putArray("nodes");
      for (List<GenotypeEdge> node : e.getValue().nodes()) {
        ArrayNode edges = nodes.addArray();
        for (GenotypeEdge edge : node) {
          edges.addObject().put("op", edge.op()).put("input", edge.input());
        }
      }
      ArrayNode concat = cell.putArray("concat");
      e.getValue().concat().forEach(concat::add);
    }
    if (g.space().equals(SearchSpace.NB201.name())) {
      root.put("nb201", Nb201Strings.write(g)); // the key of NAS-Bench-201's and NATS-Bench's tables
    } else {
      root.put("python", g.toPythonString());
    }
    return root;
  }

  public static String write(Genotype g) {
    return Json.write(toTree(g));
  }

  /** Deepest JSON nesting accepted; the format needs five levels. */
  static final int MAX_DEPTH = 16;
  private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build());

  public static Genotype read(String text) {
    JsonNode root;
    try {
      root = READER.readTree(text);
    } catch (StreamConstraintsException e) {
      throw new GenotypeException("genotype JSON is nested more than " + MAX_DEPTH + " levels deep; it is not a "
          + "genotype");
    } catch (JsonProcessingException e) {
      throw new GenotypeException("genotype JSON is malformed: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    return fromTree(root);
  }

  public static Genotype fromTree(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new GenotypeException("genotype JSON must be an object");
    }
    String format = root.path("format").asText(FORMAT);
    if (!format.equals(FORMAT)) {
      throw new GenotypeException("JSON has format '" + format + "', expected '" + FORMAT + "'");
    }
    int version = root.path("version").asInt(VERSION);
    if (version != VERSION) {
      throw new GenotypeException("genotype JSON version " + version + " is not supported (this build reads "
          + VERSION + ")");
    }
    String space = root.path("space").asText("darts");
    JsonNode cells = root.get("cells");
    if (cells == null || !cells.isObject()) {
      throw new GenotypeException("genotype JSON has no 'cells' object");
    }
    Map<String, CellGenotype> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = cells.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), readCell("cells." + e.getKey(), e.getValue()));
    }
    return new Genotype(sharedReductionIfLegacy(space, out.keySet()), out);
  }

  /**
   * Genotypes of the SDAS video spaces written before those spaces had separate ST- and
   * S-reduction cells name the space but hold one {@code reduce} cell: they are genotypes of the
   * space's {@code -shared} variant, which derives the network they derived then.
   */
  private static String sharedReductionIfLegacy(String space, java.util.Set<String> cells) {
    String shared = space + SearchSpace.SHARED_REDUCTION;
    return cells.equals(java.util.Set.of(Genotype.NORMAL, Genotype.REDUCE)) && SearchSpace.names().contains(shared)
        && !SearchSpace.named(space).cellTypeNames().contains(Genotype.REDUCE) ? shared : space;
  }

  private static CellGenotype readCell(String where, JsonNode cell) {
    JsonNode nodes = cell.get("nodes");
    if (nodes == null || !nodes.isArray()) {
      throw new GenotypeException(where + ".nodes must be an array of nodes");
    }
    List<List<GenotypeEdge>> parsed = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode node = nodes.get(i);
      if (!node.isArray()) {
        throw new GenotypeException(where + ".nodes[" + i + "] must be an array of edges");
      }
      List<GenotypeEdge> edges = new ArrayList<>();
      for (int j = 0; j < node.size(); j++) {
        JsonNode e = node.get(j);
        String at = where + ".nodes[" + i + "][" + j + "]";
        if (!e.path("op").isTextual() || !e.path("input").isInt()) {
          throw new GenotypeException(at + " must be {\"op\": name, \"input\": state}, got " + e);
        }
        edges.add(new GenotypeEdge(e.get("op").asText(), e.get("input").asInt()));
      }
      parsed.add(edges);
    }
    JsonNode concat = cell.get("concat");
    if (concat == null || !concat.isArray()) {
      throw new GenotypeException(where + ".concat must be an array of states");
    }
    List<Integer> c = new ArrayList<>();
    for (JsonNode v : concat) {
      if (!v.isInt()) {
        throw new GenotypeException(where + ".concat must hold integers, got " + v);
      }
      c.add(v.asInt());
    }
    return new CellGenotype(parsed, c);
  }
}
