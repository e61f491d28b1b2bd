package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaStream;
import org.transcuda.ir.Module;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendInfo;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.DeviceProperties;

/**
 * A freed address handed out again at once to another host thread's allocation (a real allocator does this): the
 * front end's bookkeeping of the new allocation must survive the end of the old one's free. The backend here
 * reuses the last freed address and, inside {@code free}, right after releasing it, lets another thread allocate,
 * so the interleaving that streams on several threads hit only now and then happens every time.
 */
class AddressReuseTest {
    /** Addresses from a LIFO free list, so the next allocation after a free gets the freed address. */
    static final class ReusingContext implements BackendContext {
        final BackendContext host = new CudaPlatformTest.HostContext();
        final ArrayDeque<Long> freed = new ArrayDeque<>();
        final Set<Long> live = new HashSet<>();
        long next = 0x10000;
        volatile Runnable afterRelease;

        @Override
        public synchronized long allocate(long bytes) {
            long a = freed.isEmpty() ? (next += 0x10000) : freed.pop();
            live.add(a);
            return a;
        }

        @Override
        public void free(long address) throws BackendException {
            synchronized (this) {
                if (!live.remove(address)) {
                    throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "not an allocation");
                }
                freed.push(address);
            }
            Runnable r = afterRelease;
            afterRelease = null;
            if (r != null) r.run();
        }

        @Override
        public synchronized long allocatedBytes() {
            return live.size();
        }

        @Override
        public BackendModule loadModule(Module module) throws BackendException {
            return host.loadModule(module);
        }

        @Override
        public BackendStream createStream() throws BackendException {
            return host.createStream();
        }

        @Override
        public void synchronize() {
        }

        @Override
        public void close() {
            host.close();
        }
    }

    private final CudaPlatform platform = new CudaPlatform();
    private final ReusingContext backend = new ReusingContext();
    private CudaContext ctx;

    @SuppressWarnings("unchecked")
    @BeforeEach
    void setUp() throws Exception {
        Backend fake = new CudaPlatformTest.Fake("reuse", 1, 1);
        BackendDevice device = fake.devices().get(0);
        Backend reusing = new Backend() {
            @Override
            public BackendInfo info() {
                return fake.info();
            }

            @Override
            public List<? extends BackendDevice> devices() {
                return List.of(new BackendDevice() {
                    @Override
                    public DeviceProperties properties() {
                        return device.properties();
                    }

                    @Override
                    public BackendContext createContext() {
                        return backend;
                    }
                });
            }
        };
        platform.bindBackend(reusing, Map.of("service.ranking", 0, "service.id", 1L),
                (ServiceReference<Backend>) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {ServiceReference.class}, (p, m, a) -> null));
        ctx = platform.device(0).createContext();
    }

    @AfterEach
    void tearDown() throws Exception {
        ctx.close();
    }

    /** On the next release, another thread allocates {@code bytes}; its pointer (or failure) lands in {@code out}. */
    private void allocateOnAnotherThreadAfterRelease(long bytes, AtomicLong out, AtomicReference<Throwable> failure) {
        backend.afterRelease = () -> {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    out.set(ctx.malloc(bytes));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void anAllocationAtTheAddressThatFreeJustReleasedStaysLive() throws Exception {
        long p = ctx.malloc(1024);
        AtomicLong q = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        allocateOnAnotherThreadAfterRelease(4096, q, failure);
        ctx.free(p);
        assertEquals(null, failure.get());
        assertEquals(p, q.get(), "the backend handed the freed address out again");
        assertArrayEquals(new long[] {q.get(), 4096}, ctx.addressRange(q.get() + 100));
        CudaStream s = ctx.createStream(CudaStream.NON_BLOCKING);
        s.freeAsync(q.get());
        s.synchronize();
        assertEquals(0, backend.allocatedBytes());
    }

    @Test
    void anAllocationAtTheAddressThatFreeAsyncJustReleasedStaysLive() throws Exception {
        CudaStream s = ctx.createStream(CudaStream.NON_BLOCKING);
        long p = s.mallocAsync(1024);
        AtomicLong q = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        allocateOnAnotherThreadAfterRelease(4096, q, failure);
        s.freeAsync(p);
        s.synchronize();
        assertEquals(null, failure.get());
        assertEquals(p, q.get(), "the backend handed the freed address out again");
        assertArrayEquals(new long[] {q.get(), 4096}, ctx.addressRange(q.get() + 100));
        // The new allocation may be freed with cuMemFreeAsync too: the old free's bookkeeping is gone.
        s.freeAsync(q.get());
        s.synchronize();
        assertEquals(0, backend.allocatedBytes());
    }
}
