"""apps/interpolate in Halide 14's Python API (10 levels): the same algorithm as bench/apps/interpolate/app.ts and
Halide's CPU schedule without never_partition (which Halide 14 does not have; it only trims code size)."""

import halide as hl

LEVELS = 10


def build(inputs, schedule):
    (inp,) = inputs
    x, y, c = hl.Var("x"), hl.Var("y"), hl.Var("c")
    funcs = lambda name: [hl.Func(f"{name}_{l}") for l in range(LEVELS)]
    downsampled, downx, interpolated = funcs("downsampled"), funcs("downx"), funcs("interpolated")
    upsampled, upsampledx = funcs("upsampled"), funcs("upsampledx")
    clamped = hl.BoundaryConditions.repeat_edge(inp)
    downsampled[0][x, y, c] = hl.select(c < 3, clamped[x, y, c] * clamped[x, y, 3], clamped[x, y, 3])
    for l in range(1, LEVELS):
        prev = downsampled[l - 1]
        if l == 4:
            w, h = inp.width() // (1 << (l - 1)), inp.height() // (1 << (l - 1))
            clamped_prev = hl.Func(f"clamped_{l}")
            clamped_prev[x, y, c] = prev[hl.clamp(x, 0, w), hl.clamp(y, 0, h), c]
            prev = clamped_prev
        downx[l][x, y, c] = (prev[x * 2 - 1, y, c] + 2.0 * prev[x * 2, y, c] + prev[x * 2 + 1, y, c]) * 0.25
        downsampled[l][x, y, c] = (downx[l][x, y * 2 - 1, c] + 2.0 * downx[l][x, y * 2, c]
                                   + downx[l][x, y * 2 + 1, c]) * 0.25
    interpolated[LEVELS - 1][x, y, c] = downsampled[LEVELS - 1][x, y, c]
    for l in range(LEVELS - 2, -1, -1):
        nxt = interpolated[l + 1]
        upsampledx[l][x, y, c] = (nxt[x / 2, y, c] + nxt[(x + 1) / 2, y, c]) / 2.0
        upsampled[l][x, y, c] = (upsampledx[l][x, y / 2, c] + upsampledx[l][x, (y + 1) / 2, c]) / 2.0
        alpha = 1.0 - downsampled[l][x, y, 3]
        interpolated[l][x, y, c] = downsampled[l][x, y, c] + alpha * upsampled[l][x, y, c]
    normalize = hl.Func("normalize")
    normalize[x, y, c] = interpolated[0][x, y, c] / interpolated[0][x, y, 3]
    if schedule == "root":
        for f in downsampled + downx[1:] + interpolated + upsampled[:-1] + upsampledx[:-1]:
            f.compute_root()
        return normalize
    # apps/interpolate/interpolate_generator.cpp, CPU schedule.
    vec = hl.get_jit_target_from_environment().natural_vector_size(hl.Float(32))
    xo, xi, yo, yi = hl.Var("xo"), hl.Var("xi"), hl.Var("yo"), hl.Var("yi")
    for l in range(1, LEVELS - 1):
        downsampled[l].compute_root().reorder(x, c, y).split(y, yo, yi, 8).parallel(yo).vectorize(x, vec)
    downsampled[0].clone_in(downx[1]).store_at(downsampled[1], yo).compute_at(downsampled[1], yi) \
        .reorder(c, x, y).unroll(c).vectorize(x, vec)
    normalize.bound(x, 0, inp.width()).bound(y, 0, inp.height()).bound(c, 0, 3) \
        .split(x, xo, xi, vec).split(y, yo, yi, 32).reorder(xi, c, xo, yi, yo).unroll(c).vectorize(xi).parallel(yo)
    for l in range(1, LEVELS):
        interpolated[l].store_at(normalize, yo).compute_at(normalize, yi).vectorize(x, vec)
    return normalize
