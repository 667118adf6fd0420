package dev.nas.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.nas.core.io.Tensor;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SGD with momentum and L2 weight decay, with PyTorch's update rule (first step: buffer = gradient). */
public final class Sgd implements Optimizer {
  private final double momentum;
  private final double weightDecay;
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();

  public Sgd(double momentum, double weightDecay) {
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  public double momentum() {
    return momentum;
  }

  public double weightDecay() {
    return weightDecay;
  }

  /** The momentum buffer of a tensor, or null before its first update. */
  public NDArray buffer(String name) {
    return buffers.get(name);
  }

  @Override
  public void step(Parameters params, List<String> names, double lr) {
    for (String name : names) {
      NDArray p = params.get(name);
      try (NDManager scope = params.manager().newSubManager()) {
        NDArray d = Grads.withWeightDecay(p, weightDecay, scope);
        if (d == null) {
          continue;
        }
        NDArray buf = buffers.get(name);
        if (buf == null) {
          buf = d.duplicate();
          buf.attach(params.manager());
          buffers.put(name, buf);
        } else {
          buf.muli(momentum).addi(d);
        }
        NDArray update = buf.mul(lr);
        update.attach(scope);
        p.subi(update);
        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
      }
    }
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    buffers.forEach((k, v) -> out.put("momentum." + k, Tensors.toHost(v)));
    return out;
  }

  @Override
  public void load(Parameters params, Map<String, Tensor> state) {
    buffers.values().forEach(NDArray::close);
    buffers.clear();
    state.forEach((k, v) -> {
      if (k.startsWith("momentum.")) {
        String name = k.substring("momentum.".length());
        NDArray p = params.get(name);
        NDArray buf = params.manager().zeros(p.getShape(), p.getDataType());
        Tensors.copyInto(v, buf, k);
        buffers.put(name, buf);
      }
    });
  }
}
