package dev.nas.run;

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

  /** The components whose values differ, as "name: a vs b", in declaration order. */
  public static <R extends Record> List<String> of(R a, R b) {
    if (a.getClass() != b.getClass()) {
      throw new IllegalArgumentException("cannot compare a " + a.getClass().getSimpleName() + " with a "
          + b.getClass().getSimpleName());
    }
    List<String> out = new ArrayList<>();
    for (RecordComponent c : a.getClass().getRecordComponents()) {
      try {
        Object x = c.getAccessor().invoke(a);
        Object y = c.getAccessor().invoke(b);
        if (!Objects.equals(x, y)) {
          out.add(c.getName() + ": " + x + " vs " + y);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
