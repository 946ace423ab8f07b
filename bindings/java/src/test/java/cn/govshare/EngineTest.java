package cn.govshare;

import com.example.govshare.GovshareGate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests of the Java binding, with no test framework: plain {@code java}
 * runs them, prints one line per test, and exits non-zero if any fails.
 *
 * <pre>
 * java -cp /usr/share/java/jna.jar:CLASSES -Dgovshare.library.path=target/release \
 *     cn.govshare.EngineTest REPOSITORY_ROOT
 * </pre>
 */
public final class EngineTest {
    private static Path root;
    private static Path data;
    /** The five demo requests, in order, with their text. */
    private static final Map<String, String> DEMO = new LinkedHashMap<>();
    /** Expected outcome per demo request: verdict, rule ids, obligation ids. */
    private static final Map<String, String> EXPECTED = Map.of(
            "01-allow.json", "allow [GS-PERMIT] [GS-OBL-RECORD-USE, GS-OBL-DISPOSE]",
            "02-scope-expansion.json", "deny [GS-SCOPE-EXPANSION] []",
            "03-purpose-change.json", "deny [GS-PURPOSE-CHANGE] []",
            "04-period-ended.json", "deny [GS-PERIOD-ENDED] [GS-OBL-DISPOSE]",
            "05-third-party.json", "deny [GS-THIRD-PARTY] []");
    private static AuditedNative audit;
    private static final String MALFORMED = "{\"requester\": \"hz-hrss\"}";

    public static void main(String[] args) throws Exception {
        root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        data = root.resolve("examples/data");
        for (String name : EXPECTED.keySet().stream().sorted().toList()) {
            DEMO.put(name, Files.readString(data.resolve("requests").resolve(name), StandardCharsets.UTF_8));
        }
        NativeLoader.wrapForTesting(real -> (audit = new AuditedNative(real)).proxy);
        System.out.printf("govshare %s, JNA %s, Java %s, file.encoding=%s%n", Engine.version(),
                com.sun.jna.Native.VERSION, System.getProperty("java.version"),
                System.getProperty("file.encoding"));

        Map<String, Check> tests = new LinkedHashMap<>();
        tests.put("version", EngineTest::version);
        tests.put("status names, messages and exception types match the library", EngineTest::statuses);
        tests.put("error JSON is read for message, code and batch index", EngineTest::errorJson);
        tests.put("Decisions reads only the top-level verdict, failing closed", EngineTest::decisions);
        tests.put("five demo requests: allow, then four denies with their rules", EngineTest::fiveDemoRequests);
        tests.put("engine from files, with and without a policies folder", EngineTest::fromFiles);
        tests.put("engine from registry bytes", EngineTest::fromRegistryBytes);
        tests.put("non-ASCII text crosses as UTF-8 both ways", EngineTest::utf8RoundTrip);
        tests.put("malformed requests: INVALID_REQUEST / INVALID_JSON / INVALID_UTF8", EngineTest::malformed);
        tests.put("limits: size, items, depth (LIMIT_EXCEEDED), and exactly at the size limit", EngineTest::limits);
        tests.put("bad registry: LOAD_FAILED, INVALID_JSON; missing file or folder: IO", EngineTest::badRegistry);
        tests.put("batch: decisions in order, all-or-nothing with the bad index", EngineTest::batch);
        tests.put("validateRegistry returns the findings array", EngineTest::validate);
        tests.put("use after close throws; close is idempotent and frees", EngineTest::useAfterClose);
        tests.put("8 threads on one engine: identical results", EngineTest::eightThreads);
        tests.put("close while 8 threads evaluate: no crash, freed once the last call ends",
                EngineTest::closeWhileEvaluating);
        tests.put("the audit of native calls catches a bad free", EngineTest::auditWorks);
        tests.put("gate: reload under load never denies spuriously; any failure is a deny", EngineTest::gate);

        int failed = 0;
        for (Map.Entry<String, Check> test : tests.entrySet()) {
            long start = System.nanoTime();
            try {
                test.getValue().run();
                // Every test closes what it opens: nothing may be left over.
                audit.check();
                System.out.printf("ok    %-78s %5d ms%n", test.getKey(), (System.nanoTime() - start) / 1_000_000);
            } catch (Throwable t) {
                failed++;
                System.out.printf("FAIL  %s%n", test.getKey());
                t.printStackTrace(System.out);
                try {
                    audit.check(); // start the next test with a clean audit
                } catch (AssertionError alsoLeftOver) {
                    System.out.println("      and " + alsoLeftOver.getMessage());
                }
            }
        }
        System.out.printf("%naudit: %s%n", audit.summary());
        System.out.printf("%n%d tests, %d passed, %d failed%n", tests.size(), tests.size() - failed, failed);
        System.exit(failed == 0 ? 0 : 1);
    }

    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    // ------------------------------------------------------------------ tests

