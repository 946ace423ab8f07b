package cn.govshare;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/**
 * C {@code size_t} for JNA: as wide as the platform's ({@link Native#SIZE_T_SIZE}),
 * unsigned. JNA has no built-in mapping for it, and a Java {@code long} would
 * be wrong on a 32-bit platform.
 *
 * <p>Public only because JNA builds instances of it by reflection; hosts have
 * no use for it.
 */
public final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    /** Zero; JNA needs a public no-argument constructor. */
    public SizeT() {
        this(0);
    }

    /** @param value a non-negative length */
    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }
}
