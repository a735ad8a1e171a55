package io.github.keras4j.saving;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for configs: the files {@code config.json} and {@code metadata.json} of a saved
 * model, in the shapes Keras's {@code json.dumps} gives them.
 *
 * <p>Values map to Java as: object to {@link Map} (a {@link LinkedHashMap}, keys in file order), array to
 * {@link List}, string to {@link String}, {@code true}/{@code false} to {@link Boolean}, {@code null} to null, and
 * numbers to {@link Long} when written without fraction or exponent and fitting a long, otherwise to
 * {@link Double}. Like Python's {@code json} module, it also reads and writes {@code NaN}, {@code Infinity} and
 * {@code -Infinity}.
 *
 * <p>Writing accepts maps with string keys, lists and other collections, Java arrays, strings, booleans, numbers and
 * null. A {@link Float} is written with {@link Float#toString(float)} (the shortest decimal that reads back to the
 * same float), so {@code 0.1f} is written {@code 0.1}, not {@code 0.10000000149011612}; read back as a double and
 * cast to float, it gives the same float.
 *
 * <pre>{@code
 * String text = Json.write(Map.of("units", 64));       // {"units": 64}
 * Map<String, Object> config = Json.parseObject(text, "config.json");
 * }</pre>
 */
public final class Json {

  /** The deepest nesting of arrays and objects the reader accepts (a corrupt file cannot overflow the stack). */
  public static final int MAX_DEPTH = 512;

  private Json() {}

  // ------------------------------------------------------------------ writing

  /**
   * The value as indented JSON text.
   *
   * @throws IllegalArgumentException for a value that has no JSON form (the message gives its path in the value,
   *     such as {@code $.config.layers[2].config.function})
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0, "$");
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, int indent, String path) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Float f) {
      number(out, f.isNaN() || f.isInfinite() ? null : Float.toString(f), f.doubleValue());
    } else if (value instanceof Double d) {
      number(out, d.isNaN() || d.isInfinite() ? null : Double.toString(d), d);
    } else if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long
        || value instanceof java.math.BigInteger) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      object(out, map, indent, path);
    } else if (value instanceof Collection<?> items) {
      array(out, new ArrayList<>(items), indent, path);
    } else if (value.getClass().isArray()) {
      int n = java.lang.reflect.Array.getLength(value);
      List<Object> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(java.lang.reflect.Array.get(value, i));
      }
      array(out, items, indent, path);
    } else {
      throw new IllegalArgumentException("Cannot write " + path + " as JSON: a value of type "
          + value.getClass().getName() + " (" + value + ") has no JSON form");
    }
  }

  private static void number(StringBuilder out, String finite, double value) {
    if (finite != null) {
      out.append(finite);
    } else if (Double.isNaN(value)) {
      out.append("NaN");
    } else {
      out.append(value > 0 ? "Infinity" : "-Infinity");
    }
  }

  private static void object(StringBuilder out, Map<?, ?> map, int indent, String path) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("Cannot write " + path + " as JSON: its key " + e.getKey()
            + " is not a string");
      }
      out.append(first ? "" : ",");
      newline(out, indent + 1);
      string(out, key);
      out.append(": ");
      write(out, e.getValue(), indent + 1, path + "." + key);
      first = false;
    }
    newline(out, indent);
    out.append('}');
  }

  private static void array(StringBuilder out, List<Object> items, int indent, String path) {
    if (items.isEmpty()) {
      out.append("[]");
      return;
    }
    boolean flat = true;
    for (Object item : items) {
      flat &= !(item instanceof Map) && !(item instanceof Collection) && (item == null || !item.getClass().isArray());
    }
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(flat ? ", " : ",");
      }
      if (!flat) {
        newline(out, indent + 1);
      }
      write(out, items.get(i), indent + 1, path + "[" + i + "]");
    }
    if (!flat) {
      newline(out, indent);
    }
    out.append(']');
  }

  private static void newline(StringBuilder out, int indent) {
    out.append('\n');
    out.append("  ".repeat(indent));
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  // ------------------------------------------------------------------ reading

  /**
   * Parses JSON text.
   *
   * @param source names the text in error messages, such as the file it came from
   * @throws IllegalArgumentException for text that is not JSON: the message gives {@code source}, the line and
   *     column, and what was expected
   */
  public static Object parse(String text, String source) {
    Reader r = new Reader(text, source);
    r.skipSpace();
    Object value = r.value(0);
    r.skipSpace();
    if (r.pos < text.length()) {
      throw r.error("unexpected text after the end of the JSON value");
    }
    return value;
  }

