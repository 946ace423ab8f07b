package cn.govshare;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A govshare engine: the statutory policies of the Government Data Sharing
 * Regulation (政务数据共享条例) plus one registry (catalog and grants),
 * loaded once, deciding usage requests given as JSON. It owns one native
 * {@code govshare_engine} handle.
 *
 * <pre>{@code
 * try (Engine engine = Engine.fromFiles(Path.of("registry.json"))) {
 *     String decision = engine.evaluate(requestJson);   // throws on any failure
 *     if (Decisions.isAllow(decision)) { ... share, then fulfil the obligations ... }
 * }
 * }</pre>
 *
 * <h2>Any exception means deny</h2>
 * A method that returns has made a decision, and the decision JSON says
 * {@code "allow"} or {@code "deny"}. A method that throws made no decision:
 * a {@link GovshareException} (one subclass per library status), an
 * {@link EngineClosedException}, or anything else &mdash; treat every one of
 * them as deny.
 *
 * <h2>Threads</h2>
 * The native handle is immutable, so an engine is meant to be shared: any
 * number of threads may call {@link #evaluate}, {@link #evaluateBatch} and
 * {@link #validateRegistry} on one engine at the same time, and no call takes
 * a lock. Build one engine per registry version and keep it; building one
 * per request would load the policies each time.
 *
 * <h2>Closing</h2>
 * {@link #close()} is idempotent and may be called from any thread, even
 * while other threads are inside a call. The engine keeps a count of calls
 * in flight (one atomic add on entry and one on exit; no lock, so callers
 * never wait for each other or for {@code close}). {@code close} marks the
 * engine closed, so that every later call throws
 * {@link EngineClosedException}, and the native handle is freed by whichever
 * comes last: {@code close} itself when no call is in flight, otherwise the
 * last call to finish. So {@code close} never blocks, and the handle is never
 * freed under a running call. (A read-write lock would also be correct, but
 * makes every call write a shared lock word and makes {@code close} wait;
 * the count suits the reload pattern, where the old engine is closed while
 * requests may still be deciding on it.)
 *
 * <p>An engine that becomes unreachable without being closed is freed by a
 * {@link Cleaner}; that is a safety net, not a substitute for {@code close}.
 *
 * <h2>Text</h2>
 * JSON crosses the boundary as UTF-8 with an explicit length, never in the
 * platform encoding; what the library returns is read as UTF-8, and every
 * string it hands out is freed with {@code govshare_string_free} before the
 * method returns or throws.
 *
 * <h2>Finding the native library</h2>
 * {@code -Dgovshare.library.path=DIR} (or the {@code GOVSHARE_LIBRARY_PATH}
 * environment variable): a folder holding {@code libgovshare.so}, or the
 * library file itself; otherwise JNA's search ({@code -Djna.library.path},
 * {@code LD_LIBRARY_PATH}, the system folders). The library is loaded on the
 * first call that needs it; failing that is an {@link UnsatisfiedLinkError}.
 */
public final class Engine implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Set in {@link #state} once {@link #close()} was called; the low bits count calls in flight. */
    private static final long CLOSED = 1L << 62;

    private final GovshareNative lib;
    private final Pointer handle;
    private final AtomicLong state = new AtomicLong();
    private final Free free;
    private final Cleaner.Cleanable cleanable;

    private Engine(GovshareNative lib, Pointer handle) {
        this.lib = lib;
        this.handle = handle;
        this.free = new Free(lib, handle);
        this.cleanable = CLEANER.register(this, free);
    }

    /** Frees the native handle, at most once; holds no reference to the {@link Engine}. */
    private static final class Free implements Runnable {
        private final GovshareNative lib;
        private final Pointer handle;
        private final AtomicBoolean done = new AtomicBoolean();

        Free(GovshareNative lib, Pointer handle) {
            this.lib = lib;
            this.handle = handle;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                lib.govshare_engine_free(handle);
            }
        }
    }

    // ---------------------------------------------------------------- building

    /**
     * An engine with the statutory policies compiled into the library and a
     * registry given as JSON text.
     *
     * @throws GovshareException when the registry or the policies do not load
     *     ({@link InvalidJsonException}, {@link LoadFailedException},
     *     {@link LimitExceededException}, {@link IoException}, ...)
     */
    public static Engine fromRegistryJson(String registryJson) {
        return fromRegistryJson(registryJson, null);
    }

    /**
     * An engine with the policies of {@code policiesDir} (a folder laid out
     * like the repository's {@code policies/}), or the compiled-in statutory
     * policies when it is {@code null}, and a registry given as JSON text.
     */
    public static Engine fromRegistryJson(String registryJson, Path policiesDir) {
        Objects.requireNonNull(registryJson, "registryJson");
        return fromRegistryJson(Utf8.encode(registryJson, "the registry"), policiesDir);
    }

    /**
     * As {@link #fromRegistryJson(String, Path)}, from the registry's UTF-8
     * bytes (read from a file or a database without decoding them). The
     * library copies what it needs; the array stays the caller's.
     */
    public static Engine fromRegistryJson(byte[] registryUtf8, Path policiesDir) {
        Objects.requireNonNull(registryUtf8, "registryUtf8");
        GovshareNative lib = NativeLoader.get();
        byte[] dir = policiesDir == null ? null : Utf8.cPath(policiesDir, "the policies folder");
        try (OutSlots slots = new OutSlots()) {
            int status = lib.govshare_engine_new(dir, nonEmpty(registryUtf8), new SizeT(registryUtf8.length),
                    slots.out(), slots.error());
            return built(lib, status, slots);
        }
    }

    /** An engine with the compiled-in statutory policies and a registry file. */
    public static Engine fromFiles(Path registryFile) {
        return fromFiles(registryFile, null);
    }

    /**
     * An engine with the policies of {@code policiesDir} (or the compiled-in
     * statutory policies when {@code null}) and a registry file.
     *
     * @throws IoException when a file cannot be read
     */
    public static Engine fromFiles(Path registryFile, Path policiesDir) {
        Objects.requireNonNull(registryFile, "registryFile");
        GovshareNative lib = NativeLoader.get();
        byte[] dir = policiesDir == null ? null : Utf8.cPath(policiesDir, "the policies folder");
        byte[] registry = Utf8.cPath(registryFile, "the registry path");
        try (OutSlots slots = new OutSlots()) {
            int status = lib.govshare_engine_new_from_files(dir, registry, slots.out(), slots.error());
            return built(lib, status, slots);
        }
    }

    private static Engine built(GovshareNative lib, int status, OutSlots slots) {
        Pointer handle = slots.outValue();
        String error = take(lib, slots.errorValue());
        if (status != 0) {
            if (handle != null) {
                lib.govshare_engine_free(handle); // the ABI says it is untouched; be safe anyway
            }
            throw GovshareException.fromStatus(status, error);
        }
        if (handle == null) {
            throw new InternalException("govshare_engine_new returned OK without a handle", null);
        }
        return new Engine(lib, handle);
    }

    // ---------------------------------------------------------------- deciding

    /**
     * Decides one usage request.
     *
     * @param requestJson the request in the wire format
     * @return the decision JSON, {@code {"decision": "allow" | "deny",
     *     "reasons": […], "obligations": […], …}}; it may well be a deny
     *     (see {@link Decisions#isAllow})
     * @throws GovshareException when no decision was made (a malformed request
     *     is {@link InvalidRequestException}, {@link InvalidJsonException},
     *     {@link InvalidUtf8Exception} or {@link LimitExceededException}):
     *     <strong>deny</strong>
     * @throws EngineClosedException after {@link #close()}: <strong>deny</strong>
     */
    public String evaluate(String requestJson) {
        Objects.requireNonNull(requestJson, "requestJson");
        return evaluate(Utf8.encode(requestJson, "the request"));
    }

    /**
     * As {@link #evaluate(String)}, from the request's UTF-8 bytes (an HTTP
     * body, say, without decoding it first). Bytes that are not UTF-8 are
     * {@link InvalidUtf8Exception}. The array stays the caller's.
     */
    public String evaluate(byte[] requestUtf8) {
        Objects.requireNonNull(requestUtf8, "requestUtf8");
        return call(EVALUATE, requestUtf8);
    }

    /**
     * Decides a batch: a JSON array of requests in, a JSON array of decisions
     * out, in the same order.
     *
     * <p>All or nothing: if one request is malformed, nothing is decided and
     * the exception's {@link GovshareException#batchIndex()} names it.
     * <strong>Any exception: treat every request of the batch as
     * denied.</strong>
     */
    public String evaluateBatch(String requestsJsonArray) {
        Objects.requireNonNull(requestsJsonArray, "requestsJsonArray");
        return evaluateBatch(Utf8.encode(requestsJsonArray, "the batch"));
    }

    /** As {@link #evaluateBatch(String)}, from the array's UTF-8 bytes. */
    public String evaluateBatch(byte[] requestsUtf8) {
        Objects.requireNonNull(requestsUtf8, "requestsUtf8");
        return call(EVALUATE_BATCH, requestsUtf8);
    }

    /**
     * Checks this engine's registry against the Regulation (catalog
     * validation).
     *
     * @return a JSON array of findings, {@code []} when there is nothing to
     *     report: {@code {"code": "CAT-…", "severity": "error" | "warning",
     *     "articles": […], "subject": {…}, "zh": "…", "en": "…"}}
     */
    public String validateRegistry() {
        return call(VALIDATE, null);
    }

    /** The version of the native library, such as {@code 0.1.0}. */
    public static String version() {
        return Utf8.read(NativeLoader.get().govshare_version());
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Closes the engine: every later call throws {@link EngineClosedException}.
     * Idempotent, thread-safe, never blocks. Calls already in flight finish
     * normally; the native handle is freed when the last of them returns (or
     * here, when there is none).
     */
    @Override
    public void close() {
        long before = state.getAndUpdate(s -> s | CLOSED);
        if (before == 0) { // was open, with no call in flight
            cleanable.clean();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Whether the native handle was freed (closed, and no call in flight). For tests. */
    boolean isFreed() {
        return free.done.get();
    }

    @Override
    public String toString() {
        return "govshare Engine[" + (isClosed() ? (isFreed() ? "closed" : "closing") : "open") + "]";
    }

    private void enter() {
        // One atomic add, no compare-and-swap loop: a call that finds the
        // engine closed undoes its increment through exit().
        if ((state.getAndIncrement() & CLOSED) != 0) {
            exit();
            throw new EngineClosedException();
        }
    }

    private void exit() {
        if (state.decrementAndGet() == CLOSED) {
            cleanable.clean(); // closed, and this was the last call in flight
        }
    }

    // ---------------------------------------------------------------- calls

    private static final int EVALUATE = 0;
    private static final int EVALUATE_BATCH = 1;
    private static final int VALIDATE = 2;

    private String call(int function, byte[] input) {
        enter();
        try (OutSlots slots = new OutSlots()) {
            int status;
            switch (function) {
                case EVALUATE:
                    status = lib.govshare_engine_evaluate(handle, nonEmpty(input), new SizeT(input.length),
                            slots.out(), slots.error());
                    break;
                case EVALUATE_BATCH:
                    status = lib.govshare_engine_evaluate_batch(handle, nonEmpty(input),
                            new SizeT(input.length), slots.out(), slots.error());
                    break;
                default:
                    status = lib.govshare_engine_validate_registry(handle, slots.out(), slots.error());
                    break;
            }
            return result(lib, status, slots.outValue(), slots.errorValue());
        } finally {
            exit();
            // The handle lives in this object; keep it reachable until the
            // native call is over, so the Cleaner cannot free it mid-call.
            Reference.reachabilityFence(this);
        }
    }

    /** The output of a call, or its exception; frees both strings either way. */
    private static String result(GovshareNative lib, int status, Pointer output, Pointer error) {
        String text;
        String errorJson;
        try {
            text = take(lib, output);
        } finally {
            errorJson = take(lib, error);
        }
        if (status != 0) {
            throw GovshareException.fromStatus(status, errorJson);
        }
        if (text == null) {
            throw new InternalException("the library returned OK without an output", null);
        }
        return text;
    }

    /** Reads a string the library handed out, then frees it (even if reading fails). */
    private static String take(GovshareNative lib, Pointer string) {
        if (string == null) {
            return null;
        }
        try {
            return Utf8.read(string);
        } finally {
            lib.govshare_string_free(string);
        }
    }

    /**
     * An empty input must reach the library as a valid pointer with length 0,
     * so that it is judged as (invalid) JSON; a NULL pointer would be
     * NULL_PARAMETER. JNA 5.13 passes an empty array as a non-NULL pointer,
     * but that is not a documented guarantee (nor one of JNI), so an empty
     * input is passed as a one-byte array with length 0.
     */
    private static byte[] nonEmpty(byte[] input) {
        return input.length == 0 ? new byte[1] : input;
    }
}
