package dev.nas.core.run;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Field-by-field comparison of two stored configurations (records of one type), so that a run
 * continued with other settings is refused with the fields that differ rather than silently mixed.
 */
public final class ConfigDiff {
  private ConfigDiff() {}

  /**
   * The components whose values differ, as "name: a vs b", in declaration order; components that
   * are records themselves (settings groups) are compared field by field, as "group.name: a vs b".
   */
  public static <R extends Record> List<String> of(R a, R b) {
    if (a.getClass() != b.getClass()) {
      throw new IllegalArgumentException("cannot compare a " + a.getClass().getSimpleName() + " with a "
          + b.getClass().getSimpleName());
    }
    List<String> out = new ArrayList<>();
    collect("", a, b, out);
    return out;
  }

  private static void collect(String prefix, Record a, Record b, List<String> out) {
    for (RecordComponent c : a.getClass().getRecordComponents()) {
      try {
        Object x = c.getAccessor().invoke(a);
        Object y = c.getAccessor().invoke(b);
        if (x instanceof Record rx && y instanceof Record ry && rx.getClass() == ry.getClass()) {
          collect(prefix + c.getName() + ".", rx, ry, out);
        } else if (!Objects.equals(x, y)) {
          out.add(prefix + c.getName() + ": " + x + " vs " + y);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