    static void version() {
        check(Engine.version().matches("\\d+\\.\\d+\\.\\d+.*"), "version " + Engine.version());
    }

    static void statuses() {
        GovshareNative lib = NativeLoader.get();
        Class<?>[] types = {null, NullParameterException.class, InvalidUtf8Exception.class,
            InvalidJsonException.class, InvalidRequestException.class, LoadFailedException.class,
            LimitExceededException.class, PanicException.class, IoException.class, InternalException.class};
        String[] names = {"OK", "NULL_PARAMETER", "INVALID_UTF8", "INVALID_JSON", "INVALID_REQUEST",
            "LOAD_FAILED", "LIMIT_EXCEEDED", "PANIC", "IO", "INTERNAL"};
        for (int code = 0; code < names.length; code++) {
            equal(names[code], Utf8.read(lib.govshare_status_name(code)), "C name of " + code);
        }
        expectThrows(IllegalArgumentException.class, () -> GovshareException.fromStatus(0, null));
        for (int code = 1; code < names.length; code++) {
            GovshareException e = GovshareException.fromStatus(code, null);
            equal(types[code], e.getClass(), "exception for " + code);
            equal(code, e.code(), "code");
            equal(names[code], e.statusName(), "name");
            equal(Utf8.read(lib.govshare_status_message(code)), e.detail(), "fallback detail");
            check(e.errorJson() == null && e.batchIndex().isEmpty(), "no JSON, no index");
            check(e.getMessage().startsWith(names[code] + " (" + code + "): "), e.getMessage());
        }
        for (int code : new int[] {10, 4711, -1}) {
            GovshareException e = GovshareException.fromStatus(code, null);
            equal(UnknownStatusException.class, e.getClass(), "unknown " + code);
            equal("UNKNOWN", e.statusName(), "unknown name");
            equal(code, e.code(), "unknown code");
            check(e.getMessage().contains(Integer.toUnsignedString(code)), e.getMessage());
        }
        // The binding passes no NULL, so provoke NULL_PARAMETER through the raw ABI.
        String errorText;
        int status;
        try (OutSlots slots = new OutSlots()) {
            status = lib.govshare_engine_evaluate(null, new byte[] {'{', '}'}, new SizeT(2), slots.out(), slots.error());
            check(slots.outValue() == null, "no output on failure");
            errorText = Utf8.read(slots.errorValue());
            lib.govshare_string_free(slots.errorValue());
        }
        equal(NullParameterException.CODE, status, "NULL engine");
        GovshareException e = GovshareException.fromStatus(status, errorText);
        check(e instanceof NullParameterException && e.detail().contains("engine"), e.getMessage());
    }

