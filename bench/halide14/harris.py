"""apps/harris in Halide 14's Python API: the same algorithm as bench/apps/harris/app.ts, Halide's hand schedule
(with Ix.compute_with(Iy, x), which halide-ts does not have yet; "hand_no_compute_with" leaves it out)."""

import halide as hl

SCHEDULES = ("hand", "root", "hand_no_compute_with")


def sum3x3(f, x, y):
    return (
        f[x - 1, y - 1] + f[x - 1, y] + f[x - 1, y + 1] + f[x, y - 1] + f[x, y] + f[x, y + 1]
        + f[x + 1, y - 1] + f[x + 1, y] + f[x + 1, y + 1])


def build(inputs, schedule):
    (inp,) = inputs
    x, y = hl.Var("x"), hl.Var("y")
    gray, Iy, Ix = hl.Func("gray"), hl.Func("Iy"), hl.Func("Ix")
    Ixx, Iyy, Ixy = hl.Func("Ixx"), hl.Func("Iyy"), hl.Func("Ixy")
    Sxx, Syy, Sxy = hl.Func("Sxx"), hl.Func("Syy"), hl.Func("Sxy")
    det, trace, output = hl.Func("det"), hl.Func("trace"), hl.Func("harris")
    gray[x, y] = 0.299 * inp[x, y, 0] + 0.587 * inp[x, y, 1] + 0.114 * inp[x, y, 2]
    Iy[x, y] = (gray[x - 1, y - 1] * hl.f32(-1.0 / 12) + gray[x - 1, y + 1] * hl.f32(1.0 / 12)
                + gray[x, y - 1] * hl.f32(-2.0 / 12) + gray[x, y + 1] * hl.f32(2.0 / 12)
                + gray[x + 1, y - 1] * hl.f32(-1.0 / 12) + gray[x + 1, y + 1] * hl.f32(1.0 / 12))
    Ix[x, y] = (gray[x - 1, y - 1] * hl.f32(-1.0 / 12) + gray[x + 1, y - 1] * hl.f32(1.0 / 12)
                + gray[x - 1, y] * hl.f32(-2.0 / 12) + gray[x + 1, y] * hl.f32(2.0 / 12)
                + gray[x - 1, y + 1] * hl.f32(-1.0 / 12) + gray[x + 1, y + 1] * hl.f32(1.0 / 12))
    Ixx[x, y] = Ix[x, y] * Ix[x, y]
    Iyy[x, y] = Iy[x, y] * Iy[x, y]
    Ixy[x, y] = Ix[x, y] * Iy[x, y]
    Sxx[x, y] = sum3x3(Ixx, x, y)
    Syy[x, y] = sum3x3(Iyy, x, y)
    Sxy[x, y] = sum3x3(Ixy, x, y)
    det[x, y] = Sxx[x, y] * Syy[x, y] - Sxy[x, y] * Sxy[x, y]
    trace[x, y] = Sxx[x, y] + Syy[x, y]
    output[x, y] = det[x, y] - hl.f32(0.04) * trace[x, y] * trace[x, y]
    if schedule == "root":
        for f in (gray, Iy, Ix, Ixx, Iyy, Ixy, Sxx, Syy, Sxy, det, trace):
            f.compute_root()
        return output
    # apps/harris/harris_generator.cpp, CPU schedule.
    vec = hl.get_jit_target_from_environment().natural_vector_size(hl.Float(32))
    yi = hl.Var("yi")
    output.split(y, y, yi, 32).parallel(y).vectorize(x, vec)
    for f in (gray, Ix, Iy):
        f.store_at(output, y).compute_at(output, yi).vectorize(x, vec)
    if schedule == "hand":
        Ix.compute_with(hl.LoopLevel(Iy, x, 0))
    return output
