package cn.govshare;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Text to and from the C ABI: always UTF-8, never the platform encoding. */
final class Utf8 {
    private Utf8() {}

    /**
     * Encodes {@code text} as UTF-8, refusing a lone UTF-16 surrogate:
     * {@link String#getBytes(java.nio.charset.Charset)} would silently put a
     * {@code ?} in its place, so the library would decide on text the caller
     * never sent.
     *
     * @throws InvalidUtf8Exception on a lone surrogate (the Java side of the
     *     library's {@code INVALID_UTF8})
     */
    static byte[] encode(String text, String what) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new InvalidUtf8Exception(what + " holds a lone UTF-16 surrogate at char index " + i
                        + ", which has no UTF-8 encoding (refused by the Java binding)", null);
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A path as the NUL-terminated UTF-8 the C ABI expects. The path is made
     * absolute against Java's working folder ({@code user.dir}) first, so
     * Java and the library agree on which file is meant.
     */
    static byte[] cPath(Path path, String what) {
        byte[] text = encode(path.toAbsolutePath().toString(), what);
        for (byte b : text) {
            if (b == 0) {
                // C would silently read a shorter path.
                throw new IllegalArgumentException(what + " holds a NUL character");
            }
        }
        byte[] terminated = new byte[text.length + 1];
        System.arraycopy(text, 0, terminated, 0, text.length);
        return terminated;
    }

    /** Reads a NUL-terminated UTF-8 string; {@code null} for a NULL pointer. */
    static String read(Pointer pointer) {
        return pointer == null ? null : pointer.getString(0, StandardCharsets.UTF_8.name());
    }
}
