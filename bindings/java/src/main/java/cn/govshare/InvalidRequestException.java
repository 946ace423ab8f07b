package cn.govshare;

/**
 * Status 4, {@code INVALID_REQUEST}: a usage request, or a batch of them, is JSON but not in the wire format (unknown, duplicate or missing key, wrong type, bad id or timestamp, {@code access} without {@code method}, a batch that is not an array). A malformed request is never decided. For a batch, {@link #batchIndex()} names the refused request.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class InvalidRequestException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_INVALID_REQUEST}. */
    public static final int CODE = 4;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public InvalidRequestException(String detail, String errorJson) {
        super(CODE, "INVALID_REQUEST", detail, errorJson);
    }
}
