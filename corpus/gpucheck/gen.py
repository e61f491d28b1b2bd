#!/usr/bin/env python3
"""Generates the gpucheck cases: deterministic input files and the case list.

    gen.py OUTDIR      writes OUTDIR/in/<case>/*.bin, OUTDIR/cases.txt and OUTDIR/cases.json

cases.txt: one case a line, tab-separated: name, PTX file (relative to the repository root), kernel, grid,
block, shared bytes, then the arguments in `transcuda run` notation (input files as TYPE@PATH with PATH
relative to the repository root). cases.json: the same plus what compare.py needs (element type, segment
count and segment labels of every buffer argument).
Inputs mix edge values (signed zeros, infinities, NaNs with payloads, signalling NaNs, denormals, extremes,
halfway cases, integer limits) crossed pairwise with each other, and seeded random values.
"""
import json
import os
import sys

import numpy as np

SEED = 0x6C0C
PTX = "corpus/ptx/"

F32_EDGES = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FC12345, 0x7F800001,
             0xFFA00005, 0x00000001, 0x80000001, 0x007FFFFF, 0x00400000, 0x00800000, 0x80800000, 0x7F7FFFFF,
             0xFF7FFFFF, 0x3F800000, 0xBF800000, 0x3F000000, 0x40000000, 0x40400000, 0x3F800001, 0x3F7FFFFF,
             0x4B800001, 0x4F000000, 0xCF000000, 0x4F800000, 0x5F000000, 0x5F800000, 0x477FE000, 0x477FF000,
             0x3DCCCCCD, 0x40490FDB, 0x3EAAAAAB, 0x4B000001, 0x3F000001, 0x33800000, 0x0C000000, 0x73000000]
F64_EDGES = [0x0, 0x8000000000000000, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
             0xFFF8000000000000, 0x7FF8000000012345, 0x7FF0000000000001, 0xFFF4000000000005, 0x1,
             0x8000000000000001, 0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x7FEFFFFFFFFFFFFF, 0xFFEFFFFFFFFFFFFF,
             0x3FF0000000000000, 0xBFF0000000000000, 0x3FE0000000000000, 0x4000000000000000, 0x4008000000000000,
             0x3FF0000000000001, 0x3FEFFFFFFFFFFFFF, 0x4340000000000001, 0x41E0000000000000, 0xC1E0000000000000,
             0x41F0000000000000, 0x43E0000000000000, 0x43F0000000000000, 0x3FB999999999999A, 0x400921FB54442D18,
             0x47EFFFFFE0000000, 0x47EFFFFFF0000000, 0x36A0000000000000, 0x3FD5555555555555, 0x380FFFFFFFFFFFFF,
             0x3690000000000000, 0x4330000000000001, 0x3E70000000000000]
I32_EDGES = [0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF,
             0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFF80, 0xFFFF8000, 0x55555555, 0xAAAAAAAA,
             0x12345678, 0x00FFFF00, 0x01000000]
I64_EDGES = [0, 1, 2, 3, 63, 64, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000,
             0x8000000000000001, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFF00000000, 0x5555555555555555,
             0x123456789ABCDEF0, 0x00000000FFFFFFFF, 0x0000000080000000, 0xFFFFFFFF80000000, 0x10]
H16_EDGES = [0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0xFE00, 0x7E55, 0x7C01, 0x0001, 0x8001, 0x03FF, 0x0400,
             0x7BFF, 0xFBFF, 0x3C00, 0xBC00, 0x3800, 0x4000, 0x3C01, 0x3BFF, 0x6400, 0x0200, 0x5640, 0x3555]
BF16_EDGES = [0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0xFFC0, 0x7FC5, 0x7F81, 0x0001, 0x8001, 0x007F, 0x0080,
              0x7F7F, 0xFF7F, 0x3F80, 0xBF80, 0x3F00, 0x4000, 0x3F81, 0x3F7F, 0x4B00, 0x4040]

rng = np.random.default_rng(SEED)


def rand_f32(n):
    """A third random bit patterns, a third moderate values over many binades, a third near 1 (cancellation)."""
    bits = rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32)
    mod = (rng.uniform(-1, 1, n) * np.exp2(rng.integers(-30, 30, n))).astype(np.float32).view(np.uint32)
    near = (1 + rng.uniform(-1, 1, n) * 2.0 ** -10).astype(np.float32).view(np.uint32)
    pick = rng.integers(0, 3, n)
    return np.where(pick == 0, bits, np.where(pick == 1, mod, near)).astype(np.uint32)


