package cn.govshare;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The two {@code *_out} slots of one call (the output, and
 * {@code error_out}), zeroed, in one native block freed by {@link #close()}
 * &mdash; deterministically, not when the garbage collector runs. Not shared
 * between threads: one per call.
 */
final class OutSlots implements AutoCloseable {
    private final Memory memory = new Memory(2L * Native.POINTER_SIZE);

    OutSlots() {
        memory.clear(); // the library writes a slot only on the matching outcome
    }

    /** Where the library writes the output (handle, decision, findings). */
    Pointer out() {
        return memory;
    }

    /** Where the library writes the error JSON. */
    Pointer error() {
        return memory.share(Native.POINTER_SIZE);
    }

    Pointer outValue() {
        return memory.getPointer(0);
    }

    Pointer errorValue() {
        return memory.getPointer(Native.POINTER_SIZE);
    }

    @Override
    public void close() {
        memory.close();
    }
}
