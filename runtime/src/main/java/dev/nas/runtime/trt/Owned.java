package dev.nas.runtime.trt;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;

/**
 * Gives TensorRT objects a C++ {@code delete}, so that {@link Pointer#deallocate()} frees them.
 *
 * <p>TensorRT 10 frees its objects (builder, network, config, runtime, engine, execution context,
 * host memory, timing cache) only by {@code delete}; {@code destroy()} is gone. The JavaCPP presets
 * wrap the pointers TensorRT returns without a deallocator, so {@code close()} and
 * {@code deallocate()} do nothing on them (bytedeco/javacpp-presets#1699) and an engine's GPU
 * memory would stay allocated until the process exits. The presets do compile a deleter,
 * {@code delete (T*) p}, for every class Java can construct; this takes its address from a
 * throwaway instance and attaches it to the returned object the way JavaCPP attaches it to
 * objects it allocates (its package-private {@code Pointer.init}). The destructors are virtual, so
 * deleting through the interface type runs TensorRT's implementation's destructor, as
 * {@code delete} does in C++.
 *
 * <p>The ONNX parser has no constructible class in the presets and so cannot be freed this way.
 */
final class Owned {
  private static final Map<Class<?>, Long> DELETERS = new ConcurrentHashMap<>();

  private static final String NATIVE_DEALLOCATOR = "org.bytedeco.javacpp.Pointer$NativeDeallocator";

  private Owned() {}

  /** JavaCPP's {@code Pointer.init(address, capacity, ownerAddress, deallocatorAddress)}. */
  static Method initMethod() throws NoSuchMethodException {
    Method m = Pointer.class.getDeclaredMethod("init", long.class, long.class, long.class, long.class);
    m.setAccessible(true);
    return m;
  }

  /** JavaCPP's {@code Pointer.deallocator} field. */
  static Field deallocatorField() throws NoSuchFieldException {
    Field f = Pointer.class.getDeclaredField("deallocator");
    f.setAccessible(true);
    return f;
  }

  /** JavaCPP's {@code Pointer.NativeDeallocator.deallocatorAddress()}. */
  static Method deallocatorAddressMethod() throws ClassNotFoundException, NoSuchMethodException {
    Method m = Class.forName(NATIVE_DEALLOCATOR, false, Pointer.class.getClassLoader())
        .getDeclaredMethod("deallocatorAddress");
    m.setAccessible(true);
    return m;
  }

  /**
   * Attaches {@code T}'s deleter to {@code p}, which TensorRT returned and the caller owns;
   * returns it, or {@code null} for a null pointer. Free it with {@link #free}.
   *
   * @param blank constructs a {@code T} with JavaCPP's allocator, e.g. {@code ICudaEngine::new}
   */
  static <P extends Pointer> P adopt(P p, Supplier<P> blank) {
    if (p == null || p.isNull()) {
      return null;
    }
    long deleter = DELETERS.computeIfAbsent(p.getClass(), c -> deleterOf(blank.get()));
    try {
      initMethod().invoke(p, p.address(), 1L, p.address(), deleter);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot attach a deleter to " + p.getClass().getSimpleName()
          + " with this JavaCPP version: " + e, e);
    }
    return p;
  }

  /** Deletes {@code p} if it is not null; later calls on it fail instead of touching freed memory. */
  static void free(Pointer p) {
    if (p != null && !p.isNull()) {
      p.deallocate();
    }
  }

  /** The address of JavaCPP's deleter of {@code blank}'s class; deletes {@code blank}. */
  private static long deleterOf(Pointer blank) {
    try {
      Object deallocator = deallocatorField().get(blank);
      if (deallocator == null || !deallocator.getClass().getName().equals(NATIVE_DEALLOCATOR)) {
        throw new IllegalStateException(blank.getClass().getSimpleName() + " has no native deallocator");
      }
      long deleter = (long) deallocatorAddressMethod().invoke(deallocator);
      if (deleter == 0) {
        throw new IllegalStateException(blank.getClass().getSimpleName() + " has no native deleter");
      }
      return deleter;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot find the native deleter of " + blank.getClass().getSimpleName()
          + " with this JavaCPP version: " + e, e);
    } finally {
      blank.deallocate();
    }
  }
}
