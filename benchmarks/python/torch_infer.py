# The forward pass of the 2-64-64-64-3 ReLU MLP of torch_mlp.py (../shared/tools/perf) under
# torch.inference_mode(): the PyTorch side of Weft's inference row (CoopVecStep ... infer).
# usage: torch_infer.py BATCH STEPS THREADS  -> prints "torch_ms_per_step X"
# Run it as compare.py does: OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE unset, GLIBC_TUNABLES
# raising malloc's mmap and trim thresholds (PERFORMANCE.md).
import sys
import time

import torch

batch, steps, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                          torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 3))
x = torch.rand(batch, 2)
with torch.inference_mode():
    for _ in range(3):
        net(x)
    t0 = time.perf_counter()
    for _ in range(steps):
        y = net(x)
    ms = (time.perf_counter() - t0) * 1000 / steps
print("torch_ms_per_step %.3f" % ms)
