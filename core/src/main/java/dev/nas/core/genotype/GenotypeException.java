package dev.nas.core.genotype;

/** A genotype that cannot be read or does not describe a valid cell; the message names the entry. */
public class GenotypeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public GenotypeException(String message) {
    super(message);
  }
}
