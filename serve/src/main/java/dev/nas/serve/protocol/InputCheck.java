package dev.nas.serve.protocol;

/**
 * Checks an input of a request against its model as soon as the input's name, datatype and shape
 * are decoded, before its data is, so that a request the model cannot take is refused before the
 * server spends memory on its numbers.
 */
@FunctionalInterface
public interface InputCheck {
  /** Accepts every input; the request is checked against a model later. */
  InputCheck NONE = (name, datatype, shape) -> { };

  /** @throws ProtocolException with the status and message to answer */
  void check(String name, DataType datatype, long[] shape) throws ProtocolException;
}
