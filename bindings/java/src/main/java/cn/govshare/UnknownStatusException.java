package cn.govshare;

/**
 * The library returned a status number this binding does not know (a newer
 * library than the binding). The C ABI promises that numbers are only ever
 * appended, and that a host treats an unknown one as an error.
 *
 * <p><strong>No decision was made: treat it as deny.</strong>
 */
public final class UnknownStatusException extends GovshareException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the status number
     * @param statusName the library's name for it ({@code UNKNOWN} if it has none)
     * @param detail what went wrong
     * @param errorJson the library's error JSON, or {@code null}
     */
    public UnknownStatusException(int code, String statusName, String detail, String errorJson) {
        super(code, statusName, detail, errorJson);
    }
}
