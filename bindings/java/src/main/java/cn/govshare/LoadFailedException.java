package cn.govshare;

/**
 * Status 5, {@code LOAD_FAILED}: the policies or the registry cannot be loaded: a policy that does not parse or is refused, a registry that is not in the wire format, a duplicate id, a bad working-day calendar.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class LoadFailedException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /** The status code of {@code GOVSHARE_STATUS_LOAD_FAILED}. */
    public static final int CODE = 5;

    /**
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public LoadFailedException(String detail, String errorJson) {
        super(CODE, "LOAD_FAILED", detail, errorJson);
    }
}
