package dev.nas.serve.model;

import dev.nas.serve.protocol.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An opened model that runs batches: what a model file becomes once a backend has loaded it. A
 * backend is chosen by the model file's name ({@link Backends}); ONNX files open in ONNX Runtime.
 */
public interface Backend extends AutoCloseable {
  /** The platform name of the model's metadata, as Triton names it, e.g. {@code onnxruntime_onnx}. */
  String platform();

  List<TensorSpec> inputs();

  List<TensorSpec> outputs();

  /**
   * Runs the model. Called from several threads at once.
   *
   * @param inputs every input, checked against {@link #inputs()} (datatype, rank, fixed
   *     dimensions); their data is only read during the call
   * @param outputs names of the outputs to compute, a non-empty subset of {@link #outputs()}
   * @return those outputs by name, owning their data
   * @throws BackendException if the model fails on these inputs
   */
  Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws BackendException;

  /** Releases the model; called once, after the last {@link #run} has returned. */
  @Override
  void close();
}
