package dev.nas.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.nas.core.io.Tensor;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Adam with L2 weight decay added to the gradient, with PyTorch's update rule and bias correction. */
public final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final Map<String, Long> steps = new LinkedHashMap<>();

  public Adam(double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
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
        NDArray mt = m.computeIfAbsent(name, k -> params.manager().zeros(p.getShape(), p.getDataType()));
        NDArray vt = v.computeIfAbsent(name, k -> params.manager().zeros(p.getShape(), p.getDataType()));
        long t = steps.merge(name, 1L, Long::sum);
        mt.muli(beta1).addi(d.mul(1 - beta1));
        vt.muli(beta2).addi(d.square().mul(1 - beta2));
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        NDArray denom = vt.div(c2);
        denom.attach(scope);
        NDArray update = mt.div(denom.sqrt().addi(eps));
        update.attach(scope); // an op's result joins its receiver's manager; keep it out of the long-lived one
        p.subi(update.muli(lr / c1));
        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
      }
    }
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    m.forEach((k, a) -> out.put("m." + k, Tensors.toHost(a)));
    v.forEach((k, a) -> out.put("v." + k, Tensors.toHost(a)));
    steps.forEach((k, t) -> out.put("t." + k, new Tensor(List.of(1), new float[] {t})));
    return out;
  }

  @Override
  public void load(Parameters params, Map<String, Tensor> state) {
    m.values().forEach(NDArray::close);
    v.values().forEach(NDArray::close);
    m.clear();
    v.clear();
    steps.clear();
    state.forEach((k, t) -> {
      int dot = k.indexOf('.');
      String kind = k.substring(0, dot);
      String name = k.substring(dot + 1);
      if (kind.equals("t")) {
        steps.put(name, (long) t.data()[0]);
        return;
      }
      NDArray p = params.get(name);
      NDArray a = params.manager().zeros(p.getShape(), p.getDataType());
      Tensors.copyInto(t, a, k);
      (kind.equals("m") ? m : v).put(name, a);
    });
  }
}
