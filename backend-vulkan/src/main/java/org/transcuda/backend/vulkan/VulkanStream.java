package org.transcuda.backend.vulkan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.transcuda.backend.vulkan.vk.Vk;
import org.transcuda.backend.vulkan.vk.VkDevice;
import org.transcuda.backend.vulkan.vk.VkException;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;
import org.transcuda.spi.host.DevicePrintf;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;

/**
 * A CUDA stream on the context's compute queue.
 *
 * <p>Enqueue methods validate their arguments on the caller's thread (bad pointers fail at once with
 * CUDA_ERROR_INVALID_VALUE, as in CUDA) and append an operation to an in-order queue. One worker thread
 * per stream takes the operations in order and records them into a command buffer (a <em>batch</em>), with
 * a full memory barrier before each, so that every operation sees the effects of the ones before it. A
 * batch is submitted when the queue runs dry or when an operation must act on the host after the GPU
 * (reading back a copy, running a host callback): it then waits on the stream's timeline semaphore, which
 * each submission signals with the next value. Staging and argument buffers of a batch return to the
 * context's pool when the timeline passes its value.
 *
 * <p>Failures of queued work are kept and reported by the next {@link #synchronize()}; a lost device makes
 * the whole context unusable.
 */
public final class VulkanStream implements BackendStream {
    /** One queued operation, run by the worker. */
    @FunctionalInterface
    interface Op {
        void run(VulkanStream s) throws BackendException;

        /** Called instead of {@link #run} when the operation is dropped (the context closes). */
        default void cancel() {
        }
    }

