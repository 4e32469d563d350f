#!/usr/bin/env python3
"""PyTorch's time for the step the forecaster takes per reading, for comparison with Streamcast's.

One LSTM cell step for a batch of series plus a dense head (hidden -> horizon), on one thread, in
inference mode: what `InferenceBenchmark.step` measures for RecurrentNetwork.step. Prints the mean
microseconds per series of each measured iteration, then their median. Needs PyTorch (Debian:
python3-torch with libopenblas0-pthread; without OpenBLAS torch falls back to a generic BLAS).
"""
import argparse
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--width", type=int, default=5, help="inputs per step (the job's default: 1 + 4 calendar)")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--horizon", type=int, default=1)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--warmup", type=int, default=3, help="warm-up iterations of --seconds each")
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--seconds", type=float, default=1.0)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    cell = torch.nn.LSTMCell(a.width, a.hidden)
    head = torch.nn.Linear(a.hidden, a.horizon)
    x = torch.randn(a.batch, a.width)
    h = torch.zeros(a.batch, a.hidden)
    c = torch.zeros(a.batch, a.hidden)
    results = []
    with torch.inference_mode():
        for i in range(a.warmup + a.iterations):
            calls = 0
            start = time.perf_counter()
            while True:
                h, c = cell(x, (h, c))
                head(h)
                calls += 1
                elapsed = time.perf_counter() - start
                if elapsed >= a.seconds:
                    break
            if i >= a.warmup:
                results.append(elapsed / calls / a.batch * 1e6)
    print("pytorch %s LSTMCell+Linear width %d hidden %d horizon %d batch %d: %s us per series; median %.3f"
          % (torch.__version__, a.width, a.hidden, a.horizon, a.batch,
             " ".join("%.3f" % r for r in results), statistics.median(results)))


if __name__ == "__main__":
    main()
