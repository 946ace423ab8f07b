package cn.govshare;

/**
 * Reads the verdict of a decision JSON returned by {@link Engine#evaluate}.
 *
 * <p>The decision JSON is the contract: it also carries the reasons (rule
 * ids and the articles of the Regulation), the obligations a caller must
 * fulfil on an allow (record the use, dispose of the data when due), a
 * {@code decision_id} and the {@code policy_digest} for the audit trail.
 * Parse it with the JSON library of the application to act on those. This
 * class only answers the one question a gate needs, without a JSON
 * dependency.
 */
public final class Decisions {
    private Decisions() {}

    /**
     * Whether a decision JSON allows the use: {@code true} only when its
     * top-level {@code "decision"} member is exactly {@code "allow"}, once.
     * Anything else (a deny, {@code null}, text that is not a decision
     * object) is {@code false}: fail closed.
     */
    public static boolean isAllow(String decisionJson) {
        return "allow".equals(TopLevel.string(decisionJson, "decision"));
    }

    /**
     * The top-level {@code "decision"} member ({@code "allow"} or
     * {@code "deny"}), or {@code null} when there is none to be read.
     */
    public static String verdict(String decisionJson) {
        return TopLevel.string(decisionJson, "decision");
    }
}
