package cn.govshare;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds and loads {@code libgovshare} once per class loader, on first use.
 *
 * <p>Where it looks, in order:
 * <ol>
 *   <li>the system property {@value #PROPERTY}, else the environment
 *       variable {@value #ENV}: a folder holding {@code libgovshare.so}
 *       ({@code govshare.dll}, {@code libgovshare.dylib}), or the full path
 *       of the library file itself;</li>
 *   <li>then JNA's own search: the {@code jna.library.path} system
 *       property, the system's library path ({@code LD_LIBRARY_PATH},
 *       {@code ldconfig}), and the class path.</li>
 * </ol>
 *
 * <p>A failure is an {@link UnsatisfiedLinkError} naming what was tried; it
 * is not cached, so a later call tries again.
 */
final class NativeLoader {
    static final String PROPERTY = "govshare.library.path";
    static final String ENV = "GOVSHARE_LIBRARY_PATH";
    private static final String NAME = "govshare";

    private static volatile GovshareNative library;

    private NativeLoader() {}

    static GovshareNative get() {
        GovshareNative loaded = library;
        if (loaded == null) {
            synchronized (NativeLoader.class) {
                loaded = library;
                if (loaded == null) {
                    loaded = load();
                    library = loaded;
                }
            }
        }
        return loaded;
    }

    /**
     * For tests only: puts a wrapper around the library (the test suite
     * audits every call with it). Engines built earlier keep the old one.
     */
    static synchronized void wrapForTesting(java.util.function.UnaryOperator<GovshareNative> wrapper) {
        library = wrapper.apply(get());
    }

    private static GovshareNative load() {
        String configured = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
            source = ENV;
        }
        String name = NAME;
        if (configured != null && !configured.isBlank()) {
            Path path;
            try {
                path = Path.of(configured).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw linkError(source + "=" + configured + " is not a path", e);
            }
            if (Files.isDirectory(path)) {
                NativeLibrary.addSearchPath(NAME, path.toString());
            } else if (Files.isRegularFile(path)) {
                name = path.toString();
            } else {
                throw linkError(source + "=" + configured
                        + " is neither a folder holding the govshare library nor the library file", null);
            }
        }
        GovshareNative loaded;
        try {
            // OPTION_STRING_ENCODING only matters if a String ever crossed the
            // boundary; none does (see GovshareNative), but a default of UTF-8
            // is the safe one.
            loaded = Native.load(name, GovshareNative.class,
                    Map.of(Library.OPTION_STRING_ENCODING, StandardCharsets.UTF_8.name()));
        } catch (UnsatisfiedLinkError e) {
            throw linkError("cannot load the govshare library '" + name + "' (set -D" + PROPERTY
                    + " or " + ENV + " to the folder holding it, or -Djna.library.path)", e);
        }
        // Fail now, not at the first decision, if this is some other library.
        Pointer version = loaded.govshare_version();
        if (version == null) {
            throw linkError("'" + name + "' returned no version: not the govshare library", null);
        }
        return loaded;
    }

    private static UnsatisfiedLinkError linkError(String message, Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(message);
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }
}
