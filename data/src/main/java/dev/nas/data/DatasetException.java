package dev.nas.data;

import java.nio.file.Path;

/**
 * A data set that cannot be loaded: a missing, truncated or corrupt file, or a request that does
 * not fit the data. The message names the file (when there is one) and what is wrong with it, so
 * it can be shown to a user as is.
 */
public class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code file: problem}. */
  public DatasetException(Path file, String problem) {
    super(file + ": " + problem);
  }

  /** {@code file: problem}, keeping the underlying error as the cause. */
  public DatasetException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
