package org.transcuda.itest.testbackend;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendInfo;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.DeviceProperties;
import org.transcuda.spi.LaunchConfig;
import org.transcuda.spi.host.HostMemory;
import org.transcuda.spi.host.HostBackendStream;

/**
 * Host-memory backend whose only kernel is {@code iota(u64 out, u32 n, u32 mul)}: {@code out[i] = i * mul}
 * for every global thread index {@code i < n}, executed thread by thread in Java. Each launch also takes a
 * millisecond so that launches are in flight when the bundle goes away.
 */
final class TestBackend implements Backend {
    private final BackendInfo info;
    private final Map<String, AtomicLong> ledger;
    private final Device device = new Device();
    private final Set<Context> contexts = ConcurrentHashMap.newKeySet();

    TestBackend(String version, Map<String, AtomicLong> ledger) {
        this.info = new BackendInfo("testbe", "Test backend", "Transcuda tests", version, List.of());
        this.ledger = ledger;
    }

    private void count(String key, long delta) {
        AtomicLong c = ledger.get(key);
        if (c != null) c.addAndGet(delta);
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    @Override
    public List<Device> devices() {
        return List.of(device);
    }

    void closeAll() {
        for (Context c : contexts) c.close();
    }

    final class Device implements BackendDevice {
        private final DeviceProperties properties = new DeviceProperties("Test device", UUID.randomUUID(),
                1L << 30, 8, 0, 4, 1024, new Dim3(1024, 1024, 64), new Dim3(65535, 65535, 65535), 48 * 1024,
                64 * 1024, 32, 65536, 1000, 1000, 64, 0, true, -1);

        @Override
        public DeviceProperties properties() {
            return properties;
        }

        @Override
        public BackendContext createContext() {
            Context c = new Context();
            contexts.add(c);
            count("contexts", 1);
            return c;
        }
    }

    final class Context implements BackendContext {
        private final HostMemory memory = new HostMemory(1L << 30);
        private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        private void check() throws BackendException {
            if (closed) throw new BackendException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, "closed");
        }

        @Override
        public long allocate(long bytes) throws BackendException {
            check();
            long a = memory.allocate(bytes);
            count("allocations", 1);
            return a;
        }

        @Override
        public void free(long address) throws BackendException {
            check();
            memory.free(address);
            count("allocations", -1);
        }

        @Override
        public long allocatedBytes() {
            return memory.allocatedBytes();
        }

        @Override
        public BackendModule loadModule(Module module) throws BackendException {
            check();
            return new BackendModule() {
                @Override
                public BackendFunction function(String name) throws BackendException {
                    Function f = module.function(name).orElseThrow(() ->
                            new BackendException(CUresult.CUDA_ERROR_NOT_FOUND, "no kernel " + name));
                    if (!name.equals("iota")) {
                        throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "test backend runs only iota");
                    }
                    return new BackendFunction() {
                        @Override
                        public Function ir() {
                            return f;
                        }

                        @Override
                        public int maxThreadsPerBlock() {
                            return 1024;
                        }

                        @Override
                        public int staticSharedBytes() {
                            return 0;
                        }
                    };
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public BackendStream createStream() throws BackendException {
            check();
            Stream s = new Stream();
            streams.add(s);
            return s;
        }

        @Override
        public void synchronize() throws BackendException {
            check();
            for (Stream s : streams) s.synchronize();
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            for (Stream s : streams) s.abort();
            streams.clear();
            count("allocations", -memory.liveAllocations());
            memory.close();
            contexts.remove(this);
            count("contexts", -1);
        }

        final class Stream extends HostBackendStream {
            Stream() {
                super(Context.this.memory, "transcuda-testbe-stream");
            }

            @Override
            public void launch(BackendFunction function, LaunchConfig config, MemorySegment args)
                    throws BackendException {
                long out = args.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                int n = args.get(ValueLayout.JAVA_INT_UNALIGNED, 8);
                int mul = args.get(ValueLayout.JAVA_INT_UNALIGNED, 12);
                long threads = config.grid().volume() * config.block().volume();
                queue.enqueue(() -> {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (long i = 0; i < Math.min(threads, n); i++) {
                        MemorySegment cell = memory.resolve(out + 4 * i, 4, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS);
                        cell.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) (i * mul));
                    }
                });
            }

            @Override
            public void close() {
                super.close();
                streams.remove(this);
            }
        }
    }
}
