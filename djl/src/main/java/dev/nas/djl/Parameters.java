package dev.nas.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.io.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of a network on one device: learned parameters (with gradients) and buffers (BN
 * running statistics), initialised by {@link dev.nas.core.graph.Initializer}.
 */
public final class Parameters implements AutoCloseable {
  private final NDManager manager;
  private final DataType dtype;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();
  private final Map<String, NDArray> constants = new java.util.HashMap<>();

  public Parameters(Device device, DataType dtype) {
    NativeRuntime.init();
    this.manager = NDManager.newBaseManager(device);
    this.dtype = dtype;
  }

  public NDManager manager() {
    return manager;
  }

  /** Creates every tensor in {@code specs} not yet present, initialised from {@code seed}. */
  public void init(Collection<NamedParam> specs, long seed) {
    for (NamedParam p : specs) {
      if (params.containsKey(p.name()) || buffers.containsKey(p.name())) {
        continue;
      }
      NDArray a = manager.create(dev.nas.core.graph.Initializer.values(p.spec(), seed, p.name()), shape(p.spec().shape())).toType(dtype, false);
      a.setName(p.name());
      if (p.spec().trainable()) {
        a.setRequiresGradient(true);
        params.put(p.name(), a);
      } else {
        buffers.put(p.name(), a);
      }
    }
  }

  /** A cached constant vector (e.g. BN scale of ones when BN has no learned affine part). */
  NDArray constant(NDArray like, String kind, int length, float value) {
    String key = kind + ":" + length + ":" + like.getDataType() + ":" + like.getDevice();
    return constants.computeIfAbsent(key, k -> {
      float[] v = new float[length];
      java.util.Arrays.fill(v, value);
      return manager.create(v).toType(like.getDataType(), false).toDevice(like.getDevice(), false);
    });
  }

  /** Adds a learned tensor with given values (architecture parameters). */
  public NDArray add(String name, float[] values, List<Integer> shape) {
    NDArray a = manager.create(values, shape(shape)).toType(dtype, false);
    a.setName(name);
    a.setRequiresGradient(true);
    NDArray old = params.put(name, a);
    if (old != null) {
      old.close();
    }
    return a;
  }

  static Shape shape(List<Integer> dims) {
    return new Shape(dims.stream().mapToLong(Integer::longValue).toArray());
  }

  /** A learned tensor or buffer by name; fails naming it when absent. */
  public NDArray get(String name) {
    NDArray a = params.get(name);
    if (a == null) {
      a = buffers.get(name);
    }
    if (a == null) {
      throw new IllegalArgumentException("no tensor named " + name);
    }
    return a;
  }

  public boolean contains(String name) {
    return params.containsKey(name) || buffers.containsKey(name);
  }

  /** Learned tensors by name, in creation order. */
  public Map<String, NDArray> learned() {
    return java.util.Collections.unmodifiableMap(params);
  }

  /** BN running statistics by name. */
  public Map<String, NDArray> buffers() {
    return java.util.Collections.unmodifiableMap(buffers);
  }

  /** Learned tensors whose names start with one of the prefixes. */
  public List<String> learnedNames(java.util.function.Predicate<String> filter) {
    List<String> out = new ArrayList<>();
    for (String n : params.keySet()) {
      if (filter.test(n)) {
        out.add(n);
      }
    }
    return out;
  }

  public long learnedCount(java.util.function.Predicate<String> filter) {
    long n = 0;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      if (filter.test(e.getKey())) {
        n += e.getValue().size();
      }
    }
    return n;
  }

  /** Turns gradient tracking on or off for the learned tensors selected by {@code filter}. */
  public void track(java.util.function.Predicate<String> filter, boolean on) {
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      if (filter.test(e.getKey()) && e.getValue().hasGradient() != on) {
        e.getValue().setRequiresGradient(on);
      }
    }
  }

  /** Copies every tensor (learned and buffers) to host memory. */
  public Map<String, Tensor> toTensors(java.util.function.Predicate<String> filter) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map<String, NDArray> m : List.of(params, buffers)) {
      for (Map.Entry<String, NDArray> e : m.entrySet()) {
        if (filter.test(e.getKey())) {
          out.put(e.getKey(), Tensors.toHost(e.getValue()));
        }
      }
    }
    return out;
  }

  public Map<String, Tensor> toTensors() {
    return toTensors(n -> true);
  }

  /**
   * Overwrites tensors in place from host values. With {@code strict}, every tensor of this store
   * must be present; a name present in both with a different shape is always an error.
   */
  public void load(Map<String, Tensor> values, boolean strict) {
    List<String> missing = new ArrayList<>();
    for (Map<String, NDArray> m : List.of(params, buffers)) {
      for (Map.Entry<String, NDArray> e : m.entrySet()) {
        Tensor t = values.get(e.getKey());
        if (t == null) {
          missing.add(e.getKey());
          continue;
        }
        Tensors.copyInto(t, e.getValue(), e.getKey());
      }
    }
    if (strict && !missing.isEmpty()) {
      throw new IllegalArgumentException(missing.size() + " tensors are missing from the weights, e.g. "
          + missing.subList(0, Math.min(3, missing.size())));
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
