#!/usr/bin/python3
"""PyTorch peers of dtrain's training-engine benchmark: contenders torch-loop, torch-bmm, torch-concat.

All three run the workload of bench/workload.mjs:
- N nodes; node i has its own fixed batch of 32 random samples (64 standard-normal features,
  10 uniform classes) for each of its `localSteps` local steps, generated once (not timed);
- MLP 64 -> 64 (ReLU) -> 10, mean softmax cross-entropy, plain SGD with lr 0.1;
- per round every node starts from the global parameters and takes `localSteps` steps; then
  global = sum_i w_i * theta_i with w_i = 1/N.

torch-loop    the hand-written FedAvg loop: N nn.Modules and N optim.SGDs; per round every node
              does load_state_dict(global), then per local step zero_grad, forward/backward,
              step; then the weighted mean via torch.stack.
torch-bmm     the nodes batched: every parameter stacked over nodes ([N, in, out] and [N, 1, out]),
              forward and backward with torch.bmm over [N, batch, features] (autograd; the loss is
              the sum of the nodes' mean losses, so each node's slice of .grad is its own
              gradient), an SGD step per node; then each node's gradient norm (||U_i|| / K, U_i
              the sum of its K gradients, as dtrain computes for S4) and the weighted mean
              (torch.tensordot over the node axis).
torch-concat  a lower bound on what FedAvg costs: one nn.Module, one forward/backward over the
              concatenation of every node's rows, one SGD step with the averaged gradient. With one
              local step and equal weights that is exactly the round's aggregate (every node
              starts from the same parameters); it computes no per-node gradient or norm. With
              several local steps the nodes diverge, so it is only run with localSteps = 1.

For each (localSteps, N): build the contenders side by side, warm each up (one round, then
>= 300 ms of rounds), then 3 repetitions of R rounds per contender, interleaved (A, B, C, A, B,
C, ...) as bench.mjs does, R chosen so that a repetition lasts about 1 s (at least one round).
Reports the median node-steps/s = R * N * localSteps / s. Progress goes to stderr; the JSON
report to --json FILE, or to stdout.

Usage: /usr/bin/python3 bench/torch_peer.py [--nodes 8,64,256,1000] [--steps 1,3]
       [--contenders torch-loop,torch-bmm,torch-concat] [--threads 1] [--json FILE]
Needs Debian's PyTorch (`apt-get install python3-torch`, 1.13); run it with /usr/bin/python3.
--threads sets torch.set_num_threads and, unless already set, OPENBLAS_NUM_THREADS. The report
names the BLAS library torch loaded: python3-torch without its recommended packages brings the reference BLAS (libblas3);
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


def make_data(nodes, local_steps, seed):
    """Every node's batches, [nodes, localSteps, batch, ...], and the global parameters' start."""
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(nodes, local_steps, BATCH, FEATURES, generator=generator)
    labels = torch.randint(0, CLASSES, (nodes, local_steps, BATCH), generator=generator)
    torch.manual_seed(seed)
    initial = {k: v.detach().clone() for k, v in make_model().state_dict().items()}
    return features, labels, initial


class TorchLoop:
    """N nn.Modules, N optim.SGDs, and the global parameters as a state dict."""

    def __init__(self, nodes, local_steps, seed):
        self.nodes, self.local_steps = nodes, local_steps
        self.features, self.labels, self.global_state = make_data(nodes, local_steps, seed)
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


class TorchBmm:
    """Per-node parameters stacked over a leading node axis; torch.bmm forward and backward."""

    def __init__(self, nodes, local_steps, seed):
        self.nodes, self.local_steps = nodes, local_steps
        self.features, self.labels, initial = make_data(nodes, local_steps, seed)
        # nn.Linear keeps weight as [out, in]; bmm wants [in, out], the bias as a row to broadcast
        self.global_params = [
            initial['0.weight'].t().contiguous(), initial['0.bias'].view(1, HIDDEN),
            initial['2.weight'].t().contiguous(), initial['2.bias'].view(1, CLASSES),
        ]
        self.params = [torch.empty(nodes, *g.shape, requires_grad=True) for g in self.global_params]
        self.weights = torch.full((nodes,), 1.0 / nodes)
        self.norms = None

    def round(self):
        w1, b1, w2, b2 = self.params
        with torch.no_grad():
            for p, g in zip(self.params, self.global_params):
                p.copy_(g.expand_as(p))
        sums = None
        for s in range(self.local_steps):
            for p in self.params:
                p.grad = None
            hidden = torch.relu(torch.bmm(self.features[:, s], w1) + b1)
            logits = torch.bmm(hidden, w2) + b2
            # the sum over nodes of each node's mean loss: node i's slice of .grad is its own gradient
            loss = F.cross_entropy(logits.reshape(-1, CLASSES), self.labels[:, s].reshape(-1), reduction='sum') / BATCH
            loss.backward()
            with torch.no_grad():
                if sums is None:
                    sums = [p.grad if self.local_steps == 1 else p.grad.clone() for p in self.params]
                else:
                    for total, p in zip(sums, self.params):
                        total.add_(p.grad)
                for p in self.params:
                    p.sub_(p.grad, alpha=LEARNING_RATE)
        with torch.no_grad():
            squares = sum(u.reshape(self.nodes, -1).pow(2).sum(1) for u in sums)
            self.norms = squares.sqrt() / self.local_steps
            self.global_params = [torch.tensordot(self.weights, p, dims=1) for p in self.params]


class TorchConcat:
    """One nn.Module and one SGD: a forward/backward over every node's rows, the averaged update."""

    def __init__(self, nodes, local_steps, seed):
        if local_steps != 1:
            raise ValueError('torch-concat is FedAvg only with one local step')
        features, labels, initial = make_data(nodes, local_steps, seed)
        self.features = features.reshape(nodes * BATCH, FEATURES)
        self.labels = labels.reshape(nodes * BATCH)
        self.model = make_model()
        self.model.load_state_dict(initial)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=LEARNING_RATE)

    def round(self):
        self.optimizer.zero_grad()
        # equal batches and weights 1/N: the mean over all rows is the weighted mean of node losses
        F.cross_entropy(self.model(self.features), self.labels).backward()
        self.optimizer.step()


