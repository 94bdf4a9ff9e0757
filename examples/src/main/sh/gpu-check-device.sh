#!/usr/bin/env bash
# The GPU check on a GPU machine (GPU.md), from a checkout with the bundle of
# ../shared/tools/gpu-bundle beside it (.gpu/: a Java runtime and every jar; nothing is built there):
#
#   bash examples/src/main/sh/gpu-check-device.sh OUT_DIR
#
# It lists the GPUs, then runs dev.weft.examples.GpuCheck, which writes OUT_DIR/report/gpu-check.txt
# as it goes (each stage in a process of its own with a time limit; the limits add up to under 8
# minutes). The exit code is GpuCheck's: 0 every stage that could run passed, 1 one failed or
# timed out, 2 no GPU (or no bundle). Equivalent to: bash .gpu/run.sh dev.weft.examples.GpuCheck OUT_DIR/report
set -uo pipefail
out=${1:?usage: gpu-check-device.sh OUT_DIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
if [[ ! -x $root/.gpu/jre/bin/java || ! -f $root/.gpu/run.sh ]]; then
  echo "gpu-check-device: no bundle in $root/.gpu: run ../shared/tools/gpu-bundle on a build machine first" >&2
  exit 2
fi
mkdir -p "$out/report"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi -L
else
  echo "gpu-check-device: nvidia-smi is not installed here"
fi
cd "$root"
bash .gpu/run.sh dev.weft.examples.GpuCheck "$out/report"
