package cn.govshare;

/**
 * The input limits of the library ({@code GOVSHARE_MAX_*} in
 * {@code include/govshare.h}). The library enforces them and reports
 * {@link LimitExceededException}; a service may use them to refuse an
 * oversized body before reading it all.
 */
public final class Limits {
    private Limits() {}

    /** Largest usage request accepted, in bytes of UTF-8 JSON. */
    public static final int MAX_REQUEST_BYTES = 65_536;

    /** Most data items one request may name. */
    public static final int MAX_REQUEST_ITEMS = 1_024;

    /** Deepest nesting of arrays and objects in a request or a registry (a batch: one more). */
    public static final int MAX_JSON_DEPTH = 32;

    /** Largest registry accepted, in bytes of UTF-8 JSON. */
    public static final long MAX_REGISTRY_BYTES = 1_073_741_824L;

    /** Most requests in one batch. */
    public static final int MAX_BATCH_REQUESTS = 10_000;

    /** Largest batch accepted, in bytes of UTF-8 JSON. */
    public static final long MAX_BATCH_BYTES = 655_360_000L;
}
