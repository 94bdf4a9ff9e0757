#!/usr/bin/env python3
"""Weft's CPU backend against PyTorch, NumPy and the hand-fused Vector API loop, in one run.

Each comparison alternates its programs (A, B, A, B, ...) for --rounds rounds, each program a
process of its own, so that the load of a shared machine falls on both sides alike; it prints
the medians, the median of the per-round ratios (Weft's speed over the other's: > 1 means Weft is
faster) and GFLOP/s, and the load average seen during the run.

Rows (--only picks some):
  train  the training step of CoopVecStep (2-64-64-64-3 ReLU MLP, MSE, backward, Adam) at each
         --batches, against torch_mlp.py (PyTorch eager) and, at 65536, the hand-fused loop;
  infer  the forward pass at 65536 (CoopVecStep ... infer) against torch_infer.py
         (torch.inference_mode());
  gemm   Backend.gemm F32 (GemmLoop) against numpy_gemm.py on 64x64 by 64x65536 and 512^3, on
         1 and 2 threads.

Run from the repository root after building the benchmarks (benchmarks/README.md):
  python3 benchmarks/python/compare.py --rounds 3
PyTorch runs as PERFORMANCE.md says is fair: OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE unset,
malloc's mmap and trim thresholds raised.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# per lane: forward 2*(2*64 + 64*64 + 64*64 + 64*3), the same for the weight gradients, input
# gradients of the three upper layers 2*(64*64 + 64*64 + 64*3)
TRAIN_FLOP_PER_LANE = 2 * (128 + 8192 + 192) * 2 + 2 * (8192 + 192)
INFER_FLOP_PER_LANE = 2 * (128 + 8192 + 192)
TORCH_ENV = {"OPENBLAS_NUM_THREADS": "1",
             "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"}
loads = []


def run(cmd, pattern, env=None):
    """Runs cmd and returns the float that follows `pattern` in its output."""
    e = dict(os.environ)
    e.pop("OPENBLAS_CORETYPE", None)
    if env:
        e.update(env)
    loads.append(os.getloadavg()[0])
    out = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=900)
    m = re.search(pattern + r" ([0-9.]+)", out.stdout)
    if not m:
        sys.exit("no '%s' in the output of %s:\n%s\n%s" % (pattern, " ".join(cmd), out.stdout, out.stderr[-2000:]))
    return float(m.group(1))


def java(args):
    classpath = os.path.join(ROOT, "benchmarks/target/classes") + ":" + open(
        os.path.join(ROOT, "benchmarks/target/bench.classpath")).read().strip()
    exe = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin/java")
    return [exe, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", classpath] + args


def alternate(rounds, programs):
    """programs: name -> thunk returning ms (or GFLOP/s); returns name -> list of values, one per round."""
    values = {name: [] for name in programs}
    for _ in range(rounds):
        for name, thunk in programs.items():
            values[name].append(thunk())
    return values


def row(label, values, weft, others, flop=None, higher_is_better=False):
    med = {k: statistics.median(v) for k, v in values.items()}
    cells = ["%-34s" % label, "weft %8.3f" % med[weft]]
    for o in others:
        ratios = [(w / t if higher_is_better else t / w) for w, t in zip(values[weft], values[o])]
        cells.append("%s %8.3f  ratio %.2f (rounds %s)" % (o, med[o], statistics.median(ratios),
                                                         ", ".join("%.2f" % r for r in ratios)))
    if flop:
        cells.append("weft %.0f GFLOP/s" % (flop / med[weft] / 1e6))
    print("  ".join(cells), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=float, default=12, help="Weft warm-up seconds per process (C2)")
    p.add_argument("--seconds", type=float, default=6, help="Weft measured seconds per process")
    p.add_argument("--batches", default="64,1024,65536,262144")
    p.add_argument("--only", default="train,infer,gemm")
    p.add_argument("--perf-tools", default=os.path.join(ROOT, "../shared/tools/perf"),
                   help="folder of torch_mlp.py and FusedMlpProbe.java")
    a = p.parse_args()
    t = str(a.threads)
    only = a.only.split(",")
    tools = os.path.abspath(a.perf_tools)
    print("ms per step (gemm: GFLOP/s); ratio = Weft's speed / the other's; %d rounds, alternated" % a.rounds)
    if "train" in only:
        for b in [int(x) for x in a.batches.split(",")]:
            torch_steps = str(max(5, min(200, 2 ** 22 // b)))
            programs = {
                "weft": lambda b=b: run(java(["dev.weft.bench.CoopVecStep", str(b), str(a.warmup), str(a.seconds), t]),
                                        "weft_ms_per_step"),
                "torch": lambda b=b: run(["/usr/bin/python3", os.path.join(tools, "torch_mlp.py"), str(b),
                                          torch_steps, t], "torch_ms_per_step", TORCH_ENV),
            }
            if b == 65536:
                programs["hand"] = lambda: run(java([os.path.join(tools, "FusedMlpProbe.java"), t, "512"]),
                                               "chunk 512:")
            values = alternate(a.rounds, programs)
            row("train step, batch %d" % b, values, "weft", [k for k in programs if k != "weft"],
                TRAIN_FLOP_PER_LANE * b)
    if "infer" in only:
        b = 65536
        values = alternate(a.rounds, {
            "weft": lambda: run(java(["dev.weft.bench.CoopVecStep", str(b), str(a.warmup), str(a.seconds), t, "infer"]),
                                "weft_ms_per_step"),
            "torch": lambda: run(["/usr/bin/python3", os.path.join(HERE, "torch_infer.py"), str(b), "100", t],
                                 "torch_ms_per_step", TORCH_ENV),
        })
        row("inference, batch %d" % b, values, "weft", ["torch"], INFER_FLOP_PER_LANE * b)
    if "gemm" in only:
        for threads in ("1", "2"):
            for m, n, k in ((64, 65536, 64), (512, 512, 512)):
                shape = [str(m), str(n), str(k)]
                values = alternate(a.rounds, {
                    "weft": lambda: run(java(["dev.weft.bench.GemmLoop"] + shape + [threads, "4", "3"]), "gflops"),
                    "numpy": lambda: run(["/usr/bin/python3", os.path.join(HERE, "numpy_gemm.py")] + shape + ["3"],
                                         "gflops", {"OPENBLAS_NUM_THREADS": threads}),
                })
                row("gemm %dx%d by %dx%d, %s thread(s)" % (m, k, k, n, threads), values, "weft", ["numpy"],
                    higher_is_better=True)
    print("load average (1 min) at the starts: min %.1f, median %.1f, max %.1f"
          % (min(loads), statistics.median(loads), max(loads)))


if __name__ == "__main__":
    main()