    static void errorJson() {
        GovshareException e = GovshareException.fromStatus(4,
                "{\"status\":\"INVALID_REQUEST\",\"code\":4,\"message\":\"a \\\"quoted\\\" \\u00e9 \\\\ 条例\","
                        + "\"index\":2}");
        equal("a \"quoted\" \u00e9 \\ 条例", e.detail(), "unescaped message");
        equal(2, e.batchIndex().orElse(-1), "index");
        // A message that mentions the keys must not fool the reader.
        e = GovshareException.fromStatus(3, "{\"message\":\"\\\"index\\\":7, \\\"code\\\":1\",\"code\":3}");
        check(e.batchIndex().isEmpty(), "index inside a string");
        equal("\"index\":7, \"code\":1", e.detail(), "message");
        // Unreadable error JSON: the status's own sentence.
        e = GovshareException.fromStatus(5, "not json");
        equal(Utf8.read(NativeLoader.get().govshare_status_message(5)), e.detail(), "fallback");
    }

    static void decisions() {
        check(Decisions.isAllow("{\"decision\":\"allow\"}"), "allow");
        check(Decisions.isAllow(" { \"reasons\" : [ {\"decision\":\"deny\"} ], \"decision\" : \"allow\" } "),
                "allow after a nested deny");
        check(!Decisions.isAllow("{\"decision\":\"deny\"}"), "deny");
        check(!Decisions.isAllow("{\"reasons\":[{\"decision\":\"allow\"}],\"decision\":\"deny\"}"), "nested allow");
        check(!Decisions.isAllow("{\"x\":\"\\\"decision\\\":\\\"allow\\\"\"}"), "allow inside a string");
        check(!Decisions.isAllow("{\"decision\":\"allow\",\"decision\":\"deny\"}"), "duplicate key");
        check(!Decisions.isAllow("{\"decision\":\"allow\",\"decision\":\"allow\"}"), "duplicate key, same value");
        check(!Decisions.isAllow("{\"decision\":\"Allow\"}"), "case");
        check(!Decisions.isAllow("{\"decision\":[\"allow\"]}"), "array");
        check(!Decisions.isAllow("{\"decision\":\"allow\""), "truncated");
        check(!Decisions.isAllow("[{\"decision\":\"allow\"}]"), "array of decisions");
        check(!Decisions.isAllow(""), "empty");
        check(!Decisions.isAllow(null), "null");
        equal("deny", Decisions.verdict("{\"n\":-1.5e3,\"t\":true,\"o\":{\"a\":[1,{}]},\"decision\":\"deny\"}"),
                "verdict after every kind of value");
    }

    static void fiveDemoRequests() {
        try (Engine engine = Engine.fromRegistryJson(read(data.resolve("registry.json")))) {
            for (Map.Entry<String, String> request : DEMO.entrySet()) {
                String decision = engine.evaluate(request.getValue());
                equal(EXPECTED.get(request.getKey()), outcome(decision), request.getKey());
                equal(request.getKey().startsWith("01"), Decisions.isAllow(decision), "isAllow " + request.getKey());
            }
        }
    }

    static void fromFiles() {
        for (Path policies : new Path[] {null, root.resolve("policies")}) {
            try (Engine engine = Engine.fromFiles(data.resolve("registry.json"), policies)) {
                for (Map.Entry<String, String> request : DEMO.entrySet()) {
                    equal(EXPECTED.get(request.getKey()), outcome(engine.evaluate(request.getValue())),
                            request.getKey() + " with policies " + policies);
                }
            }
        }
        // A relative path is resolved against Java's working folder.
        Path relative = root.relativize(data.resolve("registry.json"));
        if (Path.of("").toAbsolutePath().equals(root)) {
            try (Engine engine = Engine.fromFiles(relative)) {
                check(Decisions.isAllow(engine.evaluate(DEMO.get("01-allow.json"))), "relative path");
            }
        }
    }

    static void fromRegistryBytes() throws Exception {
        byte[] registry = Files.readAllBytes(data.resolve("registry.json"));
        byte[] copy = registry.clone();
        try (Engine engine = Engine.fromRegistryJson(registry, null)) {
            check(java.util.Arrays.equals(copy, registry), "the registry array is left as it was");
            byte[] request = DEMO.get("01-allow.json").getBytes(StandardCharsets.UTF_8);
            check(Decisions.isAllow(engine.evaluate(request)), "allow from bytes");
        }
    }

