#!/usr/bin/env python3
"""SimPy side of the `mm4_vs_simpy` benchmark: the same M/M/c queue archsim simulates.

Poisson arrivals at rate LAMBDA, exponential service at rate MU, one FCFS queue in front of
`simpy.Resource(capacity=C)`. Each customer records its sojourn (arrival to departure). The wall time
of `env.run()` is measured with `time.perf_counter` (and its CPU time with `time.process_time`, which
a busy machine disturbs less); building the environment is not timed.

Prints one JSON object per repetition on stdout:
    {"customers": N, "wall_s": T, "cpu_s": U, "customers_per_s": N/T, "mean_sojourn_s": W, "seed": S}
Run by tests/benches/mm4_vs_simpy.rs; it can also be run by hand:
    python3 tests/benches/simpy_mm4.py --lam 360 --mu 100 --servers 4 --customers 200000
"""

import argparse
import json
import random
import sys
import time

try:
    import simpy
except ImportError:  # the Rust side checks this first and explains how to install it
    sys.stderr.write("simpy is not installed: pip install simpy\n")
    sys.exit(3)


def run_once(lam, mu, servers, customers, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=servers)
    stats = {"n": 0, "sum": 0.0}

    def customer(env):
        arrived = env.now
        with server.request() as req:
            yield req
            yield env.timeout(rng.expovariate(mu))
        stats["n"] += 1
        stats["sum"] += env.now - arrived

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(lam))
            env.process(customer(env))

    env.process(source(env))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run()  # until every customer has left
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "customers": stats["n"],
        "wall_s": wall,
        "cpu_s": cpu,
        "customers_per_s": stats["n"] / wall,
        "mean_sojourn_s": stats["sum"] / stats["n"],
        "seed": seed,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lam", type=float, default=360.0, help="arrival rate, per second")
    p.add_argument("--mu", type=float, default=100.0, help="service rate of one server, per second")
    p.add_argument("--servers", type=int, default=4)
    p.add_argument("--customers", type=int, default=200_000)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    for r in range(a.reps):
        res = run_once(a.lam, a.mu, a.servers, a.customers, a.seed + r)
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
