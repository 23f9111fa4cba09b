"""apps/stencil_chain in Halide 14's Python API (32 stencils): the same algorithm and hand schedule as
bench/apps/stencil_chain/app.ts."""

import halide as hl

STENCILS = 32
GROUP_SIZE = 11


def build(inputs, schedule):
    (inp,) = inputs
    x, y = hl.Var("x"), hl.Var("y")
    chain = [hl.BoundaryConditions.repeat_edge(inp)]
    for s in range(STENCILS):
        f = hl.Func(f"stage_{s}")
        e = hl.u16(0)
        for i in range(-2, 3):
            for j in range(-2, 3):
                e = e + ((i + 3) * (j + 3)) * chain[-1][x + i, y + j]
        f[x, y] = e
        chain.append(f)
    output = hl.Func("stencil_chain")
    output[x, y] = chain[-1][x, y]
    if schedule == "root":
        for f in chain[1:]:
            f.compute_root()
        return output
    # apps/stencil_chain/stencil_chain_generator.cpp, CPU schedule.
    vec = hl.get_jit_target_from_environment().natural_vector_size(hl.UInt(16))
    xo, yo, xi, yi, t = (hl.Var(n) for n in ("xo", "yo", "xi", "yi", "t"))
    w, h = inp.width(), inp.height()
    last = len(chain) - 1
    for j in range(last, 0, -GROUP_SIZE):
        out = output if j == last else chain[j]
        expansion = 4 * (last - j)
        out.compute_root().tile(x, y, xo, yo, xi, yi, (w + expansion) // 4, (h + expansion) // 4) \
            .fuse(xo, yo, t).parallel(t).vectorize(xi, vec)
        for i in range(max(0, j - GROUP_SIZE + 1), j):
            chain[i].store_at(out, t).compute_at(out, yi).vectorize(chain[i].args()[0], vec)
    return output
