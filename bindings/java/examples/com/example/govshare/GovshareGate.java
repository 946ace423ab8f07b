package com.example.govshare;

import cn.govshare.Decisions;
import cn.govshare.Engine;
import cn.govshare.EngineClosedException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gate a service puts in front of every use of shared government data:
 * copy it into a Spring {@code @Service} (or any service) as it is.
 *
 * <ul>
 *   <li>One {@link Engine} per registry version, shared by every request
 *       thread with no lock.</li>
 *   <li>{@link #reload} builds the new engine first (a registry that does
 *       not load leaves the current one in place), swaps it in atomically,
 *       then closes the old one: calls still running on it finish, and the
 *       last of them frees it.</li>
 *   <li>{@link #decide} turns <strong>every</strong> failure into a deny,
 *       and logs it. A call that picked up the old engine just as a reload
 *       closed it is retried on the new one, so a reload never causes a
 *       spurious deny.</li>
 * </ul>
 *
 * <p>In Spring: {@code @Bean GovshareGate gate() { return new
 * GovshareGate(Path.of(registry), null, version); }} &mdash; Spring calls
 * {@link #close()} on shutdown, as the gate is {@link AutoCloseable}.
 */
public final class GovshareGate implements AutoCloseable {
    private static final Logger LOG = System.getLogger(GovshareGate.class.getName());

    /**
     * The outcome of one request.
     *
     * @param allowed whether the use may go ahead; {@code false} on every failure
     * @param decisionJson the decision JSON (keep it: it holds the reasons,
     *     the obligations to fulfil on an allow, the decision id and the
     *     policy digest for the audit trail), or {@code null} when no decision
     *     was made
     * @param failure why no decision was made, or {@code null}
     * @param registryVersion the registry version that decided
     */
    public record Verdict(boolean allowed, String decisionJson, RuntimeException failure,
            String registryVersion) {}

    private record Loaded(Engine engine, String version) {}

    private final Path policiesDir;
    private final AtomicReference<Loaded> current = new AtomicReference<>();

    /**
     * @param registryFile the registry (catalog and grants)
     * @param policiesDir a policies folder, or {@code null} for the statutory
     *     policies compiled into the library
     * @param version a label for this registry version, for the logs and the
     *     audit trail
     * @throws cn.govshare.GovshareException when the registry or the policies
     *     do not load (the service should not start)
     */
    public GovshareGate(Path registryFile, Path policiesDir, String version) {
        this.policiesDir = policiesDir;
        current.set(new Loaded(Engine.fromFiles(registryFile, policiesDir), version));
    }

    /**
     * Switches to a new registry version. The new engine is built before
     * anything changes: if it fails to load, the exception is thrown and the
     * current version keeps deciding.
     */
    public void reload(Path registryFile, String version) {
        Engine fresh = Engine.fromFiles(registryFile, policiesDir);
        Loaded next = new Loaded(fresh, version);
        for (;;) {
            Loaded old = current.get();
            if (old == null) { // the gate was closed meanwhile
                fresh.close();
                throw new IllegalStateException("the gate is closed");
            }
            if (current.compareAndSet(old, next)) {
                old.engine().close(); // running calls finish on it; the last one frees it
                LOG.log(Level.INFO, "govshare registry {0} replaced by {1}", old.version(), version);
                return;
            }
        }
    }

    /** Decides one request; every failure is a logged deny. Never throws. */
    public Verdict decide(String requestJson) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Loaded loaded = current.get();
            if (loaded == null) {
                return deny(new IllegalStateException("the gate is closed"), null);
            }
            try {
                Objects.requireNonNull(requestJson, "requestJson");
                String decision = loaded.engine().evaluate(requestJson);
                return new Verdict(Decisions.isAllow(decision), decision, null, loaded.version());
            } catch (EngineClosedException e) {
                if (current.get() != loaded) {
                    continue; // a reload closed this engine under us: ask the new one
                }
                return deny(e, loaded.version());
            } catch (RuntimeException e) {
                // GovshareException (malformed request, over a limit, a bug in
                // the library, ...) or anything else: no decision, so deny.
                return deny(e, loaded.version());
            }
        }
        return deny(new IllegalStateException("the registry was reloaded repeatedly during one decision"),
                null);
    }

    /** Whether the use may go ahead: {@code decide(requestJson).allowed()}. */
    public boolean allows(String requestJson) {
        return decide(requestJson).allowed();
    }

    /** The registry version currently deciding, or {@code null} once closed. */
    public String registryVersion() {
        Loaded loaded = current.get();
        return loaded == null ? null : loaded.version();
    }

    /** Closes the current engine; every later {@link #decide} is a deny. */
    @Override
    public void close() {
        Loaded old = current.getAndSet(null);
        if (old != null) {
            old.engine().close();
        }
    }

    private static Verdict deny(RuntimeException failure, String version) {
        LOG.log(Level.WARNING, "govshare: no decision, denied: " + failure);
        return new Verdict(false, null, failure, version);
    }
}
