package dev.nas.serve.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A model and its versions. A model folder without version folders is kept, not ready, with the
 * reason, so that it is listed rather than silently missing.
 */
public final class ServedModel {
  private final String name;
  private final NavigableMap<Long, ModelVersion> versions;
  private final String problem;

  ServedModel(String name, List<ModelVersion> versions, String problem) {
    this.name = name;
    NavigableMap<Long, ModelVersion> m = new TreeMap<>();
    for (ModelVersion v : versions) {
      m.put(v.version(), v);
    }
    this.versions = Collections.unmodifiableNavigableMap(m);
    this.problem = problem;
  }

  public String name() {
    return name;
  }

  /** Versions by number, ascending. */
  public NavigableMap<Long, ModelVersion> versions() {
    return versions;
  }

  /** The highest version, which requests without a version use; {@code null} when there is none. */
  public ModelVersion latest() {
    Map.Entry<Long, ModelVersion> e = versions.lastEntry();
    return e == null ? null : e.getValue();
  }

  /** Why the model has no versions to serve, or {@code null}. */
  public String problem() {
    return problem;
  }

  /** Whether every version is ready (and there is at least one). */
  public boolean ready() {
    return problem == null && !versions.isEmpty() && versions.values().stream().allMatch(ModelVersion::ready);
  }

  /** One line per reason this model is not fully ready. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (problem != null) {
      out.add("model '" + name + "': " + problem);
    }
    for (ModelVersion v : versions.values()) {
      if (!v.ready()) {
        out.add(v.label() + ": " + v.reason());
      }
    }
    return out;
  }
}
