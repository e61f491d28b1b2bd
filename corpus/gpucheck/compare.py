#!/usr/bin/env python3
"""Step 3 (here): compares two sets of dumps of the gpucheck cases, element-typed, and prints a markdown table.

    compare.py [--cases work/dev/cases.json] [--only REGEX] [--first K] CPU_DIR GPU_DIR|gpu.tar.gz

CPU_DIR/<case>/argN.bin and GPU_DIR/<case>/argN.bin are the buffers after the launch. Exact operations must be
equal bit for bit (a difference between two NaNs is counted apart, as "NaN bits", but still a difference).
Segments of `.approx` instructions, fast intrinsics and libdevice functions are also measured against a reference
computed here (float64 for f32 results, long double for f64): max error in ulp of the result type, and max absolute
error, for each side, next to the bound the PTX ISA / CUDA math API documents (the bounds the corpus tests use,
frontend-ptx/src/test/java/org/transcuda/corpus/MathApproxCases.java). Exit status: 0 when every exact segment is
equal and every measured approximation is within its bound on both sides, 1 otherwise, 2 on usage errors.
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np

VIEW = {"u8": np.uint8, "u16": np.uint16, "u32": np.uint32, "s32": np.int32, "u64": np.uint64, "s64": np.int64,
        "f32": np.float32, "f64": np.float64}
BITS = {"u8": np.uint8, "u16": np.uint16, "u32": np.uint32, "s32": np.uint32, "u64": np.uint64, "s64": np.uint64,
        "f32": np.uint32, "f64": np.uint64}


def p2(e):
    return 2.0 ** e


def sin_bound(x):
    ax = np.abs(x)
    return np.where(ax <= 2 * np.pi, p2(-20.5), np.where(ax <= 100 * np.pi, p2(-14.7), np.inf))


def lg2_bound(x, ref):
    return np.where((x > 0.5) & (x < 2), p2(-22), p2(-22) * np.abs(ref))


# label -> (reference(x, y), bound kind, bound); kinds: ulp (n ulp), rel (relative), abs (absolute, may be an
# array function of x), lg2 (lg2.approx's mixed bound), none (measured only)
F = np.float64
APPROX = {
    "rcp.approx": (lambda x, y: 1 / x, "ulp", 1), "rcp.approx.ftz": (lambda x, y: 1 / x, "ulp", 1),
    "rsqrt.approx": (lambda x, y: 1 / np.sqrt(x), "rel", p2(-22.9)),
    "rsqrtf": (lambda x, y: 1 / np.sqrt(x), "rel", p2(-22.9)),
    "sqrt.approx": (lambda x, y: np.sqrt(x), "rel", p2(-23)),
    "ex2.approx.ftz": (lambda x, y: np.exp2(x), "ulp", 2), "ex2.approx": (lambda x, y: np.exp2(x), "ulp", 2),
    "lg2.approx": (lambda x, y: np.log2(x), "lg2", None),
    "tanh.approx": (lambda x, y: np.tanh(x), "rel", p2(-11)),
    "div.approx": (lambda x, y: x / y, "ulp", 2), "div.full": (lambda x, y: x / y, "ulp", 2),
    "sin.approx.ftz": (lambda x, y: np.sin(x), "abs", sin_bound),
    "__sinf": (lambda x, y: np.sin(x), "abs", sin_bound), "__cosf": (lambda x, y: np.cos(x), "abs", sin_bound),
    "__expf": (lambda x, y: np.exp(x), "none", None), "__exp10f": (lambda x, y: np.power(10.0, x), "none", None),
    "__log2f": (lambda x, y: np.log2(x), "lg2", None), "__logf": (lambda x, y: np.log(x), "none", None),
    "__log10f": (lambda x, y: np.log10(x), "none", None), "__fdividef": (lambda x, y: x / y, "ulp", 2),
    "__powf": (lambda x, y: np.power(x, y), "none", None), "__tanf": (lambda x, y: np.tan(x), "none", None),
    "rcp.approx.ftz.f64": (lambda x, y: 1 / x, "rel", p2(-17)),
    "rsqrt.approx.f64": (lambda x, y: 1 / np.sqrt(x), "rel", p2(-17)),
    "rsqrt": (lambda x, y: 1 / np.sqrt(x), "ulp", 1),
    # libdevice, CUDA math API maximum ulp errors
    "sinf": (lambda x, y: np.sin(x), "ulp", 2), "cosf": (lambda x, y: np.cos(x), "ulp", 2),
    "expf": (lambda x, y: np.exp(x), "ulp", 2), "logf": (lambda x, y: np.log(x), "ulp", 1),
    "powf": (lambda x, y: np.power(x, y), "ulp", 4), "tanhf": (lambda x, y: np.tanh(x), "ulp", 2),
    "atan2f": (lambda x, y: np.arctan2(x, y), "ulp", 3),
    "erff": (lambda x, y: np.vectorize(math.erf, otypes=[F])(x.astype(F)).astype(x.dtype), "ulp", 2),
    "cbrtf": (lambda x, y: np.cbrt(x), "ulp", 1), "exp2f": (lambda x, y: np.exp2(x), "ulp", 2),
    "log1pf": (lambda x, y: np.log1p(x), "ulp", 1),
    "sin": (lambda x, y: np.sin(x), "ulp", 2), "exp": (lambda x, y: np.exp(x), "ulp", 1),
    "log": (lambda x, y: np.log(x), "ulp", 1), "pow": (lambda x, y: np.power(x, y), "ulp", 2),
    "atan": (lambda x, y: np.arctan(x), "ulp", 2),
}


def fmt(t, v):
    if t in ("f32", "f64"):
        bits = np.array([v], dtype=VIEW[t]).view(BITS[t])[0]
        w = 8 if t == "f32" else 16
        return f"{float(v)!r} (0x{int(bits):0{w}x})"
    if t == "u16":
        return f"0x{int(v):04x}"
    return str(int(v)) if t.startswith("s") else f"{int(v)} (0x{int(v):x})"


def load(path, t):
    return np.fromfile(path, dtype=np.dtype(VIEW[t]).newbyteorder("<"))


def measure(label, x, y, values, t):
    """Max ulp and absolute error of `values` against the reference, and whether it is within the bound."""
    ref_fn, kind, bound = APPROX[label]
    wide = np.float64 if t == "f32" else np.longdouble
    with np.errstate(all="ignore"):
        ref = ref_fn(x.astype(wide), None if y is None else y.astype(wide)).astype(wide)
        v = values.astype(wide)
        rt = ref.astype(VIEW[t])
        ulp = np.spacing(np.abs(rt).astype(VIEW[t])).astype(wide)
        err = np.abs(v - ref)
        same_special = (np.isnan(ref) & np.isnan(v)) | (np.isinf(ref) & (v == ref))
        finite = np.isfinite(ref) & np.isfinite(rt) & ~same_special
        bad_special = ~finite & ~same_special & ~(np.isfinite(ref) & ~np.isfinite(rt))
        e_ulp = np.where(finite, err / ulp, 0)
        e_abs = np.where(finite, err, 0)
        if kind == "ulp":
            ok = e_ulp <= bound + 0.5
        elif kind == "rel":
            ok = err <= bound * np.abs(ref) + 0.5 * ulp
        elif kind == "abs":
            ok = err <= bound(x.astype(np.float64)) + 0.5 * ulp
        elif kind == "lg2":
            ok = err <= lg2_bound(x.astype(np.float64), ref.astype(np.float64)) + 0.5 * ulp
        else:
            ok = np.ones_like(finite)
        # inputs the hardware flushes (denormals) or where the reference overflows are not judged
        tiny = 1.1754943508222875e-38 if t == "f32" else 2.2250738585072014e-308
        judged = finite & (np.abs(x.astype(np.float64)) >= tiny)
        if "ftz" in label:  # .ftz flushes denormal results to zero
            judged &= np.abs(ref) >= tiny
        out_of_bound = int(np.count_nonzero(judged & ~ok)) + int(np.count_nonzero(bad_special & judged))
    mu = float(np.max(e_ulp[judged])) if np.any(judged) else 0.0
    ma = float(np.max(e_abs[judged])) if np.any(judged) else 0.0
    return mu, ma, out_of_bound, kind, bound


def bound_text(kind, bound):
    if kind == "ulp":
        return f"{bound} ulp"
    if kind == "rel":
        return f"rel 2^{math.log2(bound):.1f}"
    if kind == "abs":
        return "abs 2^-20.5 (|x|<=2pi), 2^-14.7 (<=100pi)"
    if kind == "lg2":
        return "abs 2^-22 in (0.5,2), else rel 2^-22"
    return "not documented (measured)"


def unpack(path):
    """A device.sh archive (gpu.tar.gz) is unpacked into a temporary folder; its gpu/ folder holds the dumps."""
    if not path.endswith((".tar.gz", ".tgz")):
        return path
    import tarfile
    import tempfile
    d = tempfile.mkdtemp(prefix="gpucheck-")
    with tarfile.open(path) as t:
        try:
            t.extractall(d, filter="data")
        except TypeError:  # Python without extraction filters
            t.extractall(d)
    return os.path.join(d, "gpu") if os.path.isdir(os.path.join(d, "gpu")) else d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "work/dev/cases.json"))
    ap.add_argument("--only", help="compare only the cases whose names match this regular expression")
    ap.add_argument("--first", type=int, default=3, help="differing elements listed per segment")
    ap.add_argument("cpu")
    ap.add_argument("gpu")
    o = ap.parse_args()
    cases = json.load(open(o.cases))
    o.cpu, o.gpu = unpack(o.cpu), unpack(o.gpu)
    rows, details, failures = [], [], 0
    nexact = nequal = 0
    for c in cases:
        if o.only and not re.search(o.only, c["name"]):
            continue
        n = c["n"]
        ins = [a for a in c["args"] if a["role"] == "in"]
        inputs = {a["index"]: load(a["file"], a["type"]) for a in ins}
        for a in c["args"]:
            if a["role"] != "out":
                continue
            t, i = a["type"], a["index"]
            pc, pg = f"{o.cpu}/{c['name']}/arg{i}.bin", f"{o.gpu}/{c['name']}/arg{i}.bin"
            missing = [p for p in (pc, pg) if not os.path.exists(p)]
            if missing:
                rows.append(f"| {c['name']} | arg{i} | - | - | **missing** {', '.join(missing)} | |")
                failures += 1
                continue
            vc, vg = load(pc, t), load(pg, t)
            if len(vc) != len(vg) or len(vc) != a["count"]:
                rows.append(f"| {c['name']} | arg{i} | - | - | **size** cpu {len(vc)} gpu {len(vg)} "
                            f"expected {a['count']} | |")
                failures += 1
                continue
            bc, bg = vc.view(BITS[t]), vg.view(BITS[t])
            segs = a["segments"]
            seglen = len(vc) // segs
            labels = a.get("labels") or [f"[{k}]" for k in range(segs)]
            for k in range(segs):
                lab = labels[k] if segs > 1 or a.get("labels") else "all"
                sl = slice(k * seglen, (k + 1) * seglen)
                diff = np.nonzero(bc[sl] != bg[sl])[0]
                nan_only = 0
                if t in ("f32", "f64") and len(diff):
                    nan_only = int(np.count_nonzero(np.isnan(vc[sl][diff]) & np.isnan(vg[sl][diff])))
                cls = "exact"
                note = ""
                if lab.startswith("exact:"):
                    lab = lab[6:]
                elif lab in APPROX:
                    cls = "approx"
                    xin = [inputs[j] for j in sorted(inputs)]
                    x = xin[0][:seglen] if seglen <= n else None
                    y = xin[1][:seglen] if len(xin) > 1 else None
                    if x is not None:
                        mc, ac, oc, kind, bound = measure(lab, x, y, vc[sl], t)
                        mg, ag, og, _, _ = measure(lab, x, y, vg[sl], t)
                        note = (f"max err ulp cpu {mc:.3g} gpu {mg:.3g}; abs cpu {ac:.3g} gpu {ag:.3g}; "
                                f"bound {bound_text(kind, bound)}; beyond bound cpu {oc} gpu {og}")
                        if oc or og:
                            failures += 1
                if cls == "exact":
                    nexact += 1
                    if len(diff) == 0:
                        nequal += 1
                    else:
                        failures += 1
                status = "equal" if len(diff) == 0 else (
                    f"**{len(diff)} differ**" + (f" ({nan_only} NaN bits only)" if nan_only else ""))
                rows.append(f"| {c['name']} | arg{i} {lab} | {cls} | {seglen} | {status} | {note} |")
                if len(diff):
                    lines = []
                    stride = a.get("stride")
                    for d in diff[:o.first]:
                        elem = int(d) + k * seglen
                        e = int(d) // stride if stride else None
                        inp = "not tied to one element" if e is None else ", ".join(
                            f"arg{a2['index']}={fmt(a2['type'], inputs[a2['index']][e])}" for a2 in ins)
                        lines.append(f"  - element {elem} (i={e}): cpu {fmt(t, vc[elem])}, gpu {fmt(t, vg[elem])}; "
                                     f"inputs {inp}")
                        if e is None:
                            lines[-1] = lines[-1].replace(" (i=None)", "")
                    details.append(f"- {c['name']} arg{i} {lab} ({cls}):\n" + "\n".join(lines))
    print("| case | output | class | elements | cpu vs gpu | approximation error |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(f"{nequal} of {nexact} exact segments equal bit for bit; {failures} problem(s).")
    if details:
        print("\n## First differing elements\n")
        print("\n".join(details))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
