package dev.nas.cli;

/** A command line that cannot be acted on; reported with the command's usage, exit status 2. */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
