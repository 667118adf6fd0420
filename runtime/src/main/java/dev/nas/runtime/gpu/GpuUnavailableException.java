package dev.nas.runtime.gpu;

/** A GPU path cannot run here; the message names what is missing and how to get it. */
public final class GpuUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public GpuUnavailableException(String message) {
    super(message);
  }
}
