package org.transcuda.launcher.nativeabi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace file is Chrome trace-event JSON after every event, with arguments named as functions.txt names them. */
class TraceTest {
    /** Gson's adapters read strictly (JsonParser would accept malformed numbers). */
    private static final TypeAdapter<JsonElement> STRICT = new Gson().getAdapter(JsonElement.class);

    private static JsonArray events(Path file) throws Exception {
        return STRICT.fromJson(Files.readString(file)).getAsJsonObject().getAsJsonArray("traceEvents");
    }

    @Test
    void validJsonAfterEveryEvent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json");
        Trace trace = Trace.to(file.toString());
        assertEquals(0, events(file).size());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(8L * Args.MAX, 8);
            block.setAtIndex(ValueLayout.JAVA_LONG, 0, 0xabcL);
            block.setAtIndex(ValueLayout.JAVA_LONG, 1, 0x1000L);
            block.setAtIndex(ValueLayout.JAVA_LONG, 2, 4000);
            block.setAtIndex(ValueLayout.JAVA_LONG, 3, 1);
            long t0 = trace.now();
            trace.log(Fn.cudaMemcpy, new Args(block.address()), 0, t0, t0 + 1500);
            JsonArray e = events(file);
            assertEquals(2, e.size(), e.toString()); // the thread's name, then the call
            assertEquals("M", e.get(0).getAsJsonObject().get("ph").getAsString());
            JsonObject call = e.get(1).getAsJsonObject();
            assertEquals("cudaMemcpy", call.get("name").getAsString());
            assertEquals("copy", call.get("cat").getAsString());
            assertEquals(1.5, call.get("dur").getAsDouble(), 1e-9);
            JsonObject args = call.getAsJsonObject("args");
            assertEquals("0xabc", args.get("dst").getAsString());
            assertEquals("0x1000", args.get("src").getAsString());
            assertEquals(4000, args.get("count").getAsLong());
            assertEquals(1, args.get("kind").getAsInt());
            assertEquals(0, args.get("result").getAsInt());

            trace.log(Fn.cudaDeviceSynchronize, new Args(block.address()), 700, t0 + 10_000, t0 + 10_001);
            trace.streamSpan(this, "stream \"quoted\"\n", "_Z6kernelv", "kernel", t0 + 2_000, t0 + 102_000);
            trace.streamSpan(this, "ignored", "early", "kernel", t0 - 5_000_000_000L, t0 - 4_999_000_000L); // before the trace began
            e = events(file);
            assertEquals(6, e.size(), e.toString());
            assertEquals("sync", e.get(2).getAsJsonObject().get("cat").getAsString());
            assertEquals(700, e.get(2).getAsJsonObject().getAsJsonObject("args").get("result").getAsInt());
            assertEquals("stream \"quoted\"\n",
                    e.get(3).getAsJsonObject().getAsJsonObject("args").get("name").getAsString());
            assertEquals(100.0, e.get(4).getAsJsonObject().get("dur").getAsDouble(), 1e-9);
            assertEquals(1000.0, e.get(5).getAsJsonObject().get("dur").getAsDouble(), 1e-9);
            assertEquals(-1, Math.signum(e.get(5).getAsJsonObject().get("ts").getAsDouble()), 0.0);
        }
    }
}
