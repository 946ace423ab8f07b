package cn.govshare;

/**
 * Status 3, {@code INVALID_JSON}: a JSON input does not parse as JSON (syntax error, truncated input, trailing characters).
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class InvalidJsonException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_INVALID_JSON}. */
    public static final int CODE = 3;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public InvalidJsonException(String detail, String errorJson) {
        super(CODE, "INVALID_JSON", detail, errorJson);
    }
}
