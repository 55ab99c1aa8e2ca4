"""Python's multiprocessing on the same trivial child, one round per call:
prints one JSON line per start method with its cold start, median round trip
and stop, in milliseconds. A first, unmeasured round warms each method (and
starts the forkserver, so its starts are measured against a running server)."""
import json
import multiprocessing as mp
import statistics
import sys
import time


def child(conn):
    conn.send("ready")
    while True:
        message = conn.recv()
        if message == "stop":
            return
        conn.send(message)


def one(method, warm_trips, trips):
    ctx = mp.get_context(method)
    parent, kid = ctx.Pipe()
    t0 = time.perf_counter()
    process = ctx.Process(target=child, args=(kid,))
    process.start()
    parent.recv()
    cold = time.perf_counter() - t0
    for _ in range(warm_trips):
        parent.send("ping")
        parent.recv()
    samples = []
    for _ in range(trips):
        t = time.perf_counter()
        parent.send("ping")
        parent.recv()
        samples.append(time.perf_counter() - t)
    t1 = time.perf_counter()
    parent.send("stop")
    process.join()
    stop = time.perf_counter() - t1
    return {"cold": cold * 1000, "rtt": statistics.median(samples) * 1000, "stop": stop * 1000}


if __name__ == "__main__":
    warm_trips, trips = int(sys.argv[1]), int(sys.argv[2])
    methods = ["spawn", "forkserver", "fork"]
    for method in methods:
        one(method, 10, 10)
    for method in methods:
        print(json.dumps({"method": method, **one(method, warm_trips, trips)}), flush=True)