  /**
   * Parses JSON text that must be an object.
   *
   * @throws IllegalArgumentException for text that is not JSON or not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text, String source) {
    Object value = parse(text, source);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("Invalid JSON in " + source + ": expected an object ({...}), found "
          + describe(value));
    }
    return (Map<String, Object>) value;
  }

  /**
   * A short description of a parsed value for messages: {@code null}, {@code an object}, {@code an array},
   * {@code the string "..."} (long strings cut at 40 characters), {@code the number 3}, {@code true}.
   */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    if (value instanceof String s) {
      return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    return (value instanceof Number ? "the number " : "") + value;
  }

  /** A recursive-descent reader that tracks its position for messages. */
  private static final class Reader {
    private final String text;
    private final String source;
    private int pos;

    Reader(String text, String source) {
      this.text = text;
      this.source = source;
    }

    IllegalArgumentException error(String what) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < Math.min(pos, text.length()); i++) {
        if (text.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      String where = pos >= text.length() ? "at the end of the text" : "at line " + line + ", column " + column;
      return new IllegalArgumentException("Invalid JSON in " + source + " " + where + ": " + what);
    }

    void skipSpace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return;
        }
        pos++;
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("arrays and objects are nested deeper than " + MAX_DEPTH + " levels");
      }
      if (pos >= text.length()) {
        throw error("expected a value");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        default:
          break;
      }
      if (text.startsWith("true", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("false", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (text.startsWith("null", pos)) {
        pos += 4;
        return null;
      }
      if (text.startsWith("NaN", pos)) {
        pos += 3;
        return Double.NaN;
      }
      if (text.startsWith("Infinity", pos)) {
        pos += 8;
        return Double.POSITIVE_INFINITY;
      }
      if (text.startsWith("-Infinity", pos)) {
        pos += 9;
        return Double.NEGATIVE_INFINITY;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        return number();
      }
      throw error("expected a value, found '" + c + "'");
    }

    private Map<String, Object> object(int depth) {
      Map<String, Object> out = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == '}') {
        pos++;
        return out;
      }
      while (true) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != '"') {
          throw error("expected a string key");
        }
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        out.put(key, value(depth + 1));
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return out;
      }
    }

    private List<Object> array(int depth) {
      List<Object> out = new ArrayList<>();
      pos++;
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == ']') {
        pos++;
        return out;
      }
      while (true) {
        skipSpace();
        out.add(value(depth + 1));
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return out;
      }
    }

    private void expect(char c) {
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw error("expected '" + c + "'" + (pos < text.length() ? ", found '" + text.charAt(pos) + "'" : ""));
      }
      pos++;
    }

    private String string() {
      StringBuilder out = new StringBuilder();
      pos++;
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("control character in a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"' -> out.append('"');
          case '\\' -> out.append('\\');
          case '/' -> out.append('/');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw error("incomplete \\u escape");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("invalid \\u escape");
            }
            pos += 4;
          }
          default -> {
            pos--;
            throw error("invalid escape '\\" + e + "'");
          }
        }
      }
    }

    private Object number() {
      int start = pos;
      if (text.charAt(pos) == '-') {
        pos++;
      }
      int digits = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == digits) {
        throw error("expected a digit");
      }
      boolean integral = true;
      if (pos < text.length() && text.charAt(pos) == '.') {
        integral = false;
        pos++;
        int fraction = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (pos == fraction) {
          throw error("expected a digit after the decimal point");
        }
      }
      if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
        integral = false;
        pos++;
        if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
          pos++;
        }
        int exponent = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (pos == exponent) {
          throw error("expected a digit in the exponent");
        }
      }
      String literal = text.substring(start, pos);
      if (integral) {
        try {
          return Long.parseLong(literal);
        } catch (NumberFormatException tooLarge) {
          return Double.parseDouble(literal);
        }
      }
      return Double.parseDouble(literal);
    }
  }
}