def rand_f64(n):
    bits = rng.integers(0, 1 << 63, n, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, n, dtype=np.uint64)
    mod = (rng.uniform(-1, 1, n) * np.exp2(rng.integers(-60, 60, n))).view(np.uint64)
    near = (1 + rng.uniform(-1, 1, n) * 2.0 ** -20).view(np.uint64)
    pick = rng.integers(0, 3, n)
    return np.where(pick == 0, bits, np.where(pick == 1, mod, near)).astype(np.uint64)


def rand_bits(n, width):
    if width == 64:
        return rng.integers(0, 1 << 63, n, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, n, dtype=np.uint64)
    small = rng.integers(0, 64, n)  # small values and their negatives are half the random inputs
    v = rng.integers(0, 1 << width, n, dtype=np.uint64)
    sign = rng.integers(0, 2, n).astype(bool)
    sm = np.where(sign, (1 << width) - small, small).astype(np.uint64)
    return np.where(rng.integers(0, 2, n).astype(bool), v, sm).astype(np.uint64)


def edge_plus_random(edges, rand, extra):
    return np.concatenate([np.array(edges, dtype=np.uint64), rand(extra).astype(np.uint64)])


def pairs(edges, rand, extra):
    """All ordered pairs of edge values, then `extra` random pairs."""
    e = np.array(edges, dtype=np.uint64)
    a = np.repeat(e, len(e))
    b = np.tile(e, len(e))
    return np.concatenate([a, rand(extra).astype(np.uint64)]), np.concatenate([b, rand(extra).astype(np.uint64)])


def halfway_f32(n):
    """a + b where b is half an ulp of a (ties in add), and products landing near ties (random)."""
    a = (rng.uniform(1, 2, n) * np.exp2(rng.integers(-20, 20, n))).astype(np.float32)
    ulp = np.spacing(a).astype(np.float64)
    b = (ulp * rng.choice([0.5, -0.5, 0.25, 0.75, 1.5], n)).astype(np.float32)
    return a.view(np.uint32).astype(np.uint64), b.view(np.uint32).astype(np.uint64)


def halfway_f64(n):
    a = rng.uniform(1, 2, n) * np.exp2(rng.integers(-40, 40, n))
    b = np.spacing(a) * rng.choice([0.5, -0.5, 0.25, 0.75, 1.5], n)
    return a.view(np.uint64), b.view(np.uint64)


def f32_ab():
    a, b = pairs(F32_EDGES, rand_f32, 600)
    ha, hb = halfway_f32(200)
    return np.concatenate([a, ha]), np.concatenate([b, hb])


def f64_ab():
    a, b = pairs(F64_EDGES, rand_f64, 600)
    ha, hb = halfway_f64(200)
    return np.concatenate([a, ha]), np.concatenate([b, hb])


def fma_c(a, b, dt, ut):
    """c for fma cases: rotated b for edge pairs, -round(a*b) (exact cancellation) for a third of the rest."""
    n = len(a)
    c = np.roll(b, 11)
    av, bv = a.astype(ut).view(dt), b.astype(ut).view(dt)
    with np.errstate(all="ignore"):
        prod = (av * bv).astype(dt)
    sel = (np.arange(n) % 3 == 0) & np.isfinite(prod)
    c = np.where(sel, (-prod).view(ut).astype(np.uint64), c)
    return c


class Case:
    def __init__(self, name, ptx, kernel, n, block, args, shared=0, grid=None):
        self.name, self.ptx, self.kernel, self.n, self.block, self.args = name, ptx, kernel, n, block, args
        self.shared = shared
        self.grid = grid if grid is not None else (n + block - 1) // block


# argument builders: In(type, values), Out(type, segments[, labels]), N (the element count), Scalar(type, value)
def In(t, v):
    return ("in", t, v)


def Out(t, k, labels=None, count=None, stride=None):
    """k segments of n elements (out[k*n+i]); or `count` elements: per-element groups of `stride` values
    (out[stride*i+j]) when stride is given, else results not tied to one element (histograms, block sums)."""
    return ("out", t, k, labels, count, stride)


