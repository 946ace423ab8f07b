/**
 * govshare for Java: the Government Data Sharing Regulation
 * (政务数据共享条例) enforced by the govshare library, called through its C
 * ABI ({@code include/govshare.h}) with JNA.
 *
 * <p>Build an {@link cn.govshare.Engine} once per registry version, share it
 * between threads, and call {@link cn.govshare.Engine#evaluate(String)} with
 * a usage request in the wire format; it returns the decision JSON.
 * {@link cn.govshare.Decisions#isAllow(String)} reads its verdict.
 *
 * <p><strong>Any exception means deny.</strong> A method that throws made no
 * decision: a {@link cn.govshare.GovshareException} (one subclass per status
 * of the library), an {@link cn.govshare.EngineClosedException}, or anything
 * else. Only a returned decision whose {@code "decision"} is {@code "allow"}
 * allows a use.
 */
package cn.govshare;
