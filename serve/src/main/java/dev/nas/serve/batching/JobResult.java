package dev.nas.serve.batching;

import dev.nas.serve.protocol.Tensor;
import java.util.Map;

/**
 * A job's outputs and where its time went, in nanoseconds (the durations Triton reports).
 *
 * @param outputs the requested outputs by name
 * @param queueNanos from entering the queue to a worker taking it
 * @param inputNanos gathering the batch's inputs into one buffer per input
 * @param inferNanos the backend call that ran the batch
 * @param outputNanos splitting the batch's outputs back per request
 * @param batchSamples samples in the execution the job was part of (its own when run alone)
 */
public record JobResult(Map<String, Tensor> outputs, long queueNanos, long inputNanos, long inferNanos,
    long outputNanos, int batchSamples) {}
