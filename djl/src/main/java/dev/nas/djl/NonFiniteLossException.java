package dev.nas.djl;

/** The loss became NaN or infinite; the step was not applied. The one such signal of every search. */
public class NonFiniteLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String what;
  private final double value;

  /**
   * @param what which loss, e.g. {@code search} or {@code S-Net}
   * @param value its non-finite value
   */
  public NonFiniteLossException(String what, double value) {
    super(what + " loss became " + value);
    this.what = what;
    this.value = value;
  }

  /** Which loss. */
  public String what() {
    return what;
  }

  /** Its value (NaN or infinite). */
  public double value() {
    return value;
  }
}
