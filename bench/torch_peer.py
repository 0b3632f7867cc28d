#!/usr/bin/python3
"""PyTorch peer of dtrain's training-engine benchmark: the "torch-loop" contender.

The hand-written FedAvg loop a PyTorch user would write, on the workload of bench/workload.mjs:
- N nodes; node i has its own fixed batch of 32 random samples (64 standard-normal features,
  10 uniform classes) for each of its `localSteps` local steps, generated once (not timed);
- MLP 64 -> 64 (ReLU) -> 10, mean softmax cross-entropy, plain SGD with lr 0.1;
- N nn.Modules and N optim.SGDs; per round every node does load_state_dict(global), then
  `localSteps` times zero_grad, forward/backward, step; then global = sum_i w_i * theta_i with
  w_i = 1/N, via torch.stack.

For each (localSteps, N): warm up (one round, then >= 300 ms of rounds), then 3 repetitions of R
rounds, R chosen so that a repetition lasts about 1 s (at least one round). Reports the median
node-steps/s = R * N * localSteps / s. Progress goes to stderr; the JSON report to --json FILE,
or to stdout.

Usage: /usr/bin/python3 bench/torch_peer.py [--nodes 8,64,256,1000] [--steps 1,3] [--threads 1]
       [--json FILE]
Needs Debian's PyTorch (`apt-get install python3-torch`, 1.13); run it with /usr/bin/python3.
--threads sets torch.set_num_threads and, unless already set, OPENBLAS_NUM_THREADS. The report
names the BLAS library torch loaded: python3-torch alone brings the reference BLAS (libblas3);
with libopenblas0 installed, libblas.so.3 is OpenBLAS, as on the machine where the recorded figures were measured.
"""
import argparse
import json
import os
import statistics
import sys
import time

# imported by main() once OPENBLAS_NUM_THREADS is set from --threads (OpenBLAS reads it on load)
torch = F = nn = None

FEATURES, HIDDEN, CLASSES, BATCH, LEARNING_RATE = 64, 64, 10, 32, 0.1
REPETITIONS = 3
REPETITION_SECONDS = 1.0


def int_list(text):
    return [int(v) for v in text.split(',') if v.strip()]


def make_model():
    return nn.Sequential(nn.Linear(FEATURES, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, CLASSES))


class TorchLoop:
    """N nn.Modules, N optim.SGDs, and the global parameters as a state dict."""

    def __init__(self, nodes, local_steps, seed):
        generator = torch.Generator().manual_seed(seed)
        self.nodes, self.local_steps = nodes, local_steps
        self.features = torch.randn(nodes, local_steps, BATCH, FEATURES, generator=generator)
        self.labels = torch.randint(0, CLASSES, (nodes, local_steps, BATCH), generator=generator)
        torch.manual_seed(seed)
        self.global_state = {k: v.detach().clone() for k, v in make_model().state_dict().items()}
        self.models = [make_model() for _ in range(nodes)]
        self.optimizers = [torch.optim.SGD(m.parameters(), lr=LEARNING_RATE) for m in self.models]
        self.weights = torch.full((nodes,), 1.0 / nodes)

    def round(self):
        for i, (model, optimizer) in enumerate(zip(self.models, self.optimizers)):
            model.load_state_dict(self.global_state)
            for s in range(self.local_steps):
                optimizer.zero_grad()
                loss = F.cross_entropy(model(self.features[i, s]), self.labels[i, s])
                loss.backward()
                optimizer.step()
        with torch.no_grad():
            states = [model.state_dict() for model in self.models]
            for name, value in self.global_state.items():
                stacked = torch.stack([state[name] for state in states])
                self.global_state[name] = (stacked * self.weights.view(-1, *([1] * value.dim()))).sum(0)


def time_rounds(contender, rounds):
    start = time.perf_counter()
    for _ in range(rounds):
        contender.round()
    return time.perf_counter() - start


def warm_up(contender):
    """Untimed rounds; returns the time of one warm round (as bench.mjs's warmUp)."""
    first = time_rounds(contender, 1)
    if first > 1.0:
        return first
    start, rounds = time.perf_counter(), 0
    while True:
        contender.round()
        rounds += 1
        if time.perf_counter() - start >= 0.3:
            return (time.perf_counter() - start) / rounds


def measure(nodes, local_steps):
    contender = TorchLoop(nodes, local_steps, seed=1000 * nodes + local_steps)
    rounds = max(1, round(REPETITION_SECONDS / warm_up(contender)))
    rates = [rounds * nodes * local_steps / time_rounds(contender, rounds) for _ in range(REPETITIONS)]
    return {
        'contender': 'torch-loop',
        'nodes': nodes,
        'localSteps': local_steps,
        'nodeStepsPerSec': statistics.median(rates),
        'repetitions': rates,
        'roundsPerRepetition': rounds,
    }


def blas_library():
    """The BLAS shared library this process has loaded (torch's matmuls go through it)."""
    try:
        with open('/proc/self/maps') as maps:
            paths = {line.split()[-1] for line in maps if 'blas' in line.lower() and '/' in line}
        return ', '.join(sorted(paths)) or 'unknown'
    except OSError:
        return 'unknown'


def main():
    parser = argparse.ArgumentParser(description='PyTorch per-node loop ("torch-loop") peer of dtrain\'s benchmark')
    parser.add_argument('--nodes', type=int_list, default=[8, 64, 256, 1000])
    parser.add_argument('--steps', type=int_list, default=[1, 3])
    parser.add_argument('--threads', type=int, default=1, help='torch.set_num_threads (default 1)')
    parser.add_argument('--json', default=None, help='write the report to FILE instead of stdout')
    args = parser.parse_args()

    # Debian's torch calls BLAS through libblas.so.3: reference BLAS, or OpenBLAS when
    # libopenblas0 is installed, whose own thread count torch.set_num_threads does not set.
    os.environ.setdefault('OPENBLAS_NUM_THREADS', str(args.threads))
    global torch, F, nn
    import torch
    import torch.nn.functional as F
    from torch import nn

    torch.set_num_threads(args.threads)
    # JIT-like warm-up of the first configuration's code paths (allocator, BLAS, autograd)
    TorchLoop(8, 1, seed=0).round()
    blas = blas_library()
    print(f'torch {torch.__version__}, {torch.get_num_threads()} thread(s), BLAS {blas}', file=sys.stderr)
    results = []
    for local_steps in args.steps:
        for nodes in args.nodes:
            result = measure(nodes, local_steps)
            print(f"{'torch-loop':12} K={local_steps} N={nodes:<5} {result['nodeStepsPerSec']:,.0f} node-steps/s", file=sys.stderr)
            results.append(result)
    report = json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas, 'results': results}, indent=2)
    if args.json is None:
        print(report)
    else:
        with open(args.json, 'w') as out:
            out.write(report + '\n')
        print(f'wrote {args.json}', file=sys.stderr)


if __name__ == '__main__':
    main()
