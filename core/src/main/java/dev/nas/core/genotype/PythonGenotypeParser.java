package dev.nas.core.genotype;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the DARTS Python form
 * {@code Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), reduce=[...], reduce_concat=[2, 3, 4, 5])},
 * with edges either flat (two per node) or grouped per node, and concat lists or {@code range(a, b)}.
 */
final class PythonGenotypeParser {
  /** Deepest nesting of lists and tuples accepted; a genotype needs three levels. */
  static final int MAX_DEPTH = 8;
  /** Most states a {@code range(a, b)} may list; a cell has a handful of intermediate states. */
  static final int MAX_RANGE = 64;

  private final String text;
  private int pos;
  private int depth;

  private PythonGenotypeParser(String text) {
    this.text = text;
  }

  static Genotype parse(String text, String space, int inputsPerNode) {
    PythonGenotypeParser p = new PythonGenotypeParser(text);
    Map<String, Object> kwargs = p.call();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the closing parenthesis");
    }
    Map<String, List<List<GenotypeEdge>>> edges = new LinkedHashMap<>();
    Map<String, List<Integer>> concats = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      String key = e.getKey();
      if (key.endsWith("_concat")) {
        concats.put(key.substring(0, key.length() - "_concat".length()), toConcat(key, e.getValue()));
      } else {
        edges.put(key, toNodes(key, e.getValue(), inputsPerNode));
      }
    }
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    for (Map.Entry<String, List<List<GenotypeEdge>>> e : edges.entrySet()) {
      List<Integer> concat = concats.remove(e.getKey());
      if (concat == null) {
        throw new GenotypeException("Genotype has '" + e.getKey() + "' but no '" + e.getKey() + "_concat'");
      }
      cells.put(e.getKey(), new CellGenotype(e.getValue(), concat));
    }
    if (!concats.isEmpty()) {
      throw new GenotypeException("Genotype has " + concats.keySet().stream().map(k -> k + "_concat").toList()
          + " without the matching edge list");
    }
    return new Genotype(space, cells);
  }

  private static List<List<GenotypeEdge>> toNodes(String key, Object value, int inputsPerNode) {
    if (!(value instanceof List<?> list)) {
      throw new GenotypeException(key + " must be a list of (op, input) pairs");
    }
    boolean grouped = !list.isEmpty() && list.get(0) instanceof List<?>;
    List<List<GenotypeEdge>> nodes = new ArrayList<>();
    if (grouped) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof List<?> node)) {
          throw new GenotypeException(key + "[" + i + "] must be a list of (op, input) pairs");
        }
        List<GenotypeEdge> edges = new ArrayList<>();
        for (int j = 0; j < node.size(); j++) {
          edges.add(toEdge(key + "[" + i + "][" + j + "]", node.get(j)));
        }
        nodes.add(edges);
      }
      return nodes;
    }
    if (list.size() % inputsPerNode != 0) {
      throw new GenotypeException(key + " has " + list.size() + " edges, not a multiple of "
          + inputsPerNode + " inputs per node; the last node has the wrong number of inputs");
    }
    for (int i = 0; i < list.size(); i += inputsPerNode) {
      List<GenotypeEdge> edges = new ArrayList<>();
      for (int j = i; j < i + inputsPerNode; j++) {
        edges.add(toEdge(key + "[" + j + "]", list.get(j)));
      }
      nodes.add(edges);
    }
    return nodes;
  }

  private static GenotypeEdge toEdge(String where, Object value) {
    if (value instanceof Tuple t && t.items.size() == 2 && t.items.get(0) instanceof String op
        && t.items.get(1) instanceof Integer input) {
      return new GenotypeEdge(op, input);
    }
    throw new GenotypeException(where + " must be an ('op', input) pair, got " + value);
  }

  private static List<Integer> toConcat(String key, Object value) {
    if (value instanceof List<?> list) {
      List<Integer> out = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof Integer i)) {
          throw new GenotypeException(key + " must list state indices, got " + o);
        }
        out.add(i);
      }
      return out;
    }
    throw new GenotypeException(key + " must be a list of states or range(a, b)");
  }

  /** A parenthesised Python tuple, kept apart from lists so that pairs are recognised. */
  private record Tuple(List<Object> items) {
    @Override
    public String toString() {
      return items.toString().replace('[', '(').replace(']', ')');
    }
  }

  private Map<String, Object> call() {
    skipSpace();
    String name = identifier();
    if (name.isEmpty()) {
      throw error("expected Genotype(...)");
    }
    expect('(');
    Map<String, Object> kwargs = new LinkedHashMap<>();
    skipSpace();
    while (peek() != ')') {
      String key = identifier();
      if (key.isEmpty()) {
        throw error("expected a keyword argument such as normal=[...]");
      }
      expect('=');
      if (kwargs.put(key, value()) != null) {
        throw error("keyword '" + key + "' given twice");
      }
      skipSpace();
      if (peek() == ',') {
        pos++;
        skipSpace();
      } else if (peek() != ')') {
        throw error("expected ',' or ')'");
      }
    }
    pos++;
    return kwargs;
  }

  private Object value() {
    skipSpace();
    char c = peek();
    if (c == '[' || c == '(') {
      if (++depth > MAX_DEPTH) {
        throw error("lists and tuples are nested more than " + MAX_DEPTH + " levels deep");
      }
      pos++;
      Object v = c == '[' ? sequence(']') : new Tuple(sequence(')'));
      depth--;
      return v;
    }
    if (c == '\'' || c == '"') {
      return string();
    }
    if (c == '-' || Character.isDigit(c)) {
      return integer();
    }
    String id = identifier();
    if (id.equals("range")) {
      expect('(');
      int a = integer();
      expect(',');
      int b = integer();
      skipSpace();
      expect(')');
      if ((long) b - a > MAX_RANGE) {
        throw error("range(" + a + ", " + b + ") lists " + ((long) b - a) + " states; a cell has at most "
            + MAX_RANGE);
      }
      List<Object> out = new ArrayList<>();
      for (int i = a; i < b; i++) {
        out.add(i);
      }
      return out;
    }
    throw error(id.isEmpty() ? "expected a value" : "unexpected name '" + id + "'");
  }

  private List<Object> sequence(char close) {
    List<Object> items = new ArrayList<>();
    skipSpace();
    while (peek() != close) {
      items.add(value());
      skipSpace();
      if (peek() == ',') {
        pos++;
        skipSpace();
      } else if (peek() != close) {
        throw error("expected ',' or '" + close + "'");
      }
    }
    pos++;
    return items;
  }

  private String string() {
    char quote = text.charAt(pos++);
    int end = text.indexOf(quote, pos);
    if (end < 0) {
      throw error("unterminated string");
    }
    String s = text.substring(pos, end);
    pos = end + 1;
    return s;
  }

  private int integer() {
    skipSpace();
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    try {
      return Integer.parseInt(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("expected an integer");
    }
  }

  private String identifier() {
    skipSpace();
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private void expect(char c) {
    skipSpace();
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end of text");
    }
    return text.charAt(pos);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private GenotypeException error(String what) {
    int from = Math.max(0, pos - 20);
    int to = Math.min(text.length(), pos + 20);
    return new GenotypeException("cannot read Genotype(...) at character " + pos + ": " + what
        + " near '" + text.substring(from, to).replace('\n', ' ') + "'");
  }
}