    static void utf8RoundTrip() {
        // A purpose with Chinese text and a supplementary character is
        // decided (a purpose change) and comes back unchanged in the facts,
        // whatever file.encoding the JVM runs with.
        String purpose = "社会保险.资格核验.\uD83D\uDCC4";
        String request = DEMO.get("01-allow.json").replace("social-insurance.enrollment-check", purpose);
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            String decision = engine.evaluate(request);
            equal("deny [GS-PURPOSE-CHANGE] []", outcome(decision), "a purpose change");
            check(decision.contains(purpose), "the purpose comes back intact: " + decision);
            // Chinese reason texts come back as UTF-8 too.
            check(decision.contains("\"zh\":\"") && decision.chars().anyMatch(c -> c >= 0x4e00 && c <= 0x9fff),
                    "Chinese reasons");
        }
    }

    static void malformed() {
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            InvalidRequestException e = expectThrows(InvalidRequestException.class, () -> engine.evaluate(MALFORMED));
            equal(4, e.code(), "code");
            equal("INVALID_REQUEST", e.statusName(), "name");
            check(e.detail().contains("dataset"), "names the missing field: " + e.detail());
            check(e.errorJson().contains("\"code\":4"), e.errorJson());
            expectThrows(InvalidRequestException.class, () -> engine.evaluate("{}"));
            expectThrows(InvalidRequestException.class, () -> engine.evaluate("[]"));
            expectThrows(InvalidRequestException.class,
                    () -> engine.evaluate(DEMO.get("01-allow.json").replace("\"items\"", "\"unknown\": 1, \"items\"")));
            expectThrows(InvalidRequestException.class, // access without method
                    () -> engine.evaluate(DEMO.get("01-allow.json").replace("\"method\": \"service_interface\",", "")));
            expectThrows(InvalidJsonException.class, () -> engine.evaluate("{\"requester\": "));
            expectThrows(InvalidJsonException.class, () -> engine.evaluate(""));
            expectThrows(InvalidJsonException.class, () -> engine.evaluate(DEMO.get("01-allow.json") + " x"));
            // Bytes that are not UTF-8: the library's INVALID_UTF8.
            InvalidUtf8Exception bad = expectThrows(InvalidUtf8Exception.class,
                    () -> engine.evaluate(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}));
            check(bad.errorJson() != null, "reported by the library");
            // A lone surrogate has no UTF-8 form: refused before the call.
            InvalidUtf8Exception lone = expectThrows(InvalidUtf8Exception.class,
                    () -> engine.evaluate(DEMO.get("01-allow.json").replace("uscc", "uscc\uD800")));
            check(lone.errorJson() == null, "found on the Java side");
            expectThrows(NullPointerException.class, () -> engine.evaluate((String) null));
            // After all of that, the engine still decides.
            check(Decisions.isAllow(engine.evaluate(DEMO.get("01-allow.json"))), "still deciding");
        }
    }

    static void limits() {
        String allow = DEMO.get("01-allow.json");
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            String exactly = pad(allow, Limits.MAX_REQUEST_BYTES);
            check(Decisions.isAllow(engine.evaluate(exactly)), "a request of exactly the limit is decided");
            LimitExceededException e = expectThrows(LimitExceededException.class,
                    () -> engine.evaluate(pad(allow, Limits.MAX_REQUEST_BYTES + 1)));
            equal(6, e.code(), "code");
            check(e.detail().contains("65537"), e.detail());
            // The limit is in UTF-8 bytes, not Java chars.
            String chinese = "{\"requester\": \"" + "政".repeat(Limits.MAX_REQUEST_BYTES / 3) + "\"}";
            check(chinese.length() < Limits.MAX_REQUEST_BYTES, "fewer chars than the limit");
            expectThrows(LimitExceededException.class, () -> engine.evaluate(chinese));
            StringBuilder items = new StringBuilder();
            for (int i = 0; i <= Limits.MAX_REQUEST_ITEMS; i++) {
                items.append(i == 0 ? "" : ", ").append("\"item").append(i).append('"');
            }
            expectThrows(LimitExceededException.class,
                    () -> engine.evaluate(allow.replace("\"uscc\", \"name\"", items)));
            String deep = "[".repeat(Limits.MAX_JSON_DEPTH + 1) + "]".repeat(Limits.MAX_JSON_DEPTH + 1);
            expectThrows(LimitExceededException.class, () -> engine.evaluate("{\"requester\": " + deep + "}"));
        }
    }

    static void badRegistry() {
        LoadFailedException e = expectThrows(LoadFailedException.class, () -> Engine.fromRegistryJson("{}"));
        equal(5, e.code(), "code");
        check(e.detail().contains("departments"), e.detail());
        expectThrows(LoadFailedException.class, () -> Engine.fromRegistryJson("{\"departments\": 1}"));
        String registry = read(data.resolve("registry.json"));
        expectThrows(InvalidJsonException.class, () -> Engine.fromRegistryJson(registry.substring(0, 100)));
        expectThrows(InvalidJsonException.class, () -> Engine.fromRegistryJson(""));
        IoException io = expectThrows(IoException.class, () -> Engine.fromFiles(root.resolve("no/such/registry.json")));
        equal(8, io.code(), "code");
        check(io.detail().contains("no/such/registry.json"), io.detail());
        expectThrows(IoException.class, () -> Engine.fromFiles(data.resolve("registry.json"), root.resolve("no-such-policies")));
        expectThrows(IoException.class, () -> Engine.fromFiles(data)); // a folder, not a file
    }

    static void batch() {
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            String batch = "[" + String.join(",", DEMO.values()) + "]";
            String decisions = engine.evaluateBatch(batch);
            List<String> verdicts = all(decisions, "\"decision\":\"(allow|deny)\"");
            equal(List.of("allow", "deny", "deny", "deny", "deny"), verdicts, "verdicts in order");
            equal(List.of("GS-PERMIT", "GS-SCOPE-EXPANSION", "GS-PURPOSE-CHANGE", "GS-PERIOD-ENDED", "GS-THIRD-PARTY"),
                    all(decisions, "\"rule\":\"([A-Z0-9-]+)\""), "rules in order");
            equal("[]", engine.evaluateBatch("[]"), "empty batch");
            List<String> three = new ArrayList<>(DEMO.values()).subList(0, 2);
            InvalidRequestException e = expectThrows(InvalidRequestException.class,
                    () -> engine.evaluateBatch("[" + three.get(0) + "," + three.get(1) + "," + MALFORMED + "]"));
            equal(2, e.batchIndex().orElse(-1), "index of the bad request");
            check(e.detail().contains("index 2"), e.detail());
            InvalidRequestException notArray = expectThrows(InvalidRequestException.class,
                    () -> engine.evaluateBatch(DEMO.get("01-allow.json")));
            check(notArray.batchIndex().isEmpty(), "no index for a batch that is not an array");
            expectThrows(InvalidJsonException.class, () -> engine.evaluateBatch("[" + DEMO.get("01-allow.json")));
        }
    }

    static void validate() {
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            String findings = engine.validateRegistry();
            check(findings.startsWith("[") && findings.endsWith("]"), findings);
            check(findings.contains("\"severity\":"), "the demo registry has findings");
        }
    }

    static void useAfterClose() {
        Engine engine = Engine.fromFiles(data.resolve("registry.json"));
        check(!engine.isClosed() && !engine.isFreed(), "open");
        engine.close();
        check(engine.isClosed() && engine.isFreed(), "closed and freed (no call in flight)");
        engine.close();
        engine.close();
        expectThrows(EngineClosedException.class, () -> engine.evaluate(DEMO.get("01-allow.json")));
        expectThrows(EngineClosedException.class, () -> engine.evaluate(new byte[0]));
        expectThrows(EngineClosedException.class, () -> engine.evaluateBatch("[]"));
        expectThrows(EngineClosedException.class, engine::validateRegistry);
        check(engine.toString().contains("closed"), engine.toString());
    }

    static void eightThreads() throws Exception {
        final int threads = 8;
        final int rounds = 40;
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            Map<String, String> baseline = new LinkedHashMap<>();
            for (Map.Entry<String, String> request : DEMO.entrySet()) {
                baseline.put(request.getKey(), fingerprint(engine.evaluate(request.getValue())));
                equal(EXPECTED.get(request.getKey()), outcome(engine.evaluate(request.getValue())), request.getKey());
            }
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicInteger decided = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int offset = t;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        List<String> names = new ArrayList<>(DEMO.keySet());
                        for (int round = 0; round < rounds; round++) {
                            for (int i = 0; i < names.size(); i++) {
                                String name = names.get((i + offset) % names.size()); // threads out of step
                                String got = fingerprint(engine.evaluate(DEMO.get(name)));
                                if (!got.equals(baseline.get(name))) {
                                    problems.add(name + ": " + got);
                                }
                                decided.incrementAndGet();
                            }
                            try { // the error path, concurrently too
                                engine.evaluate(MALFORMED);
                                problems.add("malformed request decided");
                            } catch (InvalidRequestException expected) {
                                // as it should be
                            }
                        }
                    } catch (Throwable e) {
                        problems.add(e.toString());
                    }
                }, "govshare-test-" + t);
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            check(problems.isEmpty(), "problems: " + problems);
            equal(threads * rounds * DEMO.size(), decided.get(), "decisions made");
        }
    }

    static void closeWhileEvaluating() throws Exception {
        String allowFingerprint;
        try (Engine engine = Engine.fromFiles(data.resolve("registry.json"))) {
            allowFingerprint = fingerprint(engine.evaluate(DEMO.get("01-allow.json")));
        }
        int deferred = 0;
        for (int round = 0; round < 15; round++) {
            Engine engine = Engine.fromFiles(data.resolve("registry.json"));
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicInteger decided = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch running = new CountDownLatch(8);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final boolean batches = t % 4 == 3;
                Thread worker = new Thread(() -> {
                    running.countDown();
                    try {
                        for (;;) {
                            if (batches) {
                                String decisions = engine.evaluateBatch("[" + DEMO.get("01-allow.json") + "]");
                                if (!decisions.startsWith("[{\"decision\":\"allow\"")) {
                                    problems.add("batch: " + decisions);
                                }
                            } else if (!fingerprint(engine.evaluate(DEMO.get("01-allow.json"))).equals(allowFingerprint)) {
                                problems.add("a different decision");
                            }
                            decided.incrementAndGet();
                        }
                    } catch (EngineClosedException expected) {
                        refused.incrementAndGet();
                    } catch (Throwable e) {
                        problems.add(e.toString());
                    }
                });
                workers.add(worker);
                worker.start();
            }
            running.await();
            Thread.sleep(5 + round % 5 * 3);
            engine.close();
            check(engine.isClosed(), "closed");
            if (!engine.isFreed()) {
                deferred++; // calls were in flight: the last of them frees the handle
            }
            for (Thread worker : workers) {
                worker.join(30_000);
                check(!worker.isAlive(), "a worker is stuck");
            }
            check(problems.isEmpty(), "problems: " + problems);
            equal(8, refused.get(), "every worker saw the close");
            check(engine.isFreed(), "freed after the last call");
            check(decided.get() > 0, "some calls ran before the close");
        }
        check(deferred > 0, "no round closed the engine with a call in flight");
    }

    static void gate() throws Exception {
        // The gate logs each deny and reload; keep the test output short.
        java.util.logging.Logger gateLog = java.util.logging.Logger.getLogger(GovshareGate.class.getName());
        gateLog.setLevel(java.util.logging.Level.OFF);
        Path registry = data.resolve("registry.json");
        GovshareGate gate = new GovshareGate(registry, null, "v1");
        try {
            GovshareGate.Verdict allow = gate.decide(DEMO.get("01-allow.json"));
            check(allow.allowed() && allow.failure() == null && "v1".equals(allow.registryVersion()), "allow");
            check(!gate.allows(DEMO.get("02-scope-expansion.json")), "a deny decision");
            // Failures are denies, never exceptions. (Each logs one warning.)
            GovshareGate.Verdict malformed = gate.decide(MALFORMED);
            check(!malformed.allowed() && malformed.decisionJson() == null
                    && malformed.failure() instanceof InvalidRequestException, "malformed: " + malformed);
            check(!gate.decide(null).allowed(), "null request");
            // A registry that does not load leaves the current one deciding.
            expectThrows(IoException.class, () -> gate.reload(root.resolve("no-such-registry.json"), "broken"));
            equal("v1", gate.registryVersion(), "still v1");

            // Reload 30 times while 6 threads decide the allow: every call allows.
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicInteger decided = new AtomicInteger();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Thread worker = new Thread(() -> {
                    while (!stop.get()) {
                        GovshareGate.Verdict v = gate.decide(DEMO.get("01-allow.json"));
                        if (!v.allowed()) {
                            problems.add(String.valueOf(v.failure()));
                        }
                        decided.incrementAndGet();
                    }
                });
                workers.add(worker);
                worker.start();
            }
            for (int version = 2; version <= 31; version++) {
                gate.reload(registry, "v" + version);
                Thread.sleep(2);
            }
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }
            check(problems.isEmpty(), "spurious denies during reload: " + problems);
            equal("v31", gate.registryVersion(), "last version");
            check(decided.get() > 0, "decided");
            gate.close();
            check(!gate.allows(DEMO.get("01-allow.json")), "a closed gate denies");
            check(gate.registryVersion() == null, "no version once closed");
        } finally {
            gate.close();
        }
    }

    static void auditWorks() {
        // Freeing what the library never handed out, or an engine twice, is
        // caught by the audit (which then does not call the library).
        GovshareNative lib = NativeLoader.get();
        lib.govshare_string_free(new com.sun.jna.Pointer(0x1000));
        Engine engine = Engine.fromFiles(data.resolve("registry.json"));
        engine.close();
        List<String> problems = audit.takeProblems();
        equal(1, problems.size(), "problems " + problems);
        check(problems.get(0).contains("not handed out"), problems.get(0));
    }

    // ------------------------------------------------------------------ helpers

    /** "verdict [rules] [obligations]" of a decision JSON. */
    static String outcome(String decision) {
        return Decisions.verdict(decision) + " " + all(decision, "\"rule\":\"([A-Z0-9-]+)\"") + " "
                + all(decision, "\"obligation\":\"([A-Z0-9-]+)\"");
    }

    /** A decision without the two members that differ on every call. */
    static String fingerprint(String decision) {
        return decision.replaceAll("\"decision_id\":\"[^\"]*\",?", "").replaceAll("\"decided_at\":\"[^\"]*\",?", "");
    }

    static List<String> all(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** A JSON object padded with spaces before its last brace to exactly {@code bytes} UTF-8 bytes. */
    static String pad(String json, int bytes) {
        String trimmed = json.strip();
        int have = trimmed.getBytes(StandardCharsets.UTF_8).length;
        check(have <= bytes, "request longer than the padding");
        return trimmed.substring(0, trimmed.length() - 1) + " ".repeat(bytes - have) + "}";
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void equal(Object expected, Object actual, String what) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    static <T extends Throwable> T expectThrows(Class<T> type, Check body) {
        try {
            body.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + t, t);
        }
        throw new AssertionError("expected " + type.getSimpleName() + " but nothing was thrown");
    }
}
