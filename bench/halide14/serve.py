#!/usr/bin/env python3
"""Runs one app of the suite with Halide's own Python bindings (Halide 14, Debian's python3-halide), for
bench/harness.ts (`halide-ts bench --vs-halide`).

    python3 bench/halide14/serve.py DIR

DIR/manifest.json (written by the harness) names the app, its input files (raw little-endian elements, x fastest),
the output's type, mins and extents, the schedules wanted and the number of warm-up runs. The app's module,
bench/halide14/<app>.py, defines `build(inputs, schedule)` returning the output Func, for each schedule named in its
SCHEDULES (default: hand and root; others are skipped); `inputs` are Halide Buffers in Halide's axis order (dim 0
= x).

Every schedule is compiled with compile_jit() (timed), realized once into DIR/halide_<schedule>.bin (the
output's layout) for the harness to check, and warmed up. Then one JSON header line is printed, and each stdin
line "SCHEDULE RUNS" is answered with one JSON line of that many timings in ms, so that the harness can interleave
Halide's runs with its own (both see the same machine load). "quit" or end of input stops.
"""

import importlib.util
import json
import os
import sys
import time

import halide as hl

FORMATS = {"uint8": "B", "uint16": "H", "int32": "i", "float32": "f"}
TYPES = {"uint8": hl.UInt(8), "uint16": hl.UInt(16), "int32": hl.Int(32), "float32": hl.Float(32)}


def halide_buffer(raw, type_name, extents):
    """A Halide Buffer over `raw` (x fastest) with dim 0 = x, as Halide's C++ Buffer would be."""
    view = memoryview(raw).cast("B").cast(FORMATS[type_name], list(reversed(extents)))
    buf = hl.Buffer(view)  # Halide 14 keeps the memoryview's axis order: dim 0 = the slowest axis
    n = len(extents)
    for d in range(n // 2):
        buf.transpose(d, n - 1 - d)
    return buf


def load_app(name):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"halide14_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def time_runs(fn, runs):
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return samples


def main():
    work = sys.argv[1]
    with open(os.path.join(work, "manifest.json")) as f:
        manifest = json.load(f)
    app = load_app(manifest["app"])
    inputs = []
    for spec in manifest["inputs"]:
        with open(os.path.join(work, spec["file"]), "rb") as f:
            inputs.append(halide_buffer(bytearray(f.read()), spec["type"], spec["extents"]))
    out_spec = manifest["output"]
    target = hl.get_jit_target_from_environment()

    # One-time JIT set-up (Halide compiles its runtime module with the first pipeline), measured apart.
    t0 = time.perf_counter()
    warm, wx = hl.Func("jit_warmup"), hl.Var("x")
    warm[wx] = wx + 1
    warm.realize([8])
    jit_setup_ms = (time.perf_counter() - t0) * 1e3

    runners, compiled = {}, []
    for schedule in manifest["schedules"]:
        if schedule not in getattr(app, "SCHEDULES", ("hand", "root")):
            continue
        func = app.build(inputs, schedule)
        out_raw = bytearray(out_spec["bytes"])
        out_buf = halide_buffer(out_raw, out_spec["type"], out_spec["extents"])
        out_buf.set_min(out_spec["mins"])
        t0 = time.perf_counter()
        func.compile_jit(target)
        compile_ms = (time.perf_counter() - t0) * 1e3
        run = (lambda f, b: lambda: f.realize(b))(func, out_buf)
        run()
        with open(os.path.join(work, f"halide_{schedule}.bin"), "wb") as f:
            f.write(out_raw)
        for _ in range(manifest["warmup"]):
            run()
        runners[schedule] = run
        compiled.append({"schedule": schedule, "compile_ms": compile_ms})

    header = {
        "halide_version": getattr(hl, "__version__", "14 (Debian python3-halide)"),
        "target": str(target),
        "jit_setup_ms": jit_setup_ms,
        "compiled": compiled,
    }
    print(json.dumps(header), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        schedule, runs = parts[0], int(parts[1])
        print(json.dumps({"schedule": schedule, "samples_ms": time_runs(runners[schedule], runs)}), flush=True)


if __name__ == "__main__":
    main()
