package cn.govshare;

/**
 * Status 1, {@code NULL_PARAMETER}: a required pointer parameter was NULL. The binding never passes one, so this points at a bug in the binding or the library.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class NullParameterException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_NULL_PARAMETER}. */
    public static final int CODE = 1;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public NullParameterException(String detail, String errorJson) {
        super(CODE, "NULL_PARAMETER", detail, errorJson);
    }
}
