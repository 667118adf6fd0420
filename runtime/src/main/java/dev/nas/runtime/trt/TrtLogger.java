package dev.nas.runtime.trt;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.tensorrt.nvinfer.ILogger;

/**
 * The one TensorRT logger of the process. TensorRT keeps a reference to the logger of every
 * builder and runtime, so it lives as long as the JVM. Errors are collected for the exception
 * that follows a failed call; warnings go to standard error, informational messages nowhere.
 *
 * <p>Only create it after {@link dev.nas.runtime.gpu.Gpu#probeTensorRt()} succeeded: its
 * constructor allocates a native object.
 */
final class TrtLogger extends ILogger {
  private static TrtLogger instance;

  private final List<String> errors = new ArrayList<>();

  private TrtLogger() {
    super();
  }

  static synchronized TrtLogger get() {
    if (instance == null) {
      instance = new TrtLogger();
    }
    return instance;
  }

  /** Called by TensorRT, from any of its threads. It must not throw into native code. */
  @Override
  public void log(Severity severity, String msg) {
    try {
      int level = severity == null ? Severity.kERROR.value : severity.value;
      if (level <= Severity.kERROR.value) {
        synchronized (errors) {
          errors.add(msg);
        }
      } else if (level == Severity.kWARNING.value) {
        System.err.println("TensorRT warning: " + msg);
      }
    } catch (RuntimeException ignored) {
      // Nothing sensible can be done about a failure to log; TensorRT must not see it.
    }
  }

  /** Forgets the errors logged so far, before a call whose errors are wanted. */
  void clear() {
    synchronized (errors) {
      errors.clear();
    }
  }

  /** {@code ": error1; error2"} of the errors logged since {@link #clear()}, or {@code ""}; then forgets them. */
  String drain() {
    synchronized (errors) {
      String s = errors.isEmpty() ? "" : ": " + String.join("; ", errors);
      errors.clear();
      return s;
    }
  }
}
