package cn.govshare;

import java.util.OptionalInt;

/**
 * A govshare call failed: no decision was made. <strong>Any exception means
 * deny</strong> &mdash; this one, its subclasses, and any other exception or
 * error thrown out of an {@link Engine} method. Only a decision JSON whose
 * {@code "decision"} is {@code "allow"} ever allows a use.
 *
 * <p>There is one final subclass per {@code govshare_status} of
 * {@code include/govshare.h}, so a host can log or count failures by kind,
 * plus {@link UnknownStatusException} for a number this binding does not
 * know (a newer library):
 *
 * <table>
 *   <caption>status to exception</caption>
 *   <tr><th>code</th><th>status</th><th>exception</th></tr>
 *   <tr><td>1</td><td>NULL_PARAMETER</td><td>{@link NullParameterException}</td></tr>
 *   <tr><td>2</td><td>INVALID_UTF8</td><td>{@link InvalidUtf8Exception}</td></tr>
 *   <tr><td>3</td><td>INVALID_JSON</td><td>{@link InvalidJsonException}</td></tr>
 *   <tr><td>4</td><td>INVALID_REQUEST</td><td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>5</td><td>LOAD_FAILED</td><td>{@link LoadFailedException}</td></tr>
 *   <tr><td>6</td><td>LIMIT_EXCEEDED</td><td>{@link LimitExceededException}</td></tr>
 *   <tr><td>7</td><td>PANIC</td><td>{@link PanicException}</td></tr>
 *   <tr><td>8</td><td>IO</td><td>{@link IoException}</td></tr>
 *   <tr><td>9</td><td>INTERNAL</td><td>{@link InternalException}</td></tr>
 *   <tr><td>other</td><td>UNKNOWN</td><td>{@link UnknownStatusException}</td></tr>
 * </table>
 *
 * <p><b>Unchecked, on purpose.</b> A failure cannot turn into an allow
 * whether or not it is caught: the method that would have returned the
 * decision does not return. An unchecked exception keeps that property
 * through lambdas, streams and framework code (a Spring controller turns it
 * into an error response), and lets a host put the one catch-all that
 * converts a failure into a logged deny in a single place (see
 * {@code GovshareGate} in the examples), instead of a {@code catch} at every
 * call that might be written to carry on.
 */
public abstract sealed class GovshareException extends RuntimeException
        permits NullParameterException, InvalidUtf8Exception, InvalidJsonException,
                InvalidRequestException, LoadFailedException, LimitExceededException,
                PanicException, IoException, InternalException, UnknownStatusException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String statusName;
    private final String detail;
    private final int batchIndex;
    private final String errorJson;

    GovshareException(int code, String statusName, String detail, String errorJson) {
        super(statusName + " (" + Integer.toUnsignedString(code) + "): " + detail);
        this.code = code;
        this.statusName = statusName;
        this.detail = detail;
        this.errorJson = errorJson;
        Long index = TopLevel.integer(errorJson, "index");
        this.batchIndex = index != null && index >= 0 && index <= Integer.MAX_VALUE ? index.intValue() : -1;
    }

    /**
     * The {@code govshare_status} number (a C {@code uint32_t}; read it with
     * {@link Integer#toUnsignedLong} if it may be above 2<sup>31</sup>).
     */
    public int code() {
        return code;
    }

    /** The status name, such as {@code INVALID_REQUEST}; {@code UNKNOWN} for an unknown number. */
    public String statusName() {
        return statusName;
    }

    /**
     * What went wrong: the {@code "message"} of the library's error JSON, or
     * the fixed sentence of the status when the library gave none.
     */
    public String detail() {
        return detail;
    }

    /**
     * For a refused batch, the 0-based position of the request that was
     * refused (the error JSON's {@code "index"}). No request of a refused
     * batch was decided: treat all of them as denied.
     */
    public OptionalInt batchIndex() {
        return batchIndex >= 0 ? OptionalInt.of(batchIndex) : OptionalInt.empty();
    }

    /**
     * The error JSON exactly as the library wrote it
     * ({@code {"status": "…", "code": …, "message": "…"}}), or {@code null}
     * when the library wrote none, or the failure was found on the Java side.
     */
    public String errorJson() {
        return errorJson;
    }

    /**
     * The exception for a status the library returned, with the details of
     * its error JSON (may be {@code null}).
     *
     * @throws IllegalArgumentException for status 0 (OK), which is not a failure
     */
    static GovshareException fromStatus(int code, String errorJson) {
        String message = TopLevel.string(errorJson, "message");
        if (message == null || message.isEmpty()) {
            message = staticText(code, false);
        }
        switch (code) {
            case 0: throw new IllegalArgumentException("status 0 (OK) is not a failure");
            case 1: return new NullParameterException(message, errorJson);
            case 2: return new InvalidUtf8Exception(message, errorJson);
            case 3: return new InvalidJsonException(message, errorJson);
            case 4: return new InvalidRequestException(message, errorJson);
            case 5: return new LoadFailedException(message, errorJson);
            case 6: return new LimitExceededException(message, errorJson);
            case 7: return new PanicException(message, errorJson);
            case 8: return new IoException(message, errorJson);
            case 9: return new InternalException(message, errorJson);
            default: return new UnknownStatusException(code, staticText(code, true), message, errorJson);
        }
    }

    /**
     * {@code govshare_status_name} or {@code govshare_status_message}, read
     * from the library; a Java fallback if the library cannot be asked.
     */
    private static String staticText(int code, boolean name) {
        try {
            GovshareNative lib = NativeLoader.get();
            String text = Utf8.read(name ? lib.govshare_status_name(code) : lib.govshare_status_message(code));
            if (text != null) {
                return text;
            }
        } catch (LinkageError unavailable) {
            // fall through to the fallback
        }
        return name ? "UNKNOWN" : "status " + Integer.toUnsignedString(code) + " (no message)";
    }
}
