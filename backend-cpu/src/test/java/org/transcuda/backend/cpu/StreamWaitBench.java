package org.transcuda.backend.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.transcuda.spi.host.HostStream;

/**
 * The CPU a {@link HostStream}'s waiting threads spend per item in a fresh JVM (not a test): the caller enqueues an
 * item that busy-runs {@code W} µs on the stream's thread, synchronizes, then busy-runs {@code G} µs itself (the
 * program's work between launches), {@code N} times. Prints per item the caller's and the stream thread's CPU minus
 * their busy work (the cost of enqueue, synchronize and the stream's idle loop), and the wall time minus both.
 * Usage: {@code StreamWaitBench N W G}.
 */
public final class StreamWaitBench {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    static void busy(long us) {
        long end = System.nanoTime() + us * 1000;
        while (System.nanoTime() < end) {
            // spin
        }
    }

    static long streamCpu() {
        long[] ids = T.getAllThreadIds();
        ThreadInfo[] info = T.getThreadInfo(ids);
        long s = 0;
        for (int i = 0; i < ids.length; i++) {
            if (info[i] != null && info[i].getThreadName().startsWith("swb-")) s += T.getThreadCpuTime(ids[i]);
        }
        return s;
    }

    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        long w = Long.parseLong(a[1]), g = Long.parseLong(a[2]);
        double[] caller = new double[n], stream = new double[n], wall = new double[n];
        try (HostStream s = new HostStream("swb")) {
            s.enqueue(() -> { });
            s.synchronize();
            for (int i = 0; i < n; i++) {
                long sc0 = streamCpu();
                long c0 = T.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                s.enqueue(() -> busy(w));
                s.synchronize();
                busy(g);
                long c1 = T.getCurrentThreadCpuTime(), t1 = System.nanoTime();
                long sc1 = streamCpu();
                caller[i] = (c1 - c0) / 1e3 - g;
                stream[i] = (sc1 - sc0) / 1e3 - w;
                wall[i] = (t1 - t0) / 1e3 - w - g;
            }
            System.out.printf(Locale.ROOT, "SWB items %d work %d gap %d: per item, beyond the busy work: caller %.1f us, stream %.1f us, wall %.1f us%n",
                    n, w, g, med(caller), med(stream), med(wall));
        }
    }

    static double med(double[] v) {
        double[] t = Arrays.copyOfRange(v, Math.min(5, v.length - 1), v.length);
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
