"""apps/unsharp in Halide 14's Python API: the same algorithm and hand schedule as bench/apps/unsharp/app.ts."""

import math

import halide as hl

SIGMA = 1.5


def build(inputs, schedule):
    (inp,) = inputs
    x, y, c = hl.Var("x"), hl.Var("y"), hl.Var("c")
    kernel = hl.Func("kernel")
    kernel[x] = hl.exp(hl.f32(-x * x) / (2 * SIGMA * SIGMA)) / (math.sqrt(2 * math.pi) * SIGMA)
    bounded = hl.BoundaryConditions.repeat_edge(inp)
    gray = hl.Func("gray")
    gray[x, y] = 0.299 * bounded[x, y, 0] + 0.587 * bounded[x, y, 1] + 0.114 * bounded[x, y, 2]

    def gaussian7(f):
        e = kernel[0] * f(0)
        for i in range(1, 4):
            e = e + kernel[i] * (f(-i) + f(i))
        return e

    blur_y = hl.Func("blur_y")
    blur_y[x, y] = gaussian7(lambda i: gray[x, y + i])
    blur_x = hl.Func("blur_x")
    blur_x[x, y] = gaussian7(lambda i: blur_y[x + i, y])
    sharpen = hl.Func("sharpen")
    sharpen[x, y] = 2 * gray[x, y] - blur_x[x, y]
    ratio = hl.Func("ratio")
    ratio[x, y] = sharpen[x, y] / gray[x, y]
    output = hl.Func("unsharp")
    output[x, y, c] = ratio[x, y] * inp[x, y, c]
    if schedule == "root":
        for f in (kernel, gray, blur_y, blur_x, sharpen, ratio):
            f.compute_root()
        return output
    # apps/unsharp/unsharp_generator.cpp, CPU schedule.
    vec = hl.get_jit_target_from_environment().natural_vector_size(hl.Float(32))
    yo, yi = hl.Var("yo"), hl.Var("yi")
    output.split(y, yo, yi, 32).vectorize(x, vec).parallel(yo).reorder(x, c, yi, yo)
    for f in (gray, blur_y, ratio):
        f.compute_at(output, yi).store_at(output, yo).vectorize(x, vec)
    return output