    private static final org.apache.logging.log4j.Logger LOG =
            org.apache.logging.log4j.LogManager.getLogger(VulkanStream.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long WAIT_SLICE_NANOS = 1_000_000_000L;
    /** Staging bytes in flight before the worker waits for older batches. */
    private static final long MAX_IN_FLIGHT_STAGING = 256L * 1024 * 1024;
    private static final ThreadLocal<VulkanStream> WORKER = new ThreadLocal<>();

    private final VulkanContext ctx;
    private final VkDevice dev;
    private final long commandPool;
    private final long timeline;
    private final Thread worker;

    // guarded by this
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;
    private boolean released;
    private boolean closedByWorker;
    private BackendException failure;

    // worker thread only (and close(), after the worker has ended)
    private Batch batch;
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private final ArrayDeque<MemorySegment> spareCommandBuffers = new ArrayDeque<>();
    private long inFlightStaging;
    private boolean opBarrier;
    private long nextValue;
    private volatile long submitted;

    /** Commands recorded but not yet submitted, and what they hold. */
    private static final class Batch {
        final MemorySegment cmd;
        final List<GpuBuffer> held = new ArrayList<>();
        long heldBytes;
        long value;
        GpuBuffer upload;
        long uploadOffset;

        Batch(MemorySegment cmd) {
            this.cmd = cmd;
        }
    }

    VulkanStream(VulkanContext ctx) throws BackendException {
        this.ctx = ctx;
        this.dev = ctx.dev;
        long pool = dev.createCommandPool(ctx.info.computeQueueFamily,
                Vk.COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT | Vk.COMMAND_POOL_CREATE_TRANSIENT_BIT);
        ctx.ledger.created(Ledger.Kind.COMMAND_POOL);
        long sem;
        try {
            sem = dev.createTimelineSemaphore(0);
        } catch (VkException e) {
            dev.destroyCommandPool(pool);
            ctx.ledger.destroyed(Ledger.Kind.COMMAND_POOL);
            throw e;
        }
        ctx.ledger.created(Ledger.Kind.SEMAPHORE);
        this.commandPool = pool;
        this.timeline = sem;
        this.worker = Thread.ofPlatform().daemon().name("transcuda-vulkan-stream-" + COUNTER.incrementAndGet())
                .unstarted(this::loop);
        ctx.ledger.created(Ledger.Kind.STREAM_THREAD);
        worker.start();
    }

    /** True when the current thread is a stream worker of {@code ctx} (inside a host callback). */
    static boolean isWorkerThread(VulkanContext ctx) {
        VulkanStream s = WORKER.get();
        return s != null && s.ctx == ctx;
    }

    // ------------------------------------------------------------------ enqueue side

    private synchronized void enqueue(Op op) throws BackendException {
        if (closing) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "stream is closed");
        queue.addLast(op);
        busy = true;
        notifyAll();
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src) throws BackendException {
        try (VulkanContext.Guard g = ctx.enter()) {
            if (src.byteSize() == 0) return;
            Span d = ctx.resolve(dst, src.byteSize(), CUresult.CUDA_ERROR_INVALID_VALUE);
            // A segment confined to the caller's thread cannot be read by the worker: snapshot it now.
            MemorySegment source = src.isAccessibleBy(worker) ? src
                    : MemorySegment.ofArray(src.toArray(ValueLayout.JAVA_BYTE));
            enqueue(s -> s.doHostToDevice(d, source));
        }
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src) throws BackendException {
        CompletableFuture<byte[]> sync = null;
        try (VulkanContext.Guard g = ctx.enter()) {
            if (dst.byteSize() == 0) return;
            Span s = ctx.resolve(src, dst.byteSize(), CUresult.CUDA_ERROR_INVALID_VALUE);
            if (dst.isAccessibleBy(worker)) {
                enqueue(w -> w.doDeviceToHost(dst, s));
                return;
            }
            // A confined destination: copy into the heap on the worker, then into dst on this thread.
            byte[] heap = new byte[Math.toIntExact(dst.byteSize())];
            CompletableFuture<byte[]> done = new CompletableFuture<>();
            enqueue(new Op() {
                @Override
                public void run(VulkanStream w) {
                    try {
                        w.doDeviceToHost(MemorySegment.ofArray(heap), s);
                        done.complete(heap);
                    } catch (BackendException | RuntimeException e) {
                        done.completeExceptionally(e); // reported to the caller, not to synchronize()
                    }
                }

                @Override
                public void cancel() {
                    done.completeExceptionally(new BackendException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED,
                            "the context closed before the copy ran"));
                }
            });
            sync = done;
        }
        try {
            MemorySegment.copy(MemorySegment.ofArray(sync.get()), 0, dst, 0, dst.byteSize());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(CUresult.CUDA_ERROR_UNKNOWN, "interrupted while copying to the host", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackendException b) throw b;
            throw new BackendException(CUresult.CUDA_ERROR_UNKNOWN, "copy to the host failed: " + e.getCause(), e);
        }
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) throws BackendException {
        try (VulkanContext.Guard g = ctx.enter()) {
            if (bytes == 0) return;
            Span d = ctx.resolve(dst, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
            Span s = ctx.resolve(src, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
            enqueue(w -> w.doDeviceToDevice(d, s));
        }
    }

    @Override
    public void fill(long dst, int value, int elementSize, long count) throws BackendException {
        try (VulkanContext.Guard g = ctx.enter()) {
            if (elementSize != 1 && elementSize != 2 && elementSize != 4) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "element size " + elementSize);
            }
            if (count < 0) throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "count " + count);
            if (dst % elementSize != 0) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "0x" + Long.toHexString(dst)
                        + " is not aligned to the element size " + elementSize);
            }
            if (count == 0) return;
            Span d = ctx.resolve(dst, count * elementSize, CUresult.CUDA_ERROR_INVALID_VALUE);
            enqueue(w -> w.doFill(d, value, elementSize));
        }
    }

    @Override
    public void launch(BackendFunction function, LaunchConfig config, MemorySegment args) throws BackendException {
        try (VulkanContext.Guard g = ctx.enter()) {
            VulkanFunction f = ctx.function(function);
            f.check(config);
            int n = f.kernel().argBytes();
            if (args.byteSize() < n) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, f.kernel().name() + " takes " + n
                        + " bytes of arguments, " + args.byteSize() + " given");
            }
            long pipeline = f.pipeline(config);
            byte[] bytes = args.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            long[] bounds = ctx.bounds();
            enqueue(w -> {
                if (f.strings == null) {
                    w.doLaunch(f, pipeline, config, bytes, bounds);
                    if (f.faultDecoder != null) w.checkFault(f);
                    return;
                }
                // one printf buffer per context: printing launches of different streams take turns
                ctx.printfLock.lock();
                try {
                    w.doLaunch(f, pipeline, config, bytes, bounds);
                    w.finish();
                    w.printRecords(f);
                } finally {
                    ctx.printfLock.unlock();
                }
                if (f.faultDecoder != null) w.checkFault(f);
            });
        }
    }

    @Override
    public void enqueueHostCallback(Runnable callback) throws BackendException {
        try (VulkanContext.Guard g = ctx.enter()) {
            enqueue(w -> {
                w.finish();
                callback.run();
            });
        }
    }

    @Override
    public void synchronize() throws BackendException {
        long target = awaitQueue();
        waitTimeline(target);
        BackendException f;
        synchronized (this) {
            f = failure;
            failure = null;
        }
        if (f != null) throw f;
        BackendException fault = ctx.addressFault();
        if (fault != null) throw fault;
    }

    /**
     * The failure {@link #synchronize()} would throw for the work run so far, without taking it: from a host callback
     * (which runs after the GPU work before it has finished), that of the work before the callback.
     */
    @Override
    public BackendException pendingFailure() {
        BackendException f;
        synchronized (this) {
            f = failure;
        }
        return f != null ? f : ctx.addressFault();
    }

    /** Waits for all enqueued work without taking its failure (used by free and unload). */
    void drain() {
        try {
            waitTimeline(awaitQueue());
        } catch (BackendException e) {
            recordFailure(e);
        }
    }

    /** Waits until the worker has submitted everything; returns the last timeline value submitted. */
    private synchronized long awaitQueue() {
        if (Thread.currentThread() == worker) return submitted; // from a host callback: cannot wait for itself
        boolean interrupted = false;
        while (busy || !queue.isEmpty()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return submitted;
    }

    private void waitTimeline(long value) throws BackendException {
        if (value == 0) return;
        synchronized (this) {
            if (released) return;
        }
        try {
            while (!dev.waitSemaphore(timeline, value, WAIT_SLICE_NANOS)) {
                // keep waiting: a kernel may run for a long time
            }
        } catch (VkException e) {
            if (e.deviceLost()) ctx.markLost(e);
            throw e;
        }
    }

    @Override
    public boolean isIdle() {
        synchronized (this) {
            if (busy || !queue.isEmpty()) return false;
            if (released) return true;
        }
        try {
            return dev.semaphoreValue(timeline) >= submitted;
        } catch (VkException e) {
            return true;
        }
    }

    /** Last timeline value submitted (for tests). */
    long submittedValue() {
        return submitted;
    }

    // ------------------------------------------------------------------ worker

    private void loop() {
        WORKER.set(this);
        boolean releaseHere = false;
        try {
            while (true) {
                Op op;
                synchronized (this) {
                    while (queue.isEmpty() && batch == null && !closing) {
                        busy = false;
                        notifyAll();
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            // only close() ends the loop
                        }
                    }
                    if (queue.isEmpty() && batch == null) { // closing, and nothing left
                        busy = false;
                        notifyAll();
                        releaseHere = closedByWorker;
                        break;
                    }
                    op = queue.pollFirst();
                    busy = true;
                }
                if (op == null) {
                    try {
                        submit();
                    } catch (BackendException e) {
                        recordFailure(e);
                    }
                } else {
                    opBarrier = false;
                    try {
                        op.run(this);
                    } catch (BackendException e) {
                        recordFailure(e);
                    } catch (RuntimeException | Error e) {
                        recordFailure(new BackendException(CUresult.CUDA_ERROR_LAUNCH_FAILED,
                                "queued work failed: " + e, e));
                    }
                }
                reclaimQuietly();
            }
        } finally {
            WORKER.remove();
        }
        if (releaseHere) release(); // the stream was closed from one of its own host callbacks
    }

    private void recordFailure(BackendException e) {
        if (e instanceof VkException v && v.deviceLost()) ctx.markLost(e);
        synchronized (this) {
            if (failure == null) failure = e;
        }
    }

    /** The batch's command buffer, opened if needed, after this operation's leading barrier. */
    private MemorySegment cmd() throws BackendException {
        if (batch == null) {
            MemorySegment c = spareCommandBuffers.pollFirst();
            if (c == null) c = dev.allocateCommandBuffer(commandPool);
            try {
                dev.beginCommandBuffer(c, Vk.COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT);
            } catch (VkException e) {
                spareCommandBuffers.addFirst(c);
                throw e;
            }
            batch = new Batch(c);
            opBarrier = false;
        }
        if (!opBarrier) {
            barrier(Vk.PIPELINE_STAGE_ALL_COMMANDS_BIT, Vk.ACCESS_MEMORY_WRITE_BIT,
                    Vk.PIPELINE_STAGE_ALL_COMMANDS_BIT, Vk.ACCESS_MEMORY_READ_BIT | Vk.ACCESS_MEMORY_WRITE_BIT);
            opBarrier = true;
        }
        return batch.cmd;
    }

    /** A global memory barrier in the open batch. */
    private void barrier(int srcStages, int srcAccess, int dstStages, int dstAccess) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = Vk.MEMORY_BARRIER.allocate(a);
            Vk.MEMORY_BARRIER.setInt(b, "srcAccessMask", srcAccess);
            Vk.MEMORY_BARRIER.setInt(b, "dstAccessMask", dstAccess);
            dev.cmdMemoryBarrier(batch.cmd, srcStages, dstStages, b);
        }
    }

    /** A full barrier between two steps of one operation. */
    private void stepBarrier() throws BackendException {
        cmd();
        barrier(Vk.PIPELINE_STAGE_ALL_COMMANDS_BIT, Vk.ACCESS_MEMORY_WRITE_BIT, Vk.PIPELINE_STAGE_ALL_COMMANDS_BIT,
                Vk.ACCESS_MEMORY_READ_BIT | Vk.ACCESS_MEMORY_WRITE_BIT);
    }

    /** Submits the open batch, which signals the timeline with the next value. */
    private void submit() throws BackendException {
        Batch b = batch;
        if (b == null) return;
        batch = null;
        // Make the batch's writes visible to the host once the timeline says it is done.
        MemorySegment c = b.cmd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mb = Vk.MEMORY_BARRIER.allocate(a);
            Vk.MEMORY_BARRIER.setInt(mb, "srcAccessMask", Vk.ACCESS_MEMORY_WRITE_BIT);
            Vk.MEMORY_BARRIER.setInt(mb, "dstAccessMask", Vk.ACCESS_HOST_READ_BIT);
            dev.cmdMemoryBarrier(c, Vk.PIPELINE_STAGE_ALL_COMMANDS_BIT, Vk.PIPELINE_STAGE_HOST_BIT, mb);
            dev.endCommandBuffer(c);
            long value = nextValue + 1;
            MemorySegment cmds = a.allocate(ValueLayout.ADDRESS);
            cmds.set(ValueLayout.ADDRESS, 0, c);
            MemorySegment sems = a.allocate(ValueLayout.JAVA_LONG);
            sems.set(ValueLayout.JAVA_LONG, 0, timeline);
            MemorySegment values = a.allocate(ValueLayout.JAVA_LONG);
            values.set(ValueLayout.JAVA_LONG, 0, value);
            MemorySegment ts = Vk.TIMELINE_SEMAPHORE_SUBMIT_INFO.allocate(a);
            Vk.TIMELINE_SEMAPHORE_SUBMIT_INFO.setInt(ts, "signalSemaphoreValueCount", 1);
            Vk.TIMELINE_SEMAPHORE_SUBMIT_INFO.setPtr(ts, "pSignalSemaphoreValues", values);
            MemorySegment si = Vk.SUBMIT_INFO.allocate(a);
            Vk.SUBMIT_INFO.setPtr(si, "pNext", ts);
            Vk.SUBMIT_INFO.setInt(si, "commandBufferCount", 1);
            Vk.SUBMIT_INFO.setPtr(si, "pCommandBuffers", cmds);
            Vk.SUBMIT_INFO.setInt(si, "signalSemaphoreCount", 1);
            Vk.SUBMIT_INFO.setPtr(si, "pSignalSemaphores", sems);
            ctx.queueLock.lock();
            try {
                dev.queueSubmit(ctx.queue, si, 1);
            } finally {
                ctx.queueLock.unlock();
            }
            nextValue = value;
            b.value = value;
            inFlight.addLast(b);
            submitted = value;
        } catch (BackendException | RuntimeException e) {
            releaseBatch(b); // never submitted: nothing of it runs
            throw e;
        }
    }

    /** Submits and waits until everything submitted has completed. */
    private void finish() throws BackendException {
        submit();
        waitTimeline(submitted);
        reclaimQuietly();
    }

    private void reclaimQuietly() {
        if (inFlight.isEmpty()) return;
        try {
            reclaim(dev.semaphoreValue(timeline));
        } catch (VkException e) {
            recordFailure(e);
        }
    }

    private void reclaim(long completed) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().value <= completed) {
            Batch b = inFlight.pollFirst();
            inFlightStaging -= b.heldBytes;
            releaseBatch(b);
        }
    }

    private void releaseBatch(Batch b) {
        for (GpuBuffer g : b.held) ctx.staging.release(g);
        b.held.clear();
        spareCommandBuffers.addLast(b.cmd);
    }

    /**
     * A staging buffer of at least {@code bytes} (at most a chunk) that lives until the batch completes.
     * May submit the open batch first, and wait for older ones, to bound the staging memory in flight.
     */
    private GpuBuffer staging(long bytes) throws BackendException {
        if (batch != null && batch.heldBytes + bytes > MAX_IN_FLIGHT_STAGING / 4) submit();
        while (inFlightStaging + bytes > MAX_IN_FLIGHT_STAGING && !inFlight.isEmpty()) {
            waitTimeline(inFlight.peekFirst().value);
            reclaimQuietly();
        }
        GpuBuffer g = ctx.staging.acquire(bytes);
        cmd(); // the buffer belongs to the open batch
        batch.held.add(g);
        batch.heldBytes += g.capacity;
        inFlightStaging += g.capacity;
        return g;
    }

    /** Space in the batch's upload buffer: returns the buffer; the offset is {@code batch.uploadOffset - bytes}. */
    private long upload(byte[] data, int alignment) throws BackendException {
        long n = Math.max(1, data.length);
        if (batch == null || batch.upload == null
                || ((batch.uploadOffset + alignment - 1) & -alignment) + n > batch.upload.capacity) {
            GpuBuffer g = staging(Math.max(StagingPool.MIN, n));
            batch.upload = g;
            batch.uploadOffset = 0;
        }
        long offset = (batch.uploadOffset + alignment - 1) & -alignment;
        MemorySegment.copy(MemorySegment.ofArray(data), 0, batch.upload.mapped, offset, data.length);
        batch.uploadOffset = offset + n;
        return offset;
    }

    private void copyRegion(long src, long srcOffset, long dst, long dstOffset, long bytes) throws BackendException {
        MemorySegment c = cmd();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = Vk.BUFFER_COPY.allocate(a);
            Vk.BUFFER_COPY.setLong(r, "srcOffset", srcOffset);
            Vk.BUFFER_COPY.setLong(r, "dstOffset", dstOffset);
            Vk.BUFFER_COPY.setLong(r, "size", bytes);
            dev.cmdCopyBuffer(c, src, dst, r, 1);
        }
    }

    // ------------------------------------------------------------------ operations

    private void doHostToDevice(Span d, MemorySegment src) throws BackendException {
        long n = d.bytes();
        for (long done = 0; done < n; ) {
            long c = Math.min(StagingPool.CHUNK, n - done);
            GpuBuffer st = staging(c);
            MemorySegment.copy(src, done, st.mapped, 0, c);
            copyRegion(st.buffer, 0, d.buffer().buffer, d.offset() + done, c);
            done += c;
        }
    }

    private void doDeviceToHost(MemorySegment dst, Span s) throws BackendException {
        long n = s.bytes();
        for (long done = 0; done < n; ) {
            long c = Math.min(StagingPool.CHUNK, n - done);
            GpuBuffer st = ctx.staging.acquire(c); // owned here, not by the batch: read after the wait
            try {
                copyRegion(s.buffer().buffer, s.offset() + done, st.buffer, 0, c);
                finish();
                MemorySegment.copy(st.mapped, 0, dst, done, c);
            } finally {
                ctx.staging.release(st);
            }
            done += c;
        }
    }

    private void doDeviceToDevice(Span d, Span s) throws BackendException {
        long n = d.bytes();
        if (!d.overlaps(s)) {
            copyRegion(s.buffer().buffer, s.offset(), d.buffer().buffer, d.offset(), n);
            return;
        }
        // Overlapping ranges of one buffer (vkCmdCopyBuffer forbids them): bounce each chunk through
        // staging, walking in the direction that never overwrites source bytes not yet copied (memmove).
        boolean backward = d.offset() > s.offset();
        long chunks = (n + StagingPool.CHUNK - 1) / StagingPool.CHUNK;
        for (long i = 0; i < chunks; i++) {
            long k = backward ? chunks - 1 - i : i;
            long off = k * StagingPool.CHUNK;
            long c = Math.min(StagingPool.CHUNK, n - off);
            GpuBuffer st = staging(c);
            copyRegion(s.buffer().buffer, s.offset() + off, st.buffer, 0, c);
            stepBarrier();
            copyRegion(st.buffer, 0, d.buffer().buffer, d.offset() + off, c);
            stepBarrier();
        }
    }

    private void doFill(Span d, int value, int elementSize) throws BackendException {
        int pattern = switch (elementSize) {
            case 1 -> (value & 0xff) * 0x01010101;
            case 2 -> (value & 0xffff) * 0x00010001;
            default -> value;
        };
        long off = d.offset();
        long bytes = d.bytes();
        long buffer = d.buffer().buffer;
        // vkCmdFillBuffer needs 4-byte aligned offsets and sizes: the unaligned head and tail (less than 4
        // bytes each; the element grid starts at the destination) are copied from an upload buffer.
        long head = Math.min(bytes, (4 - (off & 3)) & 3);
        long mid = (bytes - head) & ~3L;
        long tail = bytes - head - mid;
        if (head > 0) writeBytes(buffer, off, pattern, head);
        if (mid > 0) dev.cmdFillBuffer(cmd(), buffer, off + head, mid, pattern);
        if (tail > 0) writeBytes(buffer, off + head + mid, pattern, tail);
    }

    private void writeBytes(long buffer, long offset, int pattern, long n) throws BackendException {
        byte[] b = new byte[(int) n];
        for (int i = 0; i < n; i++) b[i] = (byte) (pattern >>> (8 * (i & 3)));
        long at = upload(b, 4);
        copyRegion(batch.upload.buffer, at, buffer, offset, n);
    }

    /**
     * After a printing kernel completed: formats its printf records (see {@link SpirvCodegen#PRINTF_BYTES}) in the
     * order the threads claimed them, hands them to the context's printer and empties the buffer.
     */
    private void printRecords(VulkanFunction f) throws BackendException {
        MemorySegment buf = ctx.printfBuffer().mapped;
        long claimed = Integer.toUnsignedLong(buf.get(ValueLayout.JAVA_INT, 0)) * 8;
        long limit = SpirvCodegen.PRINTF_BYTES - SpirvCodegen.PRINTF_HEADER;
        long end = Math.min(claimed, limit);
        StringBuilder out = new StringBuilder();
        long pos = 0;
        while (pos + 16 <= end) {
            long at = SpirvCodegen.PRINTF_HEADER + pos;
            long format = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
            if (format == 0) break; // a dropped record: it and every later one did not fit
            int bytes = buf.get(ValueLayout.JAVA_INT_UNALIGNED, at + 8);
            long args = at + 16;
            out.append(DevicePrintf.format(f.strings.apply(format), new DevicePrintf.Strings() {
                @Override
                public long read(long offset, int size) {
                    if (offset + size > bytes) return 0;
                    return size == 4 ? buf.get(ValueLayout.JAVA_INT_UNALIGNED, args + offset)
                            : buf.get(ValueLayout.JAVA_LONG_UNALIGNED, args + offset);
                }

                @Override
                public String string(long address) {
                    return f.strings.apply(address);
                }
            }));
            pos += 16 + (bytes + 7L) / 8 * 8;
        }
        buf.asSlice(0, SpirvCodegen.PRINTF_HEADER + end).fill((byte) 0);
        if (claimed > limit) {
            LOG.warn("{}: device printf output exceeded the {}-byte printf buffer; the rest was dropped (as CUDA"
                    + " drops what does not fit its printf FIFO)", f.kernel().name(), SpirvCodegen.PRINTF_BYTES);
        }
        if (!out.isEmpty()) ctx.printer.accept(out.toString());
    }

    /**
     * After a launch of a kernel that can trap or assert: waits for it and fails it (and, as CUDA does, the
     * context) when it wrote the fault record.
     */
    private void checkFault(VulkanFunction f) throws BackendException {
        finish();
        MemorySegment rec = ctx.faultRecord().mapped;
        int code = rec.get(ValueLayout.JAVA_INT, 0);
        if (code == 0) {
            BackendException address = ctx.addressFault();
            if (address != null) throw address;
            return;
        }
        if (code == SpirvCodegen.FAULT_COUNTED_BARRIER) {
            // not a fault of the program: the launch fails, the context stays usable
            int count = rec.get(ValueLayout.JAVA_INT, 8);
            int threads = rec.get(ValueLayout.JAVA_INT, 12);
            rec.asSlice(0, SpirvCodegen.FAULT_BAD_ADDRESS).fill((byte) 0);
            throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, f.kernel().name() + ": bar.sync with a "
                    + "thread count of " + Integer.toUnsignedString(count) + " in a block of " + threads
                    + " threads is not supported on Vulkan (only a count equal to the block's threads: Vulkan has no "
                    + "barrier for part of a workgroup)");
        }
        BackendException e;
        if (code == SpirvCodegen.FAULT_STACK_OVERFLOW) {
            // as the CPU backend reports a call stack overflow
            e = new BackendException(CUresult.CUDA_ERROR_LAUNCH_FAILED, f.kernel().name() + ": call stack overflow:"
                    + " the recursion stack of " + Integer.toUnsignedString(rec.get(ValueLayout.JAVA_INT, 8))
                    + " bytes per thread is exhausted");
        } else if (code == org.transcuda.backend.vulkan.codegen.SpirvCodegen.FAULT_ASSERT) {
            String msg = f.faultDecoder.describe(rec.get(ValueLayout.JAVA_LONG, 8), rec.get(ValueLayout.JAVA_LONG, 16),
                    rec.get(ValueLayout.JAVA_INT, 32), rec.get(ValueLayout.JAVA_LONG, 24));
            e = new BackendException(CUresult.CUDA_ERROR_ASSERT, f.kernel().name() + ": " + msg);
        } else {
            e = new BackendException(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, f.kernel().name()
                    + ": trap (an illegal instruction was encountered)");
        }
        // the trap or assert is the context's fault (sticky), not a bad access of the same launch
        rec.asSlice(0, SpirvCodegen.FAULT_BAD_ADDRESS).fill((byte) 0);
        ctx.markFaulted(e);
        throw e;
    }

    private void doLaunch(VulkanFunction f, long pipeline, LaunchConfig config, byte[] args, long[] bounds)
            throws BackendException {
        VulkanKernel k = f.kernel();
        boolean inline = k.argsMode() == VulkanKernel.ArgsMode.PUSH_CONSTANTS;
        long argsAddress = 0;
        if (!inline) {
            long at = upload(args, KernelAbi.ARGS_BUFFER_ALIGNMENT);
            argsAddress = batch.upload.deviceAddress + at;
        }
        MemorySegment c = cmd();
        Dim3 grid = config.grid();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pc = a.allocate(k.pushConstantBytes(), 8);
            pc.fill((byte) 0);
            pc.set(ValueLayout.JAVA_INT, KernelAbi.NCTAID_OFFSET, grid.x());
            pc.set(ValueLayout.JAVA_INT, KernelAbi.NCTAID_OFFSET + 4, grid.y());
            pc.set(ValueLayout.JAVA_INT, KernelAbi.NCTAID_OFFSET + 8, grid.z());
            pc.set(ValueLayout.JAVA_LONG, KernelAbi.ARGS_ADDRESS_OFFSET, argsAddress);
            if (inline) MemorySegment.copy(MemorySegment.ofArray(args), 0, pc, KernelAbi.ARGS_OFFSET, args.length);
            pc.set(ValueLayout.JAVA_LONG, k.boundsOffset(), bounds[0]);
            pc.set(ValueLayout.JAVA_LONG, k.boundsOffset() + 8, bounds[1]);
            dev.cmdBindComputePipeline(c, pipeline);
            dev.cmdPushConstants(c, f.layout(), 0, pc);
            MemorySegment base = pc.asSlice(KernelAbi.CTAID_BASE_OFFSET, 12);
            int mx = ctx.maxDispatch[0];
            int my = ctx.maxDispatch[1];
            int mz = ctx.maxDispatch[2];
            boolean split = grid.x() > mx || grid.y() > my || grid.z() > mz;
            for (int z = 0; z < grid.z(); z += mz) {
                for (int y = 0; y < grid.y(); y += my) {
                    for (int x = 0; x < grid.x(); x += mx) {
                        if (split) {
                            base.set(ValueLayout.JAVA_INT, 0, x);
                            base.set(ValueLayout.JAVA_INT, 4, y);
                            base.set(ValueLayout.JAVA_INT, 8, z);
                            dev.cmdPushConstants(c, f.layout(), KernelAbi.CTAID_BASE_OFFSET, base);
                        }
                        dev.cmdDispatch(c, Math.min(mx, grid.x() - x), Math.min(my, grid.y() - y),
                                Math.min(mz, grid.z() - z));
                        if (x > Integer.MAX_VALUE - mx) break;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ close

    /** Drops queued work that has not started, then closes (context close). */
    void abort() {
        List<Op> dropped;
        synchronized (this) {
            dropped = new ArrayList<>(queue);
            queue.clear();
        }
        for (Op op : dropped) op.cancel();
        close();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (Thread.currentThread() == worker) {
                // closed from its own host callback: the worker ends after the queue and releases then
                closing = true;
                closedByWorker = true;
                return;
            }
            closing = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        release();
    }

    private void release() {
        synchronized (this) {
            if (released) return;
            released = true;
        }
        try {
            if (submitted > 0) {
                while (!dev.waitSemaphore(timeline, submitted, WAIT_SLICE_NANOS)) {
                    // the GPU still runs this stream's work
                }
            }
        } catch (VkException e) {
            // device lost: nothing runs any more
        }
        while (!inFlight.isEmpty()) releaseBatch(inFlight.pollFirst());
        if (batch != null) {
            releaseBatch(batch);
            batch = null;
        }
        spareCommandBuffers.clear();
        dev.destroyCommandPool(commandPool); // frees its command buffers
        ctx.ledger.destroyed(Ledger.Kind.COMMAND_POOL);
        dev.destroySemaphore(timeline);
        ctx.ledger.destroyed(Ledger.Kind.SEMAPHORE);
        ctx.ledger.destroyed(Ledger.Kind.STREAM_THREAD);
        ctx.streamClosed(this);
    }
}
