package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RecentMap}: the compiler's per-kernel diagnostics stay bounded when ever new kernel names are compiled, keep
 * the most recently written or read names, and still answer for the kernel just compiled (what the tests read).
 */
class RecentMapTest {
    @Test
    void boundedToTheMostRecentKeys() {
        Map<String, Integer> m = RecentMap.of(8);
        for (int i = 0; i < 100; i++) m.put("k" + i, i);
        assertEquals(8, m.size());
        for (int i = 92; i < 100; i++) assertEquals(i, m.get("k" + i));
        assertFalse(m.containsKey("k91"));
        // a key written again (a kernel compiled again) or read becomes the most recent and survives the next puts
        m.put("k92", -1);
        m.get("k93");
        for (int i = 100; i < 106; i++) m.put("k" + i, i);
        assertEquals(-1, m.get("k92"));
        assertEquals(93, m.get("k93"));
        assertFalse(m.containsKey("k94"));
        assertEquals(8, m.size());
    }

    @Test
    void compilerDiagnosticsDoNotGrowWithNewKernelNames() {
        int before = AffineRegs.SKIPPED.size();
        for (int i = 0; i < 3000; i++) AffineRegs.SKIPPED.put("recentMapTest_" + i, i);
        assertTrue(AffineRegs.SKIPPED.size() <= 1024, "size " + AffineRegs.SKIPPED.size() + " (before " + before + ")");
        assertEquals(2999, AffineRegs.SKIPPED.get("recentMapTest_2999"));
    }
}
