package cn.govshare;

/**
 * Status 6, {@code LIMIT_EXCEEDED}: an input is over a documented limit (size in bytes, JSON nesting depth, number of items or of batch requests); see {@link Limits}.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class LimitExceededException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_LIMIT_EXCEEDED}. */
    public static final int CODE = 6;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public LimitExceededException(String detail, String errorJson) {
        super(CODE, "LIMIT_EXCEEDED", detail, errorJson);
    }
}