N = ("n",)


def Scalar(t, v):
    return ("scalar", t, v)


APPROX_PTX = ["rcp.approx", "rcp.approx.ftz", "rsqrt.approx", "sqrt.approx", "ex2.approx.ftz", "lg2.approx",
              "tanh.approx", "div.approx", "sin.approx.ftz", "rsqrtf", "ex2.approx", "div.full"]
APPROX_INTR = ["__sinf", "__cosf", "__expf", "__exp10f", "__log2f", "__logf", "__log10f", "__fdividef", "__powf",
               "__tanf"]
APPROX_F64 = ["rcp.approx.ftz.f64", "rsqrt.approx.f64", "rsqrt", "exact:__drcp_rn", "exact:sqrt"]
LIBM_F32 = ["sinf", "cosf", "expf", "logf", "powf", "tanhf", "atan2f", "erff", "cbrtf", "exp2f", "log1pf"]
LIBM_F64 = ["sin", "exp", "log", "pow", "atan"]


def approx_inputs_f32(nrand):
    """Edges, then values in the ranges the approximations are documented for, then wider ones."""
    e = np.array(F32_EDGES, dtype=np.uint64)
    small = rng.uniform(-2 * np.pi, 2 * np.pi, nrand).astype(np.float32)
    mid = rng.uniform(-100 * np.pi, 100 * np.pi, nrand // 2).astype(np.float32)
    wide = (rng.uniform(0.5, 2, nrand) * np.exp2(rng.integers(-40, 40, nrand))).astype(np.float32)
    pos = np.concatenate([small, mid, wide]).view(np.uint32).astype(np.uint64)
    a = np.concatenate([e, pos])
    b = np.roll(a, 7)
    return a, b


def approx_inputs_f64(nrand):
    e = np.array(F64_EDGES, dtype=np.uint64)
    small = rng.uniform(-2 * np.pi, 2 * np.pi, nrand)
    wide = rng.uniform(0.5, 2, nrand) * np.exp2(rng.integers(-200, 200, nrand).astype(np.float64))
    a = np.concatenate([e, np.concatenate([small, wide]).view(np.uint64)])
    return a, np.roll(a, 7)


def cases():
    out = []
    u32, u64 = "u32", "u64"

    # integers
    a, b = pairs(I32_EDGES, lambda n: rand_bits(n, 32), 800)
    c = np.roll(b, 5)
    n = len(a)
    out.append(Case("int_arith_u32", "arith_int", "int_arith_u32", n, 128,
                    [In(u32, a), In(u32, b), In(u32, c), Out(u32, 4), N]))
    out.append(Case("int_divrem_s32", "arith_int", "int_divrem_s32", n, 128,
                    [In("s32", a), In("s32", b), In("s32", c), Out("s32", 1), Out("s32", 1), N]))
    out.append(Case("int_divrem_u32", "arith_int", "int_divrem_u32", n, 128,
                    [In(u32, a), In(u32, b), In(u32, c), Out(u32, 1), Out(u32, 1), N]))
    out.append(Case("int_mul_wide_hi", "arith_int", "int_mul_wide_hi", n, 128,
                    [In("s32", a), In("s32", b), In(u32, c), Out("s64", 1), Out(u64, 1), Out("s32", 6), N]))
    a64, b64 = pairs(I64_EDGES, lambda n: rand_bits(n, 64), 800)
    c64 = np.roll(b64, 3)
    n64 = len(a64)
    out.append(Case("int_arith_64", "arith_int", "int_arith_64", n64, 128,
                    [In("s64", a64), In("s64", b64), In("s64", c64), Out("s64", 12), N]))
    out.append(Case("int_mul_64x64_128", "arith_int", "int_mul_64x64_128", n64, 128,
                    [In(u64, a64), In(u64, b64), Out(u32, 1, count=4 * n64, stride=4), N]))

    # f32
    fa, fb = f32_ab()
    fc = fma_c(fa, fb, np.float32, np.uint32)
    nf = len(fa)
    f32 = "f32"
    out.append(Case("f32_arith", "arith_float", "f32_arith", nf, 128,
                    [In(f32, fa), In(f32, fb), In(f32, fc),
                     Out(f32, 6, ["add", "sub", "mul", "div", "fma", "mul+add (contracted)"]), N]))
    out.append(Case("f32_minmax_abs_neg", "arith_float", "f32_minmax_abs_neg", nf, 128,
                    [In(f32, fa), In(f32, fb), Out(f32, 5, ["fminf", "fmaxf", "fabsf", "neg", "copysignf"]), N]))
    modes = ["rn", "rz", "rd", "ru"]
    out.append(Case("f32_add_mul_rounding", "arith_float", "f32_add_mul_rounding", nf, 64,
                    [In(f32, fa), In(f32, fb),
                     Out(f32, 12, [f"{op}.{m}" for op in ("add", "sub", "mul") for m in modes]), N]))
    out.append(Case("f32_fma_div_rounding", "arith_float", "f32_fma_div_rounding", nf, 64,
                    [In(f32, fa), In(f32, fb), In(f32, fc),
                     Out(f32, 8, [f"{op}.{m}" for op in ("fma", "div") for m in modes]), N]))
    out.append(Case("f32_sqrt_rcp_rounding", "arith_float", "f32_sqrt_rcp_rounding", nf, 64,
                    [In(f32, np.concatenate([fa[:len(F32_EDGES)], fa[len(F32_EDGES) ** 2:]])),
                     Out(f32, 8, [f"{op}.{m}" for op in ("sqrt", "rcp") for m in modes]), N],
                    ))
    out[-1].n = len(F32_EDGES) + nf - len(F32_EDGES) ** 2
    out[-1].grid = (out[-1].n + 63) // 64
    out.append(Case("f32_rem", "arith_float", "f32_rem", nf, 128,
                    [In(f32, fa), In(f32, fb), Out(f32, 2, ["fmodf", "remainderf"]), N]))
    out.append(Case("f32_ftz_sat", "arith_float", "f32_ftz_sat", nf, 128,
                    [In(f32, fa), In(f32, fb), In(f32, fc),
                     Out(f32, 6, ["add.rn.ftz", "mul.rn.sat", "fma.rn.ftz.sat", "sub.rz.ftz", "min.ftz.NaN",
                                  "max.NaN"]), N]))

    # f64
    da, db = f64_ab()
    dc = fma_c(da, db, np.float64, np.uint64)
    nd = len(da)
    f64 = "f64"
    out.append(Case("f64_arith", "arith_double", "f64_arith", nd, 128,
                    [In(f64, da), In(f64, db), In(f64, dc),
                     Out(f64, 7, ["add", "sub", "mul", "div", "fma", "mul+add (contracted)", "sqrt"]), N]))
    out.append(Case("f64_minmax_abs_neg", "arith_double", "f64_minmax_abs_neg", nd, 128,
                    [In(f64, da), In(f64, db), Out(f64, 5, ["fmin", "fmax", "fabs", "neg", "copysign"]), N]))
    out.append(Case("f64_add_mul_rounding", "arith_double", "f64_add_mul_rounding", nd, 64,
                    [In(f64, da), In(f64, db),
                     Out(f64, 12, [f"{op}.{m}" for op in ("add", "sub", "mul") for m in modes]), N]))
    out.append(Case("f64_fma_div_sqrt_rounding", "arith_double", "f64_fma_div_sqrt_rounding", nd, 64,
                    [In(f64, da), In(f64, db), In(f64, dc),
                     Out(f64, 16, [f"{op}.{m}" for op in ("fma", "div", "sqrt", "rcp") for m in modes]), N]))
    out.append(Case("f64_rem", "arith_double", "f64_rem", nd, 128,
                    [In(f64, da), In(f64, db), Out(f64, 2, ["fmod", "remainder"]), N]))

    # half / bfloat16 (16-bit patterns)
    ha, hb = pairs(H16_EDGES, lambda n: rand_bits(n, 16), 600)
    hc = np.roll(hb, 7)
    nh = len(ha)
    out.append(Case("f16_arith", "half", "f16_arith", nh, 128,
                    [In("u16", ha), In("u16", hb), In("u16", hc),
                     Out("u16", 9, ["add", "sub", "mul", "fma", "neg", "abs", "min", "max", "div"]), N]))
    out.append(Case("f16_compare", "half", "f16_compare", nh, 128,
                    [In("u16", ha), In("u16", hb), Out(u32, 1), N]))
    af = np.concatenate([edge_plus_random(F32_EDGES, rand_f32, 300),
                         (rng.uniform(-70000, 70000, 300)).astype(np.float32).view(np.uint32)])
    nc = len(af)
    ad = np.concatenate([edge_plus_random(F64_EDGES, rand_f64, nc - len(F64_EDGES) - 300),
                         rng.uniform(-70000, 70000, 300).view(np.uint64)])
    ah = edge_plus_random(H16_EDGES, lambda n: rand_bits(n, 16), nc - len(H16_EDGES))
    ai = edge_plus_random(I32_EDGES, lambda n: rand_bits(n, 32), nc - len(I32_EDGES))
    out.append(Case("f16_convert", "half", "f16_convert", nc, 128,
                    [In(f32, af), In(f64, ad), In("u16", ah), In("s32", ai),
                     Out("u16", 6, ["f32->f16.rn", "f32->f16.rz", "f32->f16.rd", "f32->f16.ru", "f64->f16.rn",
                                    "s32->f16.rn"]), Out(f32, 1, ["f16->f32"]),
                     Out("s32", 4, ["f16->s32.rni", "f16->s32.rzi", "f16->s32.rmi", "f16->s32.rpi"]), N]))
    ba, bb = pairs(BF16_EDGES, lambda n: rand_bits(n, 16), 600)
    bc = np.roll(bb, 5)
    nb = len(ba)
    bfa = edge_plus_random(F32_EDGES, rand_f32, nb - len(F32_EDGES))
    out.append(Case("bf16_arith", "half", "bf16_arith", nb, 128,
                    [In("u16", ba), In("u16", bb), In("u16", bc), In(f32, bfa),
                     Out("u16", 4, ["add", "mul", "fma", "max"]), Out(f32, 1, ["bf16->f32"]),
                     Out("u16", 2, ["f32->bf16.rn", "f32->bf16.rz"]), N]))

    # bits
    out.append(Case("bits_logic_shift", "bits", "bits_logic_shift", n, 128,
                    [In(u32, a), In(u32, b), In(u32, c), Out(u32, 9), N]))
    s = rand_bits(n64, 32)
    out.append(Case("bits_64", "bits", "bits_64", n64, 128,
                    [In(u64, a64), In(u64, b64), In(u32, s), Out(u64, 10), N]))
    out.append(Case("bits_funnel_rotate", "bits", "bits_funnel_rotate", n, 128,
                    [In(u32, a), In(u32, b), In(u32, c), Out(u32, 6), N]))
    p, l = rand_bits(n, 32), rand_bits(n, 32)
    out.append(Case("bits_field", "bits", "bits_field", n, 128,
                    [In(u32, a), In(u32, b), In(u32, p), In(u32, l), Out(u32, 5), N]))
    out.append(Case("bits_permute", "bits", "bits_permute", n, 128,
                    [In(u32, a), In(u32, b), In(u32, c), Out(u32, 5), N]))
    out.append(Case("bits_count", "bits", "bits_count", n, 128, [In(u32, a), Out(u32, 8), N]))

    # compares
    out.append(Case("cmp_f32", "compare", "cmp_f32", nf, 128, [In(f32, fa), In(f32, fb), Out(u32, 1), N]))
    out.append(Case("cmp_setp_all_f64", "compare", "cmp_setp_all_f64", nd, 128,
                    [In(f64, da), In(f64, db), Out(u32, 1), N]))
    out.append(Case("cmp_set_f32", "compare", "cmp_set_f32", nf, 128,
                    [In(f32, fa), In(f32, fb), Out(u32, 14), Out(f32, 2, ["set.lt.f32", "set.gtu.f32"]), N]))
    out.append(Case("cmp_setp_all_int", "compare", "cmp_setp_all_int", n, 128,
                    [In("s32", a), In("s32", b), Out(u32, 1), N]))

    # conversions
    cf = np.concatenate([fa, halfway_f32(200)[0]])
    ncf = len(cf)
    out.append(Case("cvt_f32_to_int", "convert", "cvt_f32_to_int", ncf, 128,
                    [In(f32, cf), Out("s32", 4, ["s32.rni", "s32.rzi", "s32.rmi", "s32.rpi"]),
                     Out(u32, 4, ["u32.rni", "u32.rzi", "u32.rmi", "u32.rpi"]),
                     Out("s64", 4, ["s64.rni", "s64.rzi", "s64.rmi", "s64.rpi"]),
                     Out(u64, 4, ["u64.rni", "u64.rzi", "u64.rmi", "u64.rpi"]), N]))
    out.append(Case("cvt_f64_to_int", "convert", "cvt_f64_to_int", nd, 128,
                    [In(f64, da), Out("s32", 4, ["s32.rni", "s32.rzi", "s32.rmi", "s32.rpi"]),
                     Out(u32, 4, ["u32.rni", "u32.rzi", "u32.rmi", "u32.rpi"]),
                     Out("s64", 4, ["s64.rni", "s64.rzi", "s64.rmi", "s64.rpi"]),
                     Out(u64, 4, ["u64.rni", "u64.rzi", "u64.rmi", "u64.rpi"]), N]))
    out.append(Case("cvt_int_to_f32", "convert", "cvt_int_to_f32", n64, 128,
                    [In("s32", a64 & np.uint64(0xFFFFFFFF)), In(u32, b64 & np.uint64(0xFFFFFFFF)), In("s64", a64),
                     In(u64, b64),
                     Out(f32, 16, [f"{src}.{m}" for src in ("s32", "u32", "s64", "u64") for m in modes]), N]))
    out.append(Case("cvt_f32_f64", "convert", "cvt_f32_f64", nd, 128,
                    [In(f64, da), In(f32, np.resize(fa, nd)), Out(f32, 4, [f"f64->f32.{m}" for m in modes]),
                     Out(f64, 1, ["f32->f64"]), N]))
    out.append(Case("cvt_round_integral", "convert", "cvt_round_integral", nd, 128,
                    [In(f32, np.resize(cf, nd)), In(f64, da),
                     Out(f32, 6, ["rintf", "truncf", "floorf", "ceilf", "saturatef", "roundf"]),
                     Out(f64, 6, ["rint", "trunc", "floor", "ceil", "saturate", "round"]), N]))
    out.append(Case("cvt_int_widths", "convert", "cvt_int_widths", n64, 128,
                    [In("s32", a64 & np.uint64(0xFFFFFFFF)), In("s64", b64), Out("s32", 9), Out("s64", 3), N]))
    out.append(Case("cvt_tf32", "convert", "cvt_tf32", ncf, 128, [In(f32, cf), Out(u32, 1, ["cvt.rna.tf32"]), N]))

    # approximations and precise forms
    xa, xb = approx_inputs_f32(400)
    nx = len(xa)
    out.append(Case("approx_intrinsics_f32", "math_approx", "approx_intrinsics_f32", nx, 128,
                    [In(f32, xa), In(f32, xb), Out(f32, 10, APPROX_INTR), N]))
    out.append(Case("approx_ptx_f32", "math_approx", "approx_ptx_f32", nx, 128,
                    [In(f32, xa), In(f32, xb), Out(f32, 12, APPROX_PTX), N]))
    ya, _ = approx_inputs_f64(300)
    out.append(Case("approx_f64", "math_approx", "approx_f64", len(ya), 128,
                    [In(f64, ya), Out(f64, 5, APPROX_F64), N]))
    out.append(Case("precise_f32", "math_approx", "precise_f32", nf, 128,
                    [In(f32, fa), In(f32, fb), Out(f32, 6, ["div.rn", "sqrt.rn", "rcp.rn", "__fdiv_rn", "a/3",
                                                             "sqrt(fma(a,a,b*b))"]), N]))
    out.append(Case("libm_f32", "math_approx", "libm_f32", nx, 128,
                    [In(f32, xa), In(f32, xb), Out(f32, 11, LIBM_F32), N]))
    yb = np.roll(ya, 7)
    out.append(Case("libm_f64", "math_approx", "libm_f64", len(ya), 128,
                    [In(f64, ya), In(f64, yb), Out(f64, 5, LIBM_F64), N]))

    # shared memory, atomics, warps (deterministic results only)
    small = rng.integers(-1000, 1000, 1000).astype(np.int64).astype(np.uint64) & np.uint64(0xFFFFFFFF)
    ns = len(small)
    out.append(Case("atom_shared_32", "atomics", "atom_shared_32", ns, 128,
                    [In("s32", small), Out(u32, 1, count=16), Out("s32", 12), Out("s32", 12), N]))
    fi = rng.integers(-64, 64, ns).astype(np.float32)
    di = (rng.integers(-64, 64, ns) * 0.25).astype(np.float64)
    out.append(Case("atom_float", "atomics", "atom_float", ns, 128,
                    [In(f32, fi.view(np.uint32).astype(np.uint64)), In(f64, di.view(np.uint64)),
                     Out(f32, 1, count=1), Out(f64, 1, count=1), Out(f32, 2), Out(f64, 1), Out(f32, 2),
                     Out(f64, 1), N]))
    out.append(Case("sync_block_sum", "sync", "sync_block_sum", ns, 256,
                    [In("s32", a[:ns]), Out("s32", 1, count=(ns + 255) // 256), N]))
    src = rand_bits(ns, 32)
    out.append(Case("warp_shfl_int", "warp", "warp_shfl_int", ns, 128,
                    [In("s32", a[:ns]), In("s32", src), Out("s32", 6), N]))
    out.append(Case("warp_reduce_scan", "warp", "warp_reduce_scan", ns, 128,
                    [In("s32", a[:ns]), Out("s32", 1, count=(ns + 31) // 32), Out("s32", 1), N]))
    out.append(Case("warp_vote", "warp", "warp_vote", ns, 128, [In("s32", small), Out(u32, 5), N]))
    out.append(Case("warp_redux", "warp", "warp_redux", ns, 128, [In("s32", a[:ns]), Out(u32, 8), N]))
    out.append(Case("dyn_shared_scan", "shared_dynamic", "dyn_shared_scan", ns, 128,
                    [In("s32", a[:ns]), Out("s32", 1), N], shared=2 * 128 * 4))
    return out


NP = {"u8": np.uint8, "u16": np.uint16, "u32": np.uint32, "u64": np.uint64, "s32": np.uint32, "s64": np.uint64,
      "f32": np.uint32, "f64": np.uint64}
SIZE = {"u8": 1, "u16": 2, "u32": 4, "s32": 4, "f32": 4, "u64": 8, "s64": 8, "f64": 8}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py OUTDIR")
    outdir = sys.argv[1].rstrip("/")
    lines, meta = [], []
    for c in cases():
        d = f"{outdir}/in/{c.name}"
        os.makedirs(d, exist_ok=True)
        args, margs = [], []
        for i, a in enumerate(c.args):
            if a[0] == "in":
                t, v = a[1], a[2]
                if len(v) != c.n:
                    raise SystemExit(f"{c.name}: input {i} has {len(v)} values, n = {c.n}")
                path = f"{d}/arg{i}.bin"
                v.astype(NP[t]).astype("<" + np.dtype(NP[t]).str[1:]).tofile(path)
                args.append(f"{t}@{path}")
                margs.append({"index": i, "role": "in", "type": t, "count": c.n, "file": path})
            elif a[0] == "out":
                t, k, labels, count, stride = a[1], a[2], a[3], a[4], a[5]
                cnt = count if count is not None else k * c.n
                args.append(f"{t}*{cnt}")
                margs.append({"index": i, "role": "out", "type": t, "count": cnt,
                              "segments": k if count is None else 1, "labels": labels,
                              "stride": 1 if count is None else stride})
            elif a[0] == "n":
                args.append(f"s32:{c.n}")
            else:
                args.append(f"{a[1]}:{a[2]}")
        lines.append("\t".join([c.name, PTX + c.ptx + ".ptx", c.kernel, str(c.grid), str(c.block), str(c.shared)]
                               + args))
        meta.append({"name": c.name, "ptx": PTX + c.ptx + ".ptx", "kernel": c.kernel, "n": c.n, "grid": c.grid,
                     "block": c.block, "shared": c.shared, "args": margs})
    with open(f"{outdir}/cases.txt", "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(f"{outdir}/cases.json", "w") as f:
        json.dump(meta, f, indent=1)
    print(f"gen.py: {len(lines)} cases in {outdir}/cases.txt")


if __name__ == "__main__":
    main()
