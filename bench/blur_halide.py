#!/usr/bin/env python3
"""The 3x3 uint16 box blur of Halide's apps/blur, built and timed with Halide's own Python bindings.

This is the reference side of bench/blur.ts: the same algorithm, the same schedules and the same timing
method (warm-up, then N timed runs; minimum and median), so the two can be compared in one table. Written for
Halide 14's Python API (Debian's `python3-halide`); it only uses calls that later versions keep.

    python3 bench/blur_halide.py --input in.u16 --width 1536 --height 2560 --runs 30 --out-dir DIR [--dump DIR]
    python3 bench/blur_halide.py --input in.u16 ... --out-dir DIR --serve     (what bench/blur.ts uses)

The input file holds width*height little-endian uint16 values, row by row (x fastest). Every schedule is
compiled (timed), realized once into DIR/halide_<schedule>.u16 (same layout, (width-2)x(height-2)) so the caller
can check it against its reference, then warmed up. Without --serve each schedule is timed --runs times and one
JSON object goes to stdout. With --serve a JSON header line is printed and then each stdin line
"SCHEDULE RUNS" is answered with one JSON line of that many timings, so the caller can interleave Halide's runs
with its own (both then see the same machine load). With --dump, the lowered statement, the LLVM IR and the
assembly of the apps/blur schedule are written to that directory.
"""

import argparse
import json
import statistics
import sys
import time

import halide as hl

SCHEDULES = ("apps_blur", "strip", "inline", "root")


def build(schedule):
    """Returns (input ImageParam, output Func) with `schedule` applied."""
    inp = hl.ImageParam(hl.UInt(16), 2, "input")
    x, y, yi = hl.Var("x"), hl.Var("y"), hl.Var("yi")
    blur_x, blur_y = hl.Func("blur_x"), hl.Func("blur_y")
    # The algorithm, exactly as apps/blur/halide_blur_generator.cpp writes it (no boundary condition: the
    # output is 2 pixels smaller than the input in each dimension).
    blur_x[x, y] = (inp[x, y] + inp[x + 1, y] + inp[x + 2, y]) / 3
    blur_y[x, y] = (blur_x[x, y] + blur_x[x, y + 1] + blur_x[x, y + 2]) / 3
    if schedule == "apps_blur":
        # apps/blur's CPU schedule: blur_x computed per output vector, stored per strip of 32 rows, so
        # Halide's sliding-window pass reuses the rows already computed (and folds the storage).
        blur_y.split(y, y, yi, 32).parallel(y).vectorize(x, 16)
        blur_x.store_at(blur_y, y).compute_at(blur_y, x).vectorize(x, 16)
    elif schedule == "strip":
        # The same strips, blur_x computed once per strip (34 rows for 32 output rows): no sliding window needed.
        blur_y.split(y, y, yi, 32).parallel(y).vectorize(x, 16)
        blur_x.compute_at(blur_y, y).vectorize(x, 16)
    elif schedule == "root":
        blur_x.compute_root()
    elif schedule != "inline":
        raise ValueError(f"unknown schedule {schedule}")
    return inp, blur_y


def planar_buffer(raw, width, height):
    """A Halide Buffer over `raw` (uint16, x fastest) with dimension 0 = x, as Halide's C++ Buffer would be."""
    view = memoryview(raw).cast("B").cast("H", [height, width])
    buf = hl.Buffer(view)  # Halide 14 keeps numpy/memoryview axis order: dim 0 = rows
    buf.transpose(0, 1)  # now dim 0 = x (stride 1), dim 1 = y
    return buf


def time_runs(fn, runs):
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return samples


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--width", type=int, default=1536)
    ap.add_argument("--height", type=int, default=2560)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--dump", default="")
    ap.add_argument("--schedules", default=",".join(SCHEDULES))
    ap.add_argument("--serve", action="store_true",
                    help="after compiling, answer stdin lines 'SCHEDULE RUNS' with one JSON line of samples each")
    a = ap.parse_args()

    w, h = a.width, a.height
    with open(a.input, "rb") as f:
        in_raw = bytearray(f.read())
    if len(in_raw) != w * h * 2:
        sys.exit(f"input file has {len(in_raw)} bytes, expected {w * h * 2}")
    in_buf = planar_buffer(in_raw, w, h)
    target = hl.get_jit_target_from_environment()

    # One-time JIT set-up (the Halide runtime module is compiled with the first pipeline), measured apart.
    t0 = time.perf_counter()
    warm, wx = hl.Func("jit_warmup"), hl.Var("x")
    warm[wx] = wx + 1
    warm.realize([8])
    jit_setup_ms = (time.perf_counter() - t0) * 1e3

    runners, compiled = {}, []
    for schedule in a.schedules.split(","):
        inp, blur_y = build(schedule)
        inp.set(in_buf)
        out_raw = bytearray((w - 2) * (h - 2) * 2)
        out_buf = planar_buffer(out_raw, w - 2, h - 2)
        t0 = time.perf_counter()
        blur_y.compile_jit(target)
        compile_ms = (time.perf_counter() - t0) * 1e3
        run = (lambda f, b: lambda: f.realize(b))(blur_y, out_buf)
        run()
        with open(f"{a.out_dir}/halide_{schedule}.u16", "wb") as f:
            f.write(out_raw)
        for _ in range(a.warmup):
            run()
        runners[schedule] = run
        compiled.append({"schedule": schedule, "compile_ms": compile_ms})
        if a.dump and schedule == "apps_blur":
            aot = target.without_feature(hl.TargetFeature.JIT)
            args = [inp]
            blur_y.compile_to_lowered_stmt(f"{a.dump}/halide_blur.stmt", args, hl.StmtOutputFormat.Text, aot)
            blur_y.compile_to_llvm_assembly(f"{a.dump}/halide_blur.ll", args, "halide_blur", aot)
            blur_y.compile_to_assembly(f"{a.dump}/halide_blur.s", args, "halide_blur", aot)

    header = {
        "halide_version": getattr(hl, "__version__", "14 (Debian python3-halide)"),
        "target": str(target),
        "threads": "HL_NUM_THREADS or the number of cores",
        "jit_setup_ms": jit_setup_ms,
        "compiled": compiled,
    }
    if not a.serve:
        results = []
        for c in compiled:
            samples = time_runs(runners[c["schedule"]], a.runs)
            results.append({**c, "min_ms": min(samples), "median_ms": statistics.median(samples), "samples_ms": samples})
        print(json.dumps({**header, "results": results}))
        return
    print(json.dumps(header), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        schedule, runs = parts[0], int(parts[1])
        print(json.dumps({"schedule": schedule, "samples_ms": time_runs(runners[schedule], runs)}), flush=True)


if __name__ == "__main__":
    main()
