#!/usr/bin/env python3
"""SimPy twin of the bench's service chain: the same synchronous chain archsim simulates.

Poisson arrivals at RATE per second enter the first service. Each service has REPLICAS instances,
each a `simpy.Resource(capacity=CONCURRENCY)` with its FCFS queue, chosen round-robin as archsim's
default balancer does. A request takes a slot, does exponential local work, then calls the next
service while keeping its slot (thread-per-request); the last service's answer releases every slot
on the way back. The run goes from empty to UNTIL seconds; requests that finished by then count
(archsim counts the same ones). `env.run()` is timed with `time.perf_counter` (and
`time.process_time`); building the model is not.

Prints one JSON object on stdout:
    {"customers": N, "wall_s": T, "cpu_s": U, "mean_sojourn_s": W, "seed": S}
Run by tests/benches/mm4_vs_simpy.rs; by hand, e.g.:
    python3 tests/benches/simpy_chain.py --rate 5000 --until 6 --stage api,2,24,4 --stage db,4,8,4
(each --stage is NAME,MEAN_WORK_MS,CONCURRENCY,REPLICAS, in calling order).
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


def run_once(rate, until, stages, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    pools = [
        [simpy.Resource(env, capacity=conc) for _ in range(replicas)]
        for (_, _, conc, replicas) in stages
    ]
    rates = [1000.0 / work_ms for (_, work_ms, _, _) in stages]
    turn = [0] * len(stages)
    stats = {"n": 0, "sum": 0.0}

    def visit(k):
        pool = pools[k]
        replica = pool[turn[k]]
        turn[k] = (turn[k] + 1) % len(pool)
        with replica.request() as req:
            yield req
            yield env.timeout(rng.expovariate(rates[k]))
            if k + 1 < len(stages):
                yield from visit(k + 1)  # the slot stays held during the call

    def request(env):
        sent = env.now
        yield from visit(0)
        stats["n"] += 1
        stats["sum"] += env.now - sent

    def source(env):
        while True:
            yield env.timeout(rng.expovariate(rate))
            env.process(request(env))

    env.process(source(env))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=until)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "customers": stats["n"],
        "wall_s": wall,
        "cpu_s": cpu,
        "mean_sojourn_s": stats["sum"] / max(stats["n"], 1),
        "seed": seed,
    }


def stage(text):
    name, work_ms, conc, replicas = text.split(",")
    return (name, float(work_ms), int(conc), int(replicas))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rate", type=float, default=5000.0, help="arrivals per second")
    p.add_argument("--until", type=float, default=6.0, help="simulated seconds")
    p.add_argument("--stage", type=stage, action="append", required=True)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    print(json.dumps(run_once(a.rate, a.until, a.stage, a.seed)), flush=True)


if __name__ == "__main__":
    main()
