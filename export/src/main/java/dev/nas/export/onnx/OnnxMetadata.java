package dev.nas.export.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.derive.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code metadata_props} keys nas writes into exported models. Values are strings; the
 * structured ones are compact JSON in the same form as {@code network.json}, so a deployment can
 * rebuild labels and preprocessing from the model file alone.
 */
public final class OnnxMetadata {
  /** Genotype JSON ({@code nas-genotype} format). */
  public static final String GENOTYPE = "nas.genotype";
  /** Class names as a JSON array, index = output logit. */
  public static final String CLASS_NAMES = "nas.class_names";
  /** Human-readable preprocessing, e.g. "pixels scaled to [0,1], RGB, then (x - mean) / std ...". */
  public static final String PREPROCESSING = "nas.preprocessing";
  /** Per-channel normalisation mean as a JSON array (already applied inside the graph). */
  public static final String MEAN = "nas.mean";
  /** Per-channel normalisation std as a JSON array (already applied inside the graph). */
  public static final String STD = "nas.std";
  /** Channel order the model expects, e.g. {@code RGB}. */
  public static final String CHANNEL_ORDER = "nas.channel_order";
  /** Macro structure as a JSON object (kind, channels, layers, classes, input, auxiliary). */
  public static final String MACRO = "nas.macro";
  /** Per-sample input shape the network was built for, e.g. {@code 3x32x32}. */
  public static final String INPUT_SHAPE = "nas.input_shape";
  /** The whole {@code network.json}. */
  public static final String NETWORK = "nas.network";
  /** Version of nas that wrote the model. */
  public static final String PRODUCER_VERSION = "nas.producer_version";

  private OnnxMetadata() {}

  /** Metadata describing the network of {@code spec}, including the producer version. */
  public static Map<String, String> describe(NetworkSpec spec) {
    JsonNode tree = spec.toTree();
    JsonNode pre = tree.path("preprocessing");
    Map<String, String> m = new LinkedHashMap<>();
    if (tree.has("genotype")) { // the cell-free resnet baseline has none
      m.put(GENOTYPE, tree.get("genotype").toString());
    }
    m.put(CLASS_NAMES, tree.get("classNames").toString());
    m.put(PREPROCESSING, spec.preprocessing().describe());
    m.put(MEAN, pre.get("mean").toString());
    m.put(STD, pre.get("std").toString());
    m.put(CHANNEL_ORDER, spec.preprocessing().channels());
    m.put(MACRO, tree.get("macro").toString());
    m.put(INPUT_SHAPE, spec.macro().input().toString());
    m.put(NETWORK, spec.toJson());
    m.put(PRODUCER_VERSION, producerVersion());
    return m;
  }

  /** The version of this build of nas (the Maven project version). */
  public static String producerVersion() {
    try (InputStream in = OnnxMetadata.class.getResourceAsStream("producer.properties")) {
      if (in == null) {
        throw new IllegalStateException("producer.properties is missing from the nas-export build");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the nas version", e);
    }
  }
}
