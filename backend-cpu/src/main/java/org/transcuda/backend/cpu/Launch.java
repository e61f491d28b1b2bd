package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.LaunchConfig;

/**
 * One kernel launch: the grid's blocks run in parallel on the device's worker pool plus the calling (stream)
 * thread. Workers take chunks of consecutive block numbers from a shared counter (dynamic load balancing),
 * each with its own {@link Exec}; a fault stops every worker at its next block and fails the launch with the
 * fault's result code. Workers that have not started when the caller runs out of blocks are told to do
 * nothing, so a launch never waits for a pool busy with another stream's work.
 *
 * <p>printf output of all workers is printed after the launch, ordered by block number (and by execution order
 * within a block), so output is deterministic.
 */
final class Launch {
    private static final AtomicLong IDS = new AtomicLong();

    final CompiledKernel kernel;
    final LaunchConfig config;
    final MemorySegment params;
    final long paramSize;
    final DeviceMemory memory;
    final int workers;
    final long id = IDS.incrementAndGet();
    final long blocks;

    private final AtomicLong next = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger workerIds = new AtomicInteger();
    private volatile boolean closedForNew;
    private volatile KernelFault fault;
    private final List<Exec> execs = new ArrayList<>();
    final List<String> diagnostics = new ArrayList<>();

    Launch(CompiledKernel kernel, LaunchConfig config, long[] params, long paramSize, DeviceMemory memory, int workers) {
        this.kernel = kernel;
        this.config = config;
        this.params = MemorySegment.ofArray(params);
        this.paramSize = paramSize;
        this.memory = memory;
        this.workers = workers;
        this.blocks = config.grid().volume();
    }

    /** Runs the grid to completion; prints printf output to {@code out}; throws the first fault. */
    void run(ExecutorService pool, Consumer<String> out) throws BackendException {
        long chunk = Math.max(1, Math.min(64, blocks / (workers * 8L)));
        int helpers = (int) Math.min(workers - 1L, blocks - 1);
        for (int i = 0; i < helpers && pool != null; i++) {
            try {
                pool.execute(() -> work(chunk, true));
            } catch (RejectedExecutionException e) {
                break;
            }
        }
        work(chunk, false);
        closedForNew = true;
        synchronized (this) {
            boolean interrupted = false;
            while (running.get() > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
        print(out);
        KernelFault f = fault;
        if (f != null) throw new BackendException(f.result(), f.getMessage());
    }

    private void work(long chunk, boolean helper) {
        running.incrementAndGet();
        try {
            if (helper && closedForNew) return;
            Exec e = null;
            while (fault == null) {
                long b0 = next.getAndAdd(chunk);
                if (b0 >= blocks) break;
                if (e == null) {
                    e = new Exec(this, workerIds.getAndIncrement());
                    synchronized (execs) {
                        execs.add(e);
                    }
                }
                long b1 = Math.min(blocks, b0 + chunk);
                for (long b = b0; b < b1 && fault == null; b++) {
                    e.block(b);
                    try {
                        if (kernel.suspends) BlockScheduler.run(e);
                        else kernel.code.runBlock(e);
                    } catch (KernelFault f) {
                        fail(e.located(f));
                    } catch (StackOverflowError x) {
                        fail(e.located(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED,
                                "JVM stack overflow (device-function recursion too deep)")));
                    } catch (IllegalStateException | IndexOutOfBoundsException x) {
                        fail(e.located(KernelFault.illegalAddress("memory access failed: " + x.getMessage())));
                    } catch (OutOfMemoryError x) {
                        fail(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "out of memory: " + x));
                    } catch (RuntimeException | Error x) {
                        fail(e.located(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED, "kernel failed: " + x)));
                    }
                }
            }
        } finally {
            if (running.decrementAndGet() == 0) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }
    }

    private void fail(KernelFault f) {
        synchronized (this) {
            if (fault == null) fault = f;
        }
    }

    private void print(Consumer<String> out) {
        record Line(long block, int seq, String text) {
        }
        List<Line> lines = new ArrayList<>();
        int seq = 0;
        synchronized (execs) {
            for (Exec e : execs) {
                for (int i = 0; i < e.out.size(); i++) lines.add(new Line(e.outBlock.get(i), seq++, e.out.get(i)));
            }
        }
        if (lines.isEmpty()) return;
        lines.sort((a, b) -> a.block != b.block ? Long.compare(a.block, b.block) : Integer.compare(a.seq, b.seq));
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(l.text);
        out.accept(sb.toString());
    }
}
