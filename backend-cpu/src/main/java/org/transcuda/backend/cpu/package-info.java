/**
 * The CPU backend: the host CPU as one CUDA device, kernels compiled from the IR to JVM bytecode.
 *
 * <h2>Structure</h2>
 * <ul>
 * <li>{@link org.transcuda.backend.cpu.CpuBackend} (DS component) → {@link org.transcuda.backend.cpu.CpuDevice}
 * (owns the worker pool, started on first launch, shut down with the last context) →
 * {@link org.transcuda.backend.cpu.CpuContext} (device memory, modules, streams, sticky faults) →
 * {@link org.transcuda.backend.cpu.CpuModule} (module variables in device memory; kernels compiled on first
 * lookup and cached) → {@link org.transcuda.backend.cpu.CpuFunction}.</li>
 * <li>{@link org.transcuda.backend.cpu.KernelCompiler} turns a kernel and the device functions it calls into a
 * hidden class implementing {@link org.transcuda.backend.cpu.KernelCode}: {@code runBlock} (threads run one
 * after another, registers in JVM locals) for kernels without suspension points, {@code stepBlock} (a state
 * machine over resume points) for kernels with barriers or warp collectives (together: the <em>thread
 * engine</em>), and {@code lockBlock} (the <em>lockstep engine</em>, {@link org.transcuda.backend.cpu.Lockstep}:
 * the block's threads execute together, registers in per-thread arrays, one static method per segment of the
 * kernel; divergence by each thread's next segment, lowest segment first, except for short branch arms that rejoin
 * at once, which run inside the branching segment as predicated lane loops ({@link
 * org.transcuda.backend.cpu.IfConversion}, off with {@code -Dtranscuda.cpu.ifConvert=false}); barriers and warp
 * collectives are array operations, nothing suspends (shifted shuffles over whole warps as block-wide array copies,
 * also in divergent regions of whole warps: {@link org.transcuda.backend.cpu.WarpShuffle}, off with {@code
 * -Dtranscuda.cpu.warpVec=false}; jumps of a divergent region that no other thread waits before, or that rejoin
 * all threads after a split, without a scheduler pass, off with {@code -Dtranscuda.cpu.divJump=false}); while every
 * thread is active, shared accesses whose address is
 * affine in the thread index are checked once per lane loop for the whole block and then index the shared array
 * directly, and an if-converted arm taken by a range of {@code tid.x} (a comparison of an affine value with a
 * block-uniform one) runs over that range only ({@link org.transcuda.backend.cpu.SharedAffine}, both off with {@code
 * -Dtranscuda.cpu.simd=false}); global accesses whose address is affine in the thread index are checked once per
 * block ({@link org.transcuda.backend.cpu.AffineSites}, {@code -Dtranscuda.cpu.lockglob=false}), the other global
 * accesses of a lane loop (addresses that a loop advances: grid-stride indices, incremented pointers) once per lane
 * loop by a prescan of their addresses ({@link org.transcuda.backend.cpu.LoopChecks}, {@code
 * -Dtranscuda.cpu.loopChecks=false}); f32 results that only feed further f32 arithmetic inside one lane loop skip
 * their NaN canonicalization, which the end of each chain does ({@code -Dtranscuda.cpu.lsimd=false}). Direct calls
 * of device functions that contain barriers or warp collectives are inlined into the kernel first ({@link
 * org.transcuda.backend.cpu.Inliner}).</li>
 * <li>Engine choice ({@code -Dtranscuda.cpu.engine=auto|thread|lockstep}, {@link
 * org.transcuda.backend.cpu.CpuDevice.Engine}): {@code auto} runs kernels with barriers or warp collectives on the
 * lockstep engine (it removes the thread engine's per-thread suspensions) and the others on the thread engine (their
 * straight per-thread code measured faster); {@code lockstep} runs every kernel that has lockstep code on it. A
 * kernel has no lockstep code (and always runs on the thread engine) when it has: {@code atom.cas}/{@code
 * atom.exch} or ordered/volatile loads inside a loop of the kernel or anywhere in its device functions (spin-waits
 * between lanes of a warp need independent thread scheduling),
 * barriers other than an unpredicated {@code bar.sync 0} for all threads ({@code bar.arrive}, {@code bar.red},
 * named or counted barriers), guarded barriers or warp collectives, {@code brx.idx}, {@code exit} in a device
 * function, {@code printf} (output order stays the thread engine's), or a lockstep method over 8000 bytes of
 * bytecode. Both engines are exact (a compilation tier, not a semantic fallback); {@code
 * -Dtranscuda.cpu.stats=true} prints each launch's engine and, for thread-engine kernels, why. One documented
 * difference: a warp collective whose member mask names a lane that is on another path of the kernel (undefined
 * behaviour in CUDA) fails with CUDA_ERROR_LAUNCH_FAILED on the lockstep engine, where the thread engine waits
 * for that lane.</li>
 * <li>A launch ({@link org.transcuda.backend.cpu.Launch}) runs on its stream's thread and the worker pool,
 * blocks in parallel; each worker has an {@link org.transcuda.backend.cpu.Exec} (windows, site caches,
 * scheduler state); {@link org.transcuda.backend.cpu.BlockScheduler} completes barriers and warp collectives (a
 * warp collective that the whole warp reached completes inside the scheduling round, and the warp runs on).</li>
 * <li>Runtime helpers called by the generated code: {@link org.transcuda.backend.cpu.Mem} (checked memory
 * access), {@link org.transcuda.backend.cpu.Atom} (atomics), {@link org.transcuda.backend.cpu.Rt} (integer
 * and bit semantics), {@link org.transcuda.backend.cpu.Fp} and {@link org.transcuda.backend.cpu.Fp2} (exact
 * floating point: rounding modes, f16/bf16, conversions, approximate functions),
 * {@link org.transcuda.backend.cpu.Builtins} (printf, assert, malloc/free).</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Device pointers are native addresses of {@link org.transcuda.spi.host.HostMemory} allocations. Generic
 * addresses put shared, local and param memory in windows above 2^62 ({@link org.transcuda.backend.cpu.Windows}).
 * Every access is checked (inside a live allocation or window, aligned to its size) before it happens: bad
 * addresses fail the launch with CUDA_ERROR_ILLEGAL_ADDRESS or CUDA_ERROR_MISALIGNED_ADDRESS, never crash the
 * JVM. Straight-line kernels on the thread engine (acyclic, branch conditions on indices and parameters only,
 * every global access affine in the thread index: {@code ctaid*ntid+tid} → {@code mul.wide} → {@code add}, in up
 * to three dimensions) have their global accesses checked once per block for all the block's threads ({@link
 * org.transcuda.backend.cpu.AffineSites}); when every access passes and all threads take the same path, the block
 * runs that path without per-access checks ({@link org.transcuda.backend.cpu.UniformPaths}): in its vector form
 * ({@link org.transcuda.backend.cpu.VectorPaths}) one statement at a time over the whole block, per-thread registers
 * in arrays, block-uniform ones once, affine loads and stores as block-wide {@code MemorySegment.copy}s per row of
 * threads ({@link org.transcuda.backend.cpu.VecMem}; a load whose addresses are an earlier load's shifted by whole
 * elements and rows, as stencil neighbours are, takes that load's array shifted and reads only the rest from memory),
 * arithmetic as counted loops over the arrays that C2
 * vectorizes, with the same results bit for bit; paths without a vector form run as one branch-free loop over the
 * threads. Other blocks run the ordinary thread loop with per-access checks, so a fault is reported at the same
 * thread and instruction either way. The address programs and branch conditions are evaluated once per launch,
 * symbolically in the block index, where they are affine over the whole grid ({@link
 * org.transcuda.backend.cpu.LaunchForms}), else per block; a site whose range over the whole grid lies inside one
 * allocation is not range-checked per block (allocations are not freed while a launch runs). When every address
 * program has a launch form affine in {@code X = ctaid.x·ntid.x + tid.x}, every branch condition is decided by launch
 * forms and every path that stores has a vector form that does not read {@code %ctaid.x}, the launch runs grid rows
 * instead ({@link org.transcuda.backend.cpu.GridRows}): per piece of a grid row and thread row {@code (tid.y, tid.z)},
 * one vector-form loop over up to 4096 lanes across the blocks, the lanes split where their paths differ (a
 * stencil's border column) and lanes of paths without stores skipped; a piece is first planned and each loop's
 * accesses checked over its lanes, and a piece that does not pass runs block by block as above, in block order, so
 * faults keep their block, thread and instruction ({@code -Dtranscuda.cpu.gridRows=false}: off). {@code -Dtranscuda.cpu.hoist=false} or {@code
 * -Dtranscuda.cpu.paths=false} turns all this off, {@code -Dtranscuda.cpu.vector=false} the vector forms, {@code
 * -Dtranscuda.cpu.vecFuse=false} their loop fusion, {@code -Dtranscuda.cpu.vecShare=false} the shared loads, {@code -Dtranscuda.cpu.launchForms=false} the launch forms (A/B
 * measurements).
 * The JVM needs {@code --enable-native-access=ALL-UNNAMED} (the launcher passes it).
 *
 * <h2>Semantics chosen where PTX leaves a choice</h2>
 * f32 arithmetic returns NVIDIA's canonical NaN {@code 0x7fffffff}; integer division by zero gives all ones
 * (unsigned) or -1/1 (signed, by the dividend's sign), remainder by zero the dividend; shifts by the width or
 * more give 0 or the sign fill; {@code mad} on floats is fused (PTX ISA, sm_20 and later); approximate
 * instructions are computed in double precision and rounded (well inside NVIDIA's error bounds);
 * {@code atom.add.f32} flushes subnormals as the PTX ISA specifies.
 */
package org.transcuda.backend.cpu;