CONTENDERS = {'torch-loop': TorchLoop, 'torch-bmm': TorchBmm, 'torch-concat': TorchConcat}


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


def runs_with(name, local_steps):
    return name != 'torch-concat' or local_steps == 1


def measure_config(names, nodes, local_steps):
    """The contenders side by side on one configuration, repetitions interleaved (as bench.mjs)."""
    seed = 1000 * nodes + local_steps
    contenders = [CONTENDERS[name](nodes, local_steps, seed) for name in names]
    plans = [max(1, round(REPETITION_SECONDS / warm_up(c))) for c in contenders]
    rates = [[] for _ in names]
    for _ in range(REPETITIONS):
        for k, contender in enumerate(contenders):
            rates[k].append(plans[k] * nodes * local_steps / time_rounds(contender, plans[k]))
    return [{
        'contender': name,
        'nodes': nodes,
        'localSteps': local_steps,
        'nodeStepsPerSec': statistics.median(rates[k]),
        'repetitions': rates[k],
        'roundsPerRepetition': plans[k],
    } for k, name in enumerate(names)]


def agreement():
    """Largest parameter difference of torch-bmm (1 and 3 local steps) and torch-concat (1) from
    torch-loop after 3 rounds at N = 8 (same data, same start), and how far the parameters moved."""
    def run(names, local_steps):
        contenders = [CONTENDERS[n](8, local_steps, seed=8000 + local_steps) for n in names]
        for _ in range(3):
            for c in contenders:
                c.round()
        return contenders

    def loop_order(c):
        if isinstance(c, TorchLoop):
            return list(c.global_state.values())
        if isinstance(c, TorchBmm):
            w1, b1, w2, b2 = c.global_params
            return [w1.t(), b1.view(-1), w2.t(), b2.view(-1)]
        return [p.detach() for p in c.model.parameters()]

    def difference(a, b):
        return max((x - y).abs().max().item() for x, y in zip(loop_order(a), loop_order(b)))

    loop1, bmm1, concat1 = run(('torch-loop', 'torch-bmm', 'torch-concat'), 1)
    loop3, bmm3 = run(('torch-loop', 'torch-bmm'), 3)
    start = make_data(8, 1, 8001)[2].values()
    moved = max((x - y).abs().max().item() for x, y in zip(loop_order(loop1), start))
    return {'bmm': difference(bmm1, loop1), 'concat': difference(concat1, loop1), 'bmm3': difference(bmm3, loop3), 'moved': moved}


def blas_library():
    """The BLAS shared library this process has loaded (torch's matmuls go through it)."""
    try:
        with open('/proc/self/maps') as maps:
            paths = {line.split()[-1] for line in maps if 'blas' in line.lower() and '/' in line}
        return ', '.join(sorted(paths)) or 'unknown'
    except OSError:
        return 'unknown'


def contender_list(text):
    names = [v.strip() for v in text.split(',') if v.strip()]
    for name in names:
        if name not in CONTENDERS:
            raise argparse.ArgumentTypeError(f"unknown contender {name} (one of {', '.join(CONTENDERS)})")
    return names


def main():
    parser = argparse.ArgumentParser(description="PyTorch peers of dtrain's benchmark: torch-loop, torch-bmm, torch-concat")
    parser.add_argument('--nodes', type=int_list, default=[8, 64, 256, 1000])
    parser.add_argument('--steps', type=int_list, default=[1, 3])
    parser.add_argument('--contenders', type=contender_list, default=list(CONTENDERS))
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
    # warm-up of the first configuration's code paths (allocator, BLAS, autograd), and a check
    # that the three compute the same round
    check = agreement()
    blas = blas_library()
    print(f'torch {torch.__version__}, {torch.get_num_threads()} thread(s), BLAS {blas}', file=sys.stderr)
    results = []
    for local_steps in args.steps:
        names = [name for name in args.contenders if runs_with(name, local_steps)]
        for nodes in args.nodes:
            for result in measure_config(names, nodes, local_steps):
                print(f"{result['contender']:12} K={local_steps} N={nodes:<5} {result['nodeStepsPerSec']:,.0f} node-steps/s", file=sys.stderr)
                results.append(result)
    report = json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas, 'agreement': check, 'results': results}, indent=2)
    if args.json is None:
        print(report)
    else:
        with open(args.json, 'w') as out:
            out.write(report + '\n')
        print(f'wrote {args.json}', file=sys.stderr)


if __name__ == '__main__':
    main()
