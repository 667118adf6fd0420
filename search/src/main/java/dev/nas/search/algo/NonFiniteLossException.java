package dev.nas.search.algo;

/** The loss became NaN or infinite; the step was not applied. */
public class NonFiniteLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NonFiniteLossException(String what, double value) {
    super(what + " loss became " + value);
  }
}
