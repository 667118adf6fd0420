#!/usr/bin/env bash
# What a machine offers for nas on a GPU, in one call: Java, the NVIDIA driver and its GPUs, the
# CUDA / cuDNN / TensorRT libraries the dynamic linker finds, any Python torch and the libtorch it
# ships (whose folder can serve as PYTORCH_LIBRARY_PATH, see README "GPU"). Prints and exits 0
# whatever is missing; nothing is installed or changed.
# Usage: benchmarks/gpu-probe.sh
set -u
section() { printf '\n== %s\n' "$1"; }
have() { command -v "$1" >/dev/null 2>&1; }

section "machine"
uname -srm
if [ -r /proc/cpuinfo ]; then grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'; fi
echo "cores: $(nproc 2>/dev/null || echo '?')"
free -g 2>/dev/null | awk '/Mem:/ {print "memory: " $2 " GiB"}'

section "java"
if have java; then java -version 2>&1 | head -3; else echo "no java on PATH"; fi
if have mvn; then mvn -v 2>/dev/null | head -1; else echo "no mvn on PATH"; fi

section "nvidia driver"
if have nvidia-smi; then
  nvidia-smi --query-gpu=index,name,memory.total,driver_version,compute_cap --format=csv 2>&1 | head -17
  nvidia-smi 2>/dev/null | grep -m1 -o 'CUDA Version: [0-9.]*' || true
else
  echo "no nvidia-smi on PATH"
fi

section "CUDA, cuDNN, TensorRT libraries (ldconfig and common folders)"
libs='libcuda\.so|libcudart\.so|libcublas\.so|libcudnn\.so|libnvinfer\.so|libnvonnxparser\.so|libnccl\.so'
{ ldconfig -p 2>/dev/null | grep -E "$libs" | awk '{print $NF}'
  for d in /usr/local/cuda*/lib64 /usr/local/cuda*/targets/*/lib /usr/lib/x86_64-linux-gnu /usr/local/nvidia/lib64 \
      /usr/local/lib /opt/tensorrt*/lib /usr/local/cuda*/lib ${LD_LIBRARY_PATH:+${LD_LIBRARY_PATH//:/ }}; do
    [ -d "$d" ] && ls "$d" 2>/dev/null | grep -E "$libs" | sed "s|^|$d/|"
  done; } | sort -u | head -40
for v in /usr/local/cuda*/version.json /usr/local/cuda/version.txt; do
  [ -f "$v" ] && { echo "$v:"; grep -m3 -E '"version"|CUDA Version' "$v"; }
done
if have nvcc; then nvcc --version | tail -2; fi

section "python torch"
for py in python3 python; do
  if have "$py"; then
    "$py" - <<'PY' 2>&1 | head -12
import importlib.util, os
spec = importlib.util.find_spec("torch")
if spec is None:
    print("no torch for this python")
else:
    import torch
    lib = os.path.join(os.path.dirname(torch.__file__), "lib")
    print("torch", torch.__version__, "CUDA", torch.version.cuda, "cuDNN", torch.backends.cudnn.version())
    print("cuda available:", torch.cuda.is_available(), "devices:", torch.cuda.device_count())
    if torch.cuda.is_available():
        print("device 0:", torch.cuda.get_device_name(0))
    print("libtorch folder:", lib, "(libtorch.so present)" if os.path.exists(os.path.join(lib, "libtorch.so")) else "")
    print("for nas: PYTORCH_LIBRARY_PATH=%s PYTORCH_VERSION=%s PYTORCH_FLAVOR=%s" % (
        lib, torch.__version__.split("+")[0], ("cu" + torch.version.cuda.replace(".", "")) if torch.version.cuda else "cpu"))
PY
    break
  fi
done
if ! have python3 && ! have python; then echo "no python on PATH"; fi

section "other libtorch installs"
ls -d /usr/local/libtorch* /opt/libtorch* "$HOME"/.djl.ai/pytorch/* 2>/dev/null | head || true
exit 0
