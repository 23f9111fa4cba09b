"""apps/hist in Halide 14's Python API: the same algorithm as bench/apps/hist/app.ts and Halide's CPU schedule
(without update().unscheduled(), which Halide 14 does not have and which does not change the code)."""

import halide as hl


def build(inputs, schedule):
    (inp,) = inputs
    x, y, c = hl.Var("x"), hl.Var("y"), hl.Var("c")
    f32 = hl.f32
    Y = hl.Func("Y")
    Y[x, y] = f32(0.299) * inp[x, y, 0] + f32(0.587) * inp[x, y, 1] + f32(0.114) * inp[x, y, 2]
    Cr, Cb = hl.Func("Cr"), hl.Func("Cb")
    Cr[x, y] = (inp[x, y, 0] - Y[x, y]) * f32(0.713) + 128
    Cb[x, y] = (inp[x, y, 2] - Y[x, y]) * f32(0.564) + 128
    hist_rows = hl.Func("hist_rows")
    hist_rows[x, y] = 0
    rx = hl.RDom([hl.Range(0, inp.width())], "rx")
    hist_rows[hl.cast(hl.Int(32), hl.clamp(Y[rx.x, y], 0, 255)), y] += 1
    hist = hl.Func("hist")
    hist[x] = 0
    ry = hl.RDom([hl.Range(0, inp.height())], "ry")
    hist[x] += hist_rows[x, ry.x]
    cdf = hl.Func("cdf")
    cdf[x] = hist[0]
    b = hl.RDom([hl.Range(1, 255)], "b")
    cdf[b.x] = cdf[b.x - 1] + hist[b.x]
    cdf_bin = hl.Func("cdf_bin")
    cdf_bin[x, y] = hl.u8(hl.clamp(Y[x, y], 0, 255))
    eq = hl.Func("equalize")
    eq[x, y] = hl.clamp(cdf[cdf_bin[x, y]] * f32(255.0 / (inp.height() * inp.width())), 0, 255)
    red = hl.u8(hl.clamp(eq[x, y] + (Cr[x, y] - 128) * f32(1.4), 0, 255))
    green = hl.u8(hl.clamp(eq[x, y] - f32(0.343) * (Cb[x, y] - 128) - f32(0.711) * (Cr[x, y] - 128), 0, 255))
    blue = hl.u8(hl.clamp(eq[x, y] + f32(1.765) * (Cb[x, y] - 128), 0, 255))
    output = hl.Func("hist_equalize")
    output[x, y, c] = hl.mux(c, [red, green, blue])
    if schedule == "root":
        cdf.bound(x, 0, 256)
        for f in (Y, Cr, Cb, hist_rows, hist, cdf, cdf_bin, eq):
            f.compute_root()
        return output
    # apps/hist/hist_generator.cpp, CPU schedule.
    vec = hl.get_jit_target_from_environment().natural_vector_size(hl.Float(32))
    cdf.bound(x, 0, 256)
    Y.clone_in(hist_rows).compute_at(hist_rows.in_(), y).vectorize(x, vec)
    hist_rows.in_().compute_root().vectorize(x, vec).parallel(y, 4)
    hist_rows.compute_at(hist_rows.in_(), y).vectorize(x, vec).update(0).reorder(y, rx.x).unroll(y)
    hist.compute_root().vectorize(x, vec).update(0).reorder(x, ry.x).vectorize(x, vec).unroll(x, 4).parallel(x) \
        .reorder(ry.x, x)
    cdf.compute_root()
    output.reorder(c, x, y).bound(c, 0, 3).unroll(c).parallel(y, 8).vectorize(x, vec * 2)
    return output
