# F32 C[M x N] = A[M x K] B[K x N] with NumPy (OpenBLAS): the NumPy side of Weft's gemm rows
# (GemmLoop). The thread count is OpenBLAS's, set by the caller: OPENBLAS_NUM_THREADS=T.
# usage: numpy_gemm.py M N K SECONDS  -> prints "numpy_gemm_ms X gflops Y"
import sys
import time

import numpy as np

m, n, k, seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
rng = np.random.default_rng(0)
a = rng.standard_normal((m, k), dtype=np.float32)
b = rng.standard_normal((k, n), dtype=np.float32)
c = np.empty((m, n), dtype=np.float32)
for _ in range(3):
    np.matmul(a, b, out=c)
calls = 0
t0 = time.perf_counter()
while time.perf_counter() - t0 < seconds or calls < 3:
    np.matmul(a, b, out=c)
    calls += 1
ms = (time.perf_counter() - t0) * 1000 / calls
print("numpy_gemm_ms %.4f gflops %.1f" % (ms, 2.0 * m * n * k / ms / 1e6))
