package dev.nas.core.viz;

import java.util.Locale;

/**
 * Appends SVG markup with every attribute value and text escaped and every coordinate rounded to
 * one decimal, so equal inputs give byte-equal documents.
 */
final class SvgWriter {
  private final StringBuilder out = new StringBuilder();
  private int depth;

  /** Opens an element; {@code attributes} alternate names and values. */
  SvgWriter open(String element, Object... attributes) {
    indent().append('<').append(element);
    attributes(attributes);
    out.append(">\n");
    depth++;
    return this;
  }

  SvgWriter close(String element) {
    depth--;
    indent().append("</").append(element).append(">\n");
    return this;
  }

  /** An element without content. */
  SvgWriter empty(String element, Object... attributes) {
    indent().append('<').append(element);
    attributes(attributes);
    out.append("/>\n");
    return this;
  }

  /** An element holding only text. */
  SvgWriter text(String element, String text, Object... attributes) {
    indent().append('<').append(element);
    attributes(attributes);
    out.append('>').append(escape(text)).append("</").append(element).append(">\n");
    return this;
  }

  /** A text element reading {@code base} followed by {@code subscript}, set smaller and lower. */
  SvgWriter subscripted(String base, String subscript, double subscriptSize, Object... attributes) {
    indent().append("<text");
    attributes(attributes);
    out.append('>').append(escape(base)).append("<tspan dy=\"4\" font-size=\"").append(num(subscriptSize))
        .append("\">").append(escape(subscript)).append("</tspan></text>\n");
    return this;
  }

  /** The XML declaration, which must come first. */
  SvgWriter declaration() {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private StringBuilder indent() {
    return out.append("  ".repeat(depth));
  }

  private void attributes(Object[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name/value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"").append(value(attributes[i + 1])).append('"');
    }
  }

  private static String value(Object v) {
    if (v instanceof Double d) {
      return num(d);
    }
    return escape(String.valueOf(v));
  }

  /** A coordinate rounded to one decimal, without a trailing ".0"; refuses NaN and infinities. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalStateException("diagram layout produced a non-finite coordinate: " + v);
    }
    long tenths = Math.round(v * 10);
    if (tenths % 10 == 0) {
      return Long.toString(tenths / 10);
    }
    return String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }

  /**
   * Escapes text for XML content and attribute values. Characters XML 1.0 cannot hold at all
   * (most control characters, unpaired surrogates) become U+FFFD rather than breaking the document.
   */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (allowedInXml(cp)) {
            b.appendCodePoint(cp);
          } else {
            b.append('\uFFFD');
          }
        }
      }
    }
    return b.toString();
  }

  private static boolean allowedInXml(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }
}
