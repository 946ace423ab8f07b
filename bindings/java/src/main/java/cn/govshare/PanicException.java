package cn.govshare;

/**
 * Status 7, {@code PANIC}: the library panicked (a bug). The call was abandoned; report the {@link #detail()}.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class PanicException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_PANIC}. */
    public static final int CODE = 7;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public PanicException(String detail, String errorJson) {
        super(CODE, "PANIC", detail, errorJson);
    }
}
