package dev.nas.core.genotype;

import dev.nas.core.ops.SearchSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads genotypes from anything a user may hand over: a JSON file, a file or string holding the
 * DARTS {@code Genotype(...)} form, or a built-in name. Every result is validated.
 */
public final class Genotypes {
  private static final Map<String, String> NAMED = new LinkedHashMap<>();

  static {
    // As published in the DARTS, PC-DARTS and P-DARTS papers' code (CIFAR-10 searches).
    NAMED.put("DARTS_V1", "Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), "
        + "('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], "
        + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
        + "('max_pool_3x3', 0), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], "
        + "reduce_concat=[2, 3, 4, 5])");
    NAMED.put("DARTS_V2", "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), "
        + "('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
        + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
        + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
        + "reduce_concat=[2, 3, 4, 5])");
    NAMED.put("PC_DARTS", "Genotype(normal=[('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 0), "
        + "('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 1)], "
        + "normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 1), ('max_pool_3x3', 0), ('sep_conv_5x5', 1), "
        + "('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('sep_conv_3x3', 2)], "
        + "reduce_concat=range(2, 6))");
    NAMED.put("PDARTS", "Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1), ('skip_connect', 0), "
        + "('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 0), ('dil_conv_5x5', 4)], "
        + "normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_3x3', 0), "
        + "('dil_conv_5x5', 2), ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1), ('dil_conv_5x5', 3)], "
        + "reduce_concat=range(2, 6))");
    // NAS-Bench-201's ResNet baseline (Dong & Yang 2020, Table 5 ff.): node 3 = x + conv(conv(x)), a basic block
    NAMED.put("NB201_RESNET", "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|");
  }

  private Genotypes() {}

  /** Names of the built-in genotypes. */
  public static Set<String> names() {
    return NAMED.keySet();
  }

  /** A built-in genotype by name (case-insensitive; {@code DARTS} is {@code DARTS_V2}). */
  public static Genotype named(String name) {
    String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (key.equals("DARTS")) {
      key = "DARTS_V2";
    }
    String text = NAMED.get(key);
    if (text == null) {
      throw new GenotypeException("no built-in genotype '" + name + "' (known: " + NAMED.keySet() + ")");
    }
    return Nb201Strings.looksLike(text) ? Nb201Strings.parse(text) : parsePython(text);
  }

  /** Parses and validates the DARTS Python form (DARTS space). */
  public static Genotype parsePython(String text) {
    SearchSpace space = SearchSpace.DARTS;
    return GenotypeValidator.validate(PythonGenotypeParser.parse(text, space.name(), space.inputsPerNode()));
  }

  /** Parses and validates the JSON form. */
  public static Genotype parseJson(String text) {
    return GenotypeValidator.validate(GenotypeJson.read(text));
  }

  /** Largest genotype text or file accepted; real ones are a few KB. */
  public static final int MAX_BYTES = 1 << 20;

  /** Parses text that is either the JSON or the Python form. */
  public static Genotype parse(String text) {
    if (text.length() > MAX_BYTES) {
      throw new GenotypeException("genotype text is " + text.length() + " characters; a genotype is at most "
          + MAX_BYTES);
    }
    String t = text.strip();
    if (t.startsWith("{")) {
      return parseJson(t);
    }
    if (Nb201Strings.looksLike(t)) {
      return Nb201Strings.parse(t);
    }
    if (t.matches("(?s)^[A-Za-z_][A-Za-z0-9_]*\\s*\\(.*")) {
      return parsePython(t);
    }
    throw new GenotypeException("text is neither genotype JSON, a Genotype(...) expression nor a NAS-Bench-201 "
        + "architecture string |op~0|+|op~0|op~1|+...");
  }

  /**
   * Resolves a user's {@code --genotype} argument: a built-in name, an inline {@code Genotype(...)}
   * or JSON text, the path of a file holding either form, or a search run folder.
   */
  public static Genotype resolve(String arg) {
    String t = arg.strip();
    String key = t.toUpperCase(Locale.ROOT).replace('-', '_');
    if (NAMED.containsKey(key) || key.equals("DARTS")) {
      return named(t);
    }
    if (t.startsWith("{") || Nb201Strings.looksLike(t) || t.matches("(?s)^[A-Za-z_][A-Za-z0-9_]*\\s*\\(.*")) {
      return parse(t);
    }
    Path path = Path.of(t);
    if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("genotype.json"))) {
      path = path.resolve("genotype.json"); // a search run folder
    }
    if (!Files.isRegularFile(path)) {
      throw new GenotypeException("genotype '" + arg + "' is not a file, a built-in name " + NAMED.keySet()
          + ", or a Genotype(...) expression");
    }
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new GenotypeException("the file is " + Files.size(path) + " bytes; a genotype is at most "
            + MAX_BYTES + " bytes (1 MiB)");
      }
      return parse(Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read genotype file " + path, e);
    } catch (GenotypeException e) {
      throw new GenotypeException(path + ": " + e.getMessage());
    }
  }
}
