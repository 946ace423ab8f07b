package cn.govshare;

/**
 * Status 8, {@code IO}: a file or folder could not be read (missing, permissions): the registry file, or a file of the policies folder.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class IoException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_IO}. */
    public static final int CODE = 8;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public IoException(String detail, String errorJson) {
        super(CODE, "IO", detail, errorJson);
    }
}
