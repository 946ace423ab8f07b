package cn.govshare;

import com.sun.jna.Pointer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audits every call the binding makes into the library, from any thread:
 * <ul>
 *   <li>each string the library hands out ({@code *_out}, {@code error_out})
 *       is given back to {@code govshare_string_free} exactly once, and
 *       nothing else is;</li>
 *   <li>each engine handle is freed exactly once, never while a call on it
 *       is in flight, and no call uses it afterwards.</li>
 * </ul>
 * A violation is recorded, and the offending call is not passed on (it
 * would be undefined behaviour).
 */
final class AuditedNative implements InvocationHandler {
    private static final int FREED = Integer.MIN_VALUE / 2;

    private final GovshareNative real;
    /** Strings handed out and not yet freed, by address. */
    private final Map<Long, Boolean> strings = new ConcurrentHashMap<>();
    /** Live handles, by address: calls in flight, or below zero once freed. */
    private final Map<Long, AtomicInteger> handles = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong stringsOut = new AtomicLong();
    private final AtomicLong enginesOut = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    final GovshareNative proxy;

    AuditedNative(GovshareNative real) {
        this.real = real;
        this.proxy = (GovshareNative) Proxy.newProxyInstance(GovshareNative.class.getClassLoader(),
                new Class<?>[] {GovshareNative.class}, this);
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(this, args);
        }
        calls.incrementAndGet();
        switch (method.getName()) {
            case "govshare_engine_evaluate":
            case "govshare_engine_evaluate_batch":
            case "govshare_engine_validate_registry": {
                AtomicInteger inFlight = args[0] == null ? null : handles.get(Pointer.nativeValue((Pointer) args[0]));
                if (args[0] != null) {
                    if (inFlight == null || inFlight.incrementAndGet() <= 0) {
                        problems.add(method.getName() + " on a freed or unknown handle");
                        throw new AssertionError("use after free");
                    }
                }
                try {
                    Object status = pass(method, args);
                    collect(args[args.length - 2], args[args.length - 1]);
                    return status;
                } finally {
                    if (inFlight != null) {
                        inFlight.decrementAndGet();
                    }
                }
            }
            case "govshare_engine_new":
            case "govshare_engine_new_from_files": {
                Object status = pass(method, args);
                Pointer handle = ((Pointer) args[args.length - 2]).getPointer(0);
                if (handle != null) {
                    handles.put(Pointer.nativeValue(handle), new AtomicInteger());
                    enginesOut.incrementAndGet();
                }
                collect(null, args[args.length - 1]);
                return status;
            }
            case "govshare_engine_free": {
                AtomicInteger inFlight = args[0] == null ? null : handles.get(Pointer.nativeValue((Pointer) args[0]));
                int before = inFlight == null ? FREED : inFlight.getAndSet(FREED);
                if (before < 0) {
                    problems.add("an engine freed twice, or never handed out");
                    return null;
                }
                if (before > 0) {
                    problems.add("an engine freed while " + before + " call(s) on it were in flight");
                    return null; // leak it rather than crash
                }
                Object result = pass(method, args);
                handles.remove(Pointer.nativeValue((Pointer) args[0]));
                return result;
            }
            case "govshare_string_free": {
                if (args[0] != null && strings.remove(Pointer.nativeValue((Pointer) args[0])) == null) {
                    problems.add("govshare_string_free of a string not handed out, or freed twice");
                    return null;
                }
                return pass(method, args);
            }
            default:
                return pass(method, args);
        }
    }

    private Object pass(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Records the strings a call wrote into its out slots. */
    private void collect(Object outSlot, Object errorSlot) {
        for (Object slot : new Object[] {outSlot, errorSlot}) {
            if (slot != null) {
                Pointer string = ((Pointer) slot).getPointer(0);
                if (string != null) {
                    strings.put(Pointer.nativeValue(string), Boolean.TRUE);
                    stringsOut.incrementAndGet();
                }
            }
        }
    }

    /** Between tests: no problem, no string or engine left over. */
    void check() {
        List<String> found = takeProblems();
        if (!strings.isEmpty()) {
            found.add(strings.size() + " string(s) handed out and never freed");
            strings.clear();
        }
        if (!handles.isEmpty()) {
            found.add(handles.size() + " engine(s) never freed");
            handles.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("native audit: " + found);
        }
    }

    List<String> takeProblems() {
        List<String> taken = new ArrayList<>();
        for (String p; (p = problems.poll()) != null;) {
            taken.add(p);
        }
        return taken;
    }

    String summary() {
        return calls.get() + " native calls; " + stringsOut.get() + " strings and " + enginesOut.get()
                + " engines handed out, each freed exactly once, none while in use";
    }
}
