package cn.govshare;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The C ABI of {@code include/govshare.h}, one method per function, mapped
 * through JNA interface mapping. Package-private: hosts use {@link Engine}.
 *
 * <p>Mapping rules, chosen so that no text crosses the boundary in JNA's
 * default platform encoding:
 * <ul>
 *   <li>{@code govshare_status} (a {@code uint32_t}) is an {@code int}; a
 *       number at or above 2<sup>31</sup> shows up negative and is treated
 *       as unknown.</li>
 *   <li>JSON inputs are {@code byte[]} holding UTF-8, with an explicit
 *       {@link SizeT} length; they are not NUL-terminated.</li>
 *   <li>Paths are {@code byte[]} holding NUL-terminated UTF-8 (built by
 *       {@link Utf8#cPath}); {@code null} passes a C {@code NULL}.</li>
 *   <li>Every {@code char *} the library returns is a {@link Pointer}, read
 *       as UTF-8 and then given back to {@code govshare_string_free}; the
 *       static strings ({@code govshare_version}, {@code govshare_status_*})
 *       are read and never freed.</li>
 *   <li>The engine handle is an opaque {@link Pointer}.</li>
 *   <li>Each {@code *_out} parameter ({@code char **},
 *       {@code govshare_engine **}) is a {@link Pointer} to a pointer-sized
 *       slot that the caller zeroes first, inside one
 *       {@link com.sun.jna.Memory} block per call that is closed as soon as
 *       the call is over ({@link OutSlots}). JNA's {@code PointerByReference}
 *       would do, but its native memory is only freed once the garbage
 *       collector gets to it.</li>
 * </ul>
 */
interface GovshareNative extends Library {
    Pointer govshare_version();

    Pointer govshare_status_name(int status);

    Pointer govshare_status_message(int status);

    int govshare_engine_new(byte[] policiesDir, byte[] registryJson, SizeT registryLen,
            Pointer engineOut, Pointer errorOut);

    int govshare_engine_new_from_files(byte[] policiesDir, byte[] registryPath,
            Pointer engineOut, Pointer errorOut);

    int govshare_engine_evaluate(Pointer engine, byte[] requestJson, SizeT requestLen,
            Pointer decisionOut, Pointer errorOut);

    int govshare_engine_evaluate_batch(Pointer engine, byte[] requestsJson, SizeT requestsLen,
            Pointer decisionsOut, Pointer errorOut);

    int govshare_engine_validate_registry(Pointer engine, Pointer findingsOut,
            Pointer errorOut);

    void govshare_engine_free(Pointer engine);

    void govshare_string_free(Pointer string);
}
