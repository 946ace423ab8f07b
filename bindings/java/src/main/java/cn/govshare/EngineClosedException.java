package cn.govshare;

/**
 * An {@link Engine} method was called after {@link Engine#close()}.
 *
 * <p>This is a lifecycle error of the host, not a status of the library, so
 * it is an {@link IllegalStateException} rather than a
 * {@link GovshareException}. Like every exception from an engine, it means
 * <strong>deny</strong>. A host that swaps engines on reload may see it for
 * a call that picked up the old engine just before it was closed, and may
 * retry that call once on the new engine (as {@code GovshareGate} in the
 * examples does).
 */
public final class EngineClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    EngineClosedException() {
        super("the govshare engine is closed");
    }
}
