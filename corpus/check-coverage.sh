#!/usr/bin/env bash
# Checks that the generated PTX of the corpus (ptx/*.ptx, see regen.sh) contains every
# required PTX feature, prints the missing ones and exits 1 if any is missing.
# Also checks that the PTX has no path-dependent symbols (_INTERNAL_<hash>), that there
# are at least 60 kernels, that kernels.tsv and the .entry kernels agree, and, when
# ptxas is available, that every file assembles for sm_80.
#
# Usage: check-coverage.sh [PTX_DIR]   (default: the ptx/ folder next to this script)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:-$here/ptx}"
shopt -s nullglob
files=("$dir"/*.ptx)
if (( ${#files[@]} == 0 )); then
    echo "check-coverage.sh: no PTX in $dir (run regen.sh first)" >&2
    exit 1
fi

# Instructions only: PTX with comment lines removed, one statement per line.
code="$(mktemp)"
trap 'rm -f "$code"' EXIT
grep -hv '^[[:space:]]*//' "${files[@]}" | tr ';' '\n' >"$code"

# label <TAB> extended regex
patterns=$(cat <<'PAT'
int add/sub/mul	^\s*(add|sub|mul\.lo)\.s32\b
int mad	\bmad\.lo\.(s|u)32\b
int mad (64)	\b(mad|mul)\.lo\.s64\b
int div s32	\bdiv\.s32\b
int div u32	\bdiv\.u32\b
int div s64/u64	\bdiv\.(s|u)64\b
int rem s32	\brem\.s32\b
int rem u32	\brem\.u32\b
int rem 64	\brem\.(s|u)64\b
int min	\bmin\.(s|u)32\b
int max	\bmax\.(s|u)32\b
int abs	\babs\.s32\b
int neg	\bneg\.s32\b
mul.wide.s32	\bmul\.wide\.s32\b
mul.wide.u32	\bmul\.wide\.u32\b
mul.hi 32	\bmul\.hi\.(s|u)32\b
mul.hi 64	\bmul\.hi\.(s|u)64\b
sad	\bsad\.(s|u)32\b
add.cc	\badd\.cc\.(u|s)32\b
addc	\baddc(\.cc)?\.(u|s)32\b
sub.cc	\bsub\.cc\.(u|s)32\b
subc	\bsubc(\.cc)?\.(u|s)32\b
mad.lo.cc/madc	\bmadc\.hi(\.cc)?\.u32\b
f32 add/sub/mul	\b(add|sub|mul)\.f32\b
f32 fma	\bfma\.rn\.f32\b
f32 min/max	\b(min|max)\.f32\b
f32 abs/neg	\b(abs|neg)\.f32\b
f32 rounding modes add	\badd\.(rz|rm|rp)\.f32\b
f32 rounding modes mul	\bmul\.(rz|rm|rp)\.f32\b
f32 fma rounding	\bfma\.(rz|rm|rp)\.f32\b
f32 div rounding	\bdiv\.(rz|rm|rp)\.f32\b
f32 sqrt rounding	\bsqrt\.(rz|rm|rp)\.f32\b
f32 rcp rounding	\brcp\.(rz|rm|rp)\.f32\b
f32 ftz	\.ftz\.f32\b
f32 sat	\.sat\.f32\b
copysign	\bcopysign\.f(32|64)\b
f64 add/sub/mul	\b(add|sub|mul)\.f64\b
f64 fma	\bfma\.rn\.f64\b
f64 min/max	\b(min|max)\.f64\b
f64 abs/neg	\b(abs|neg)\.f64\b
f64 rounding modes	\b(add|mul|fma|div|sqrt|rcp)\.(rz|rm|rp)\.f64\b
div.rn.f64	\bdiv\.rn\.f64\b
f16 add	\badd(\.rn)?\.f16\b
f16 mul	\bmul(\.rn)?\.f16\b
f16 fma	\bfma\.rn\.f16\b
f16x2	\.f16x2\b
f16 neg/abs	\b(neg|abs)\.f16\b
f16 min/max	\b(min|max)\.f16\b
bf16	\.bf16\b
and/or/xor/not	\b(and|or|xor|not)\.b32\b
shl	\bshl\.b(32|64)\b
shr logical	\bshr\.u(32|64)\b
shr arithmetic	\bshr\.s(32|64)\b
shf.l	\bshf\.l\.
shf.r	\bshf\.r\.
shf clamp	\bshf\.[lr]\.clamp\b
bfe	\bbfe\.
bfe signed	\bbfe\.s32\b
bfi	\bbfi\.
prmt	\bprmt\.b32\b
prmt mode	\bprmt\.b32\.(f4e|b4e|rc8|ecl|ecr|rc16)\b
popc	\bpopc\.b(32|64)\b
clz	\bclz\.b(32|64)\b
brev	\bbrev\.b(32|64)\b
bfind	\bbfind\.
bfind.shiftamt	\bbfind\.shiftamt\.
lop3	\blop3\.b32\b
setp int signed	\bsetp\.(eq|ne|lt|le|gt|ge)\.s32\b
setp lo	\bsetp\.lo\.u32\b
setp ls	\bsetp\.ls\.u32\b
setp hi	\bsetp\.hi\.u32\b
setp hs	\bsetp\.hs\.u32\b
setp s64	\bsetp\.(lt|le|gt|ge)\.s64\b
setp u64	\bsetp\.(lt|le|gt|ge)\.u64\b
setp.eq.f32	\bsetp\.eq\.f32\b
setp.ne.f32	\bsetp\.ne\.f32\b
setp.lt.f32	\bsetp\.lt\.f32\b
setp.le.f32	\bsetp\.le\.f32\b
setp.gt.f32	\bsetp\.gt\.f32\b
setp.ge.f32	\bsetp\.ge\.f32\b
setp.equ	\bsetp\.equ\.f(32|64)\b
setp.neu	\bsetp\.neu\.f(32|64)\b
setp.ltu	\bsetp\.ltu\.f(32|64)\b
setp.leu	\bsetp\.leu\.f(32|64)\b
setp.gtu	\bsetp\.gtu\.f(32|64)\b
setp.geu	\bsetp\.geu\.f(32|64)\b
setp.num	\bsetp\.num\.f(32|64)\b
setp.nan	\bsetp\.nan\.f(32|64)\b
setp f64 all	\bsetp\.(equ|neu|ltu|leu|gtu|geu|num|nan)\.f64\b
setp f16 unordered	\bsetp\.(equ|neu|ltu|leu|gtu|geu)\.f16\b
set (value)	\bset\.(eq|ne|lt|le|gt|ge|equ|neu|ltu|leu|gtu|geu|num|nan)\.(u32|s32|f32)\.
set.f32 result	\bset\.[a-z]+\.f32\.f32\b
selp	\bselp\.(b32|s32|u32|f32)\b
selp 64	\bselp\.(b64|f64|s64|u64)\b
cvt.rni int	\bcvt\.rni\.(s|u)(32|64)\.f(32|64)\b
cvt.rzi	\bcvt\.rzi\.(s|u)(32|64)\.f(32|64)\b
cvt.rmi	\bcvt\.rmi\.(s|u)(32|64)\.f(32|64)\b
cvt.rpi	\bcvt\.rpi\.(s|u)(32|64)\.f(32|64)\b
cvt.rzi u64	\bcvt\.rzi\.u64\.f(32|64)\b
cvt round-to-integral f32	\bcvt\.(rni|rzi|rmi|rpi)\.f32\.f32\b
cvt round-to-integral f64	\bcvt\.(rni|rzi|rmi|rpi)\.f64\.f64\b
cvt.rn int->f32	\bcvt\.rn\.f32\.(s|u)(32|64)\b
cvt.rz int->f32	\bcvt\.rz\.f32\.(s|u)(32|64)\b
cvt.rm int->f32	\bcvt\.rm\.f32\.(s|u)(32|64)\b
cvt.rp int->f32	\bcvt\.rp\.f32\.(s|u)(32|64)\b
cvt int->f64	\bcvt\.(rn|rz|rm|rp)\.f64\.(s|u)64\b
cvt f64->f32	\bcvt\.(rn|rz|rm|rp)\.f32\.f64\b
cvt f32->f64	\bcvt\.f64\.f32\b
cvt.sat float	\bcvt\.sat\.f(32|64)\.f(32|64)\b
cvt.sat int	\bcvt\.sat\.(s|u)(8|16|32)\.s32\b
cvt sign-extend	\bcvt\.s32\.s(8|16)\b
cvt s64.s32	\bcvt\.s64\.s32\b
cvt u32.u64	\bcvt\.u32\.u64\b
cvt f16	\bcvt\.(rn|rz|rm|rp)\.f16\.f32\b
cvt f16->f32	\bcvt\.f32\.f16\b
cvt f16 int	\bcvt\.(rni|rzi|rmi|rpi)\.s32\.f16\b
cvt bf16	\bcvt\.(rn|rz)\.bf16\.f32\b
cvt tf32	\bcvt\.rna\.tf32\.f32\b
mov.b64 pack/unpack	\bmov\.b64\s+(\{|%fd|%rd)
ld.global	\bld\.global\.(u|s|b|f)(8|16|32|64)\b
st.global	\bst\.global\.(u|s|b|f)(8|16|32|64)\b
ld.global.v2	\bld\.global\.v2\.
ld.global.v4	\bld\.global\.v4\.
st.global.v2	\bst\.global\.v2\.
st.global.v4	\bst\.global\.v4\.
ld.global.nc	\bld\.global\.nc\.
ld.global.nc.v4	\bld\.global\.nc\.v4\.
ld.volatile	\bld\.volatile\.
st.volatile	\bst\.volatile\.
ld.acquire	\bld\.acquire\.
ld.relaxed	\bld\.relaxed\.
st.release	\bst\.release\.
st.relaxed	\bst\.relaxed\.
ld cache ops	\bld\.global\.(ca|cg|cs|lu|cv)\.
st cache ops	\bst\.global\.(wb|cg|cs|wt)\.
ld.shared	\bld\.shared\.
st.shared	\bst\.shared\.
ld.shared narrow	\bld\.shared\.(u8|s8|u16|s16)\b
ld.local	\bld\.local\.
st.local	\bst\.local\.
ld.const	\bld\.const\.
ld.param	\bld\.param\.
generic ld	^\s*ld\.(u|s|b|f)(32|64)\s
cvta	\bcvta\.(to\.)?(global|shared|local)\.u64\b
isspacep	\bisspacep\.(global|shared|local|const)\b
atom.global.add	\batom\.global\.add\.u32\b
atom.global.add.u64	\batom\.global\.add\.u64\b
atom.global.add.f32	\batom\.global\.add\.f32\b
atom.global.add.f64	\batom\.global\.add\.f64\b
atom.global.min	\batom\.global\.min\.(s|u)32\b
atom.global.max	\batom\.global\.max\.(s|u)32\b
atom.global.min/max 64	\batom\.global\.(min|max)\.(s|u)64\b
atom.global.inc	\batom\.global\.inc\.u32\b
atom.global.dec	\batom\.global\.dec\.u32\b
atom.global.and	\batom\.global\.and\.b32\b
atom.global.or	\batom\.global\.or\.b32\b
atom.global.xor	\batom\.global\.xor\.b32\b
atom.global.and/or/xor 64	\batom\.global\.(and|or|xor)\.b64\b
atom.global.exch	\batom\.global\.exch\.b32\b
atom.global.exch.b64	\batom\.global\.exch\.b64\b
atom.global.cas	\batom\.global\.cas\.b32\b
atom.global.cas.b64	\batom\.global\.cas\.b64\b
atom.shared.add	\batom\.shared\.add\.u32\b
atom.shared.add.u64	\batom\.shared\.add\.u64\b
atom.shared.add.f32	\batom\.shared\.add\.f32\b
atom.shared.add.f64	\batom\.shared\.add\.f64\b
atom.shared.min/max	\batom\.shared\.(min|max)\.(s|u)32\b
atom.shared.inc/dec	\batom\.shared\.(inc|dec)\.u32\b
atom.shared.and/or/xor	\batom\.shared\.(and|or|xor)\.b32\b
atom.shared.exch	\batom\.shared\.exch\.b(32|64)\b
atom.shared.cas	\batom\.shared\.cas\.b32\b
atom.shared.cas.b64	\batom\.shared\.cas\.b64\b
atom scope cta	\batom\.global\.cta\.
atom scope sys	\batom\.global\.sys\.
atom ordering	\batom\.([a-z]+\.)?(acq_rel|acquire|release|relaxed)\.
red.global	\bred\.global\.
red.global.add.f32	\bred\.global\.add\.f32\b
red.global.add.f64	\bred\.global\.add\.f64\b
red.global.add.u64	\bred\.global\.add\.u64\b
red.global min/max	\bred\.global\.(min|max)\.
red.global inc/dec	\bred\.global\.(inc|dec)\.
red.global and/or/xor	\bred\.global\.(and|or|xor)\.
red.shared	\bred\.shared\.
red release	\bred\.release\.
bar.sync	\b(bar\.sync|barrier\.sync)\b
named barrier	\bbar\.sync\s+1,
bar.red.popc	\bbar\.red\.popc\.u32\b
bar.red.and	\bbar\.red\.and\.pred\b
bar.red.or	\bbar\.red\.or\.pred\b
bar.warp.sync	\bbar\.warp\.sync\b
membar	\bmembar\.(cta|gl|sys)\b
fence	\bfence\.(sc|acq_rel)\.
shfl.sync.up	\bshfl\.sync\.up\.b32\b
shfl.sync.down	\bshfl\.sync\.down\.b32\b
shfl.sync.bfly	\bshfl\.sync\.bfly\.b32\b
shfl.sync.idx	\bshfl\.sync\.idx\.b32\b
vote.sync.any	\bvote\.sync\.any\.pred\b
vote.sync.all	\bvote\.sync\.all\.pred\b
vote.sync.ballot	\bvote\.sync\.ballot\.b32\b
vote.sync.uni	\bvote\.sync\.uni\.pred\b
match.any.sync	\bmatch\.any\.sync\.b(32|64)\b
match.all.sync	\bmatch\.all\.sync\.b(32|64)\b
match 64	\bmatch\.(any|all)\.sync\.b64\b
activemask	\bactivemask\.b32\b
redux.sync add	\bredux\.sync\.add\.
redux.sync min/max	\bredux\.sync\.(min|max)\.
redux.sync and/or/xor	\bredux\.sync\.(and|or|xor)\.
ex2.approx	\bex2\.approx\.
lg2.approx	\blg2\.approx\.
sin.approx	\bsin\.approx\.
cos.approx	\bcos\.approx\.
rcp.approx	\brcp\.approx\.
rcp.approx.f64	\brcp\.approx\.ftz\.f64\b
rsqrt.approx	\brsqrt\.approx\.
rsqrt.approx.f64	\brsqrt\.approx\.f64\b
sqrt.approx	\bsqrt\.approx\.f32\b
tanh.approx	\btanh\.approx\.f32\b
div.approx	\bdiv\.approx\.f32\b
div.full	\bdiv\.full\.f32\b
div.rn.f32	\bdiv\.rn\.f32\b
rcp.rn	\brcp\.rn\.f(32|64)\b
sqrt.rn	\bsqrt\.rn\.f32\b
sqrt.rn.f64	\bsqrt\.rn\.f64\b
.func	^\.func\b
call.uni	\bcall\.uni\b
indirect call	\.callprototype\b
struct param	\.param \.align [0-9]+ \.b8 [A-Za-z_0-9]+\[[0-9]+\]
vprintf	\bvprintf\b
__assertfail	\b__assertfail\b
trap	^\s*trap\b
.extern .shared	^\.extern \.shared\b
.const	^\.const\b
.global variable	^\.global\s
local depot	__local_depot
brx.idx	\bbrx\.idx\b
bra	\bbra(\.uni)?\b
special regs 3d	%(tid|ntid|ctaid|nctaid)\.z\b
laneid	%laneid\b
lanemask	%lanemask_(eq|lt|le|gt|ge)\b
clock64	%clock64\b
globaltimer	%globaltimer\b
smid	%smid\b
dynamic_smem_size	%dynamic_smem_size\b
PAT
)

missing=0
total=0
while IFS=$'\t' read -r label regex; do
    [[ -z "$label" ]] && continue
    total=$((total + 1))
    if ! grep -Eq -- "$regex" "$code"; then
        echo "MISSING: $label    ($regex)"
        missing=$((missing + 1))
    fi
done <<<"$patterns"

problems=0

# Path-dependent names: internal-linkage symbols carry a hash of the source's absolute path.
if grep -l '_INTERNAL_' "${files[@]}" >/dev/null 2>&1; then
    echo "PROBLEM: path-dependent _INTERNAL_ symbols (internal linkage) in:" $(grep -l '_INTERNAL_' "${files[@]}" | xargs -n1 basename)
    problems=$((problems + 1))
fi

entries=$(grep -h '^\.visible \.entry ' "${files[@]}" | sed -E 's/^\.visible \.entry ([A-Za-z_][A-Za-z0-9_$]*).*/\1/' | LC_ALL=C sort)
nentries=$(printf '%s\n' "$entries" | grep -c . || true)
if (( nentries < 60 )); then
    echo "PROBLEM: only $nentries kernels (.entry), at least 60 required"
    problems=$((problems + 1))
fi
if [[ $(printf '%s\n' "$entries" | uniq -d | grep -c . || true) -ne 0 ]]; then
    echo "PROBLEM: duplicate kernel names:" $(printf '%s\n' "$entries" | uniq -d)
    problems=$((problems + 1))
fi

tsv="$here/kernels.tsv"
if [[ -f "$tsv" ]]; then
    listed=$(tail -n +2 "$tsv" | cut -f2 | LC_ALL=C sort)
    d=$(diff <(printf '%s\n' "$listed") <(printf '%s\n' "$entries") || true)
    if [[ -n "$d" ]]; then
        echo "PROBLEM: kernels.tsv (<) and PTX .entry kernels (>) differ:"
        echo "$d" | grep '^[<>]'
        problems=$((problems + 1))
    fi
else
    echo "PROBLEM: $tsv is missing"
    problems=$((problems + 1))
fi

ptxas=""
if [[ -n "${NVCC:-}" && -x "$(dirname "$NVCC")/ptxas" ]]; then
    ptxas="$(dirname "$NVCC")/ptxas"
elif command -v ptxas >/dev/null 2>&1; then
    ptxas="$(command -v ptxas)"
else
    for c in /usr/local/cuda*/bin/ptxas; do [[ -x "$c" ]] && ptxas="$c"; done
fi
if [[ -n "$ptxas" ]]; then
    for f in "${files[@]}"; do
        if ! "$ptxas" -arch=sm_80 "$f" -o /dev/null; then
            echo "PROBLEM: ptxas rejects $(basename "$f")"
            problems=$((problems + 1))
        fi
    done
    ptxas_note="all files assemble with ptxas -arch=sm_80"
else
    ptxas_note="ptxas not found, assembly not checked"
fi

echo "coverage: $((total - missing))/$total features present, $missing missing; $nentries kernels in ${#files[@]} files; $ptxas_note"
if (( missing > 0 || problems > 0 )); then
    exit 1
fi
echo "none missing"
