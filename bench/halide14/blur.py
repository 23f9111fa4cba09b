"""apps/blur in Halide 14's Python API: the same algorithm and schedules as bench/apps/blur/app.ts."""

import halide as hl

SCHEDULES = ("hand", "strip", "inline", "root")


def build(inputs, schedule):
    (inp,) = inputs
    x, y, yi = hl.Var("x"), hl.Var("y"), hl.Var("yi")
    blur_x, blur_y = hl.Func("blur_x"), hl.Func("blur_y")
    blur_x[x, y] = (inp[x, y] + inp[x + 1, y] + inp[x + 2, y]) / 3
    blur_y[x, y] = (blur_x[x, y] + blur_x[x, y + 1] + blur_x[x, y + 2]) / 3
    if schedule == "hand":
        # apps/blur/halide_blur_generator.cpp, CPU schedule.
        blur_y.split(y, y, yi, 32).parallel(y).vectorize(x, 16)
        blur_x.store_at(blur_y, y).compute_at(blur_y, x).vectorize(x, 16)
    elif schedule == "strip":
        blur_y.split(y, y, yi, 32).parallel(y).vectorize(x, 16)
        blur_x.compute_at(blur_y, y).vectorize(x, 16)
    elif schedule == "root":
        blur_x.compute_root()
    return blur_y
