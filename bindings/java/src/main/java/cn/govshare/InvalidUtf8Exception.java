package cn.govshare;

/**
 * Status 2, {@code INVALID_UTF8}: a text input (JSON or a path) is not valid UTF-8. Also thrown by the binding itself, before any native call, for a Java {@link String} holding a lone UTF-16 surrogate, which has no UTF-8 form.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class InvalidUtf8Exception extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_INVALID_UTF8}. */
    public static final int CODE = 2;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public InvalidUtf8Exception(String detail, String errorJson) {
        super(CODE, "INVALID_UTF8", detail, errorJson);
    }
}
