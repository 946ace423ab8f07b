package cn.govshare;

/**
 * Status 9, {@code INTERNAL}: an internal error that should not happen, such as a decision that could not be serialized (a bug). Also thrown by the binding if the library reports success without an output.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class InternalException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_INTERNAL}. */
    public static final int CODE = 9;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public InternalException(String detail, String errorJson) {
        super(CODE, "INTERNAL", detail, errorJson);
    }
}
