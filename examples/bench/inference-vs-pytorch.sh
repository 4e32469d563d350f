#!/usr/bin/env bash
# The forecaster's network step per series beside PyTorch's for the same shape, measured in turn in one
# run (the machines are shared and noisy: compare the two only within a round). Each round runs JMH's
# InferenceBenchmark.step (LSTM, hidden 64, batch 256, the job's default width and horizon) and then
# pytorch_lstm_step.py with the same shape, and prints both and their ratio.
# Usage: examples/bench/inference-vs-pytorch.sh [rounds, default 2]
# Needs Debian's python3-torch and libopenblas0-pthread (apt-get install python3-torch libopenblas0-pthread).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-2}"
python=/usr/bin/python3
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "PyTorch is not installed for $python: apt-get install python3-torch libopenblas0-pthread" >&2
  exit 1
fi
export OMP_NUM_THREADS=1
for round in $(seq 1 "$rounds"); do
  streamcast=$("$root/bin/streamcast-jmh" 'InferenceBenchmark.step' -p hidden=64 -p cell=lstm -f 1 -wi 3 -i 5 -w 1 -r 1 \
    | awk '/^InferenceBenchmark.step/ {print $(NF-3)}')
  pytorch=$("$python" "$root/examples/bench/pytorch_lstm_step.py" --hidden 64 --batch 256 | awk '{print $NF}')
  awk -v r="$round" -v s="$streamcast" -v p="$pytorch" \
    'BEGIN {printf "round %d: streamcast %.3f us per series, pytorch %.3f us per series, ratio %.2f\n", r, s, p, s / p}'
done
