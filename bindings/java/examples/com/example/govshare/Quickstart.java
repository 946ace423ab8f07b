package com.example.govshare;

import cn.govshare.Decisions;
import cn.govshare.Engine;
import cn.govshare.GovshareException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main job of govshare, from Java: load the demo registry
 * (examples/data/registry.json), decide the five demo requests of
 * examples/data/requests/ (an allow, a scope expansion, a purpose change, an
 * ended period with its disposal obligation, a third-party transfer) and
 * print each decision; then show the gate turning a malformed request into a
 * deny. The same job as examples/quickstart.rs and examples/c/quickstart.c.
 *
 * <pre>
 * java -cp /usr/share/java/jna.jar:CLASSES -Dgovshare.library.path=target/release \
 *     com.example.govshare.Quickstart examples/data
 * </pre>
 *
 * Exits non-zero on any unexpected result.
 */
public final class Quickstart {
    private Quickstart() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "examples/data");
        String[][] requests = {
            {"allow / 允许", "01-allow.json", "allow"},
            {"scope expansion / 超范围使用", "02-scope-expansion.json", "deny"},
            {"purpose change / 改变用途", "03-purpose-change.json", "deny"},
            {"ended period / 使用时限届满", "04-period-ended.json", "deny"},
            {"third-party transfer / 向第三方提供", "05-third-party.json", "deny"},
        };
        int unexpected = 0;

        // 1. One engine: the compiled-in statutory policies plus the registry.
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            System.out.printf("govshare %s (Java, JNA), registry %s%n%n", Engine.version(),
                    data.resolve("registry.json"));

            // 2. Decide each request.
            for (String[] r : requests) {
                String request = Files.readString(data.resolve("requests").resolve(r[1]), StandardCharsets.UTF_8);
                System.out.printf("== %s (%s)%n", r[0], r[1]);
                String decision;
                try {
                    decision = engine.evaluate(request);
                } catch (GovshareException e) {
                    // No decision was made: deny.
                    System.out.printf("   DENY: no decision (%s)%n%n", e.getMessage());
                    unexpected++;
                    continue;
                }
                boolean allow = Decisions.isAllow(decision);
                System.out.printf("   %s%n   %s%n%n", allow ? "ALLOW / 允许" : "DENY / 拒绝", decision);
                if (!Decisions.verdict(decision).equals(r[2])) {
                    System.err.printf("UNEXPECTED: %s: expected %s%n", r[1], r[2]);
                    unexpected++;
                }
            }
        } // 3. close() frees the native engine.

        // 4. The same through the gate a service would hold: a malformed
        //    request is no decision, so a deny.
        try (GovshareGate gate = new GovshareGate(data.resolve("registry.json"), null, "demo-1")) {
            GovshareGate.Verdict verdict = gate.decide("{\"requester\": \"hz-hrss\"}");
            System.out.printf("== malformed request through the gate%n   %s: %s%n", verdict.allowed() ? "ALLOW" : "DENY",
                    verdict.failure() == null ? verdict.decisionJson() : verdict.failure().getMessage());
            if (verdict.allowed() || !(verdict.failure() instanceof GovshareException)) {
                System.err.println("UNEXPECTED: a malformed request must be refused");
                unexpected++;
            }
        }
        if (unexpected > 0) {
            System.exit(1);
        }
    }
}
