/**
 * The backend conformance suite: cases as data, a JUnit adapter and a {@code main()}.
 *
 * <p><b>Where data comes from.</b> A {@link dev.weft.conformance.ConformanceCase} builds a
 * program through the public API ({@code dev.weft}; later {@code dev.weft.nn} and
 * {@code dev.weft.optim}) on the device under test, reads the result exactly
 * ({@link dev.weft.conformance.DeviceIo}) and compares it with an expected value computed
 * independently on the host: Java's IEEE arithmetic and casts
 * ({@link dev.weft.conformance.HostArithmetic}), {@link java.math.BigDecimal} where one rounding must
 * be exact ({@link dev.weft.conformance.HalfRounding}, matmul sums), {@code StrictMath} for
 * transcendentals, index arithmetic for views ({@link dev.weft.conformance.HostShapes}) and
 * hand-computed numbers. Never from the reference interpreter or {@code dev.weft.ir.ScalarOps}.
 * Each case declares its {@link dev.weft.conformance.ResultClass} (DESIGN.md "Numbers"): bit-exact,
 * polynomial (within an ulp bound of StrictMath and identical to the reference backend) or ordered
 * sum (within {@code K * 2^-23 * sum(|terms|)}). Bit-exact and polynomial results of a backend
 * other than the reference are also compared bit for bit with the reference backend running the
 * same program ({@link dev.weft.conformance.CrossBackend}).
 *
 * <p><b>Where results go.</b> {@link dev.weft.conformance.CaseRunner} runs a case with its device
 * current and inside a memory scope and returns an {@link dev.weft.conformance.Outcome}; a failure
 * names the case id, its result class, the program, and the first differing elements with their
 * bits. {@link dev.weft.conformance.ConformanceSuite} turns every case into a JUnit dynamic test
 * (each backend module extends it once); {@link dev.weft.conformance.ConformanceMain} prints one
 * line per group and a summary and exits with 1 on failure (GPU machines run it). System
 * properties: {@code weft.conformance.programs} (random programs, default 1000),
 * {@code weft.conformance.filter} (a substring of the case ids to run, JUnit adapter).
 *
 * <p><b>Known core bugs</b> are listed in {@link dev.weft.conformance.KnownFailures}: their cases
 * stay as they are and are reported as skipped with the bug; a listed case that passes fails the
 * suite until it is removed from the list.
 *
 * <p><b>Adding a group</b> (autodiff, CoopVec, Rng, Texture2, nn, optim...):
 * <ol>
 *   <li>Write one class, {@code FooCases implements Supplier<List<ConformanceCase>>}, with a
 *       {@code static final String GROUP = "foo"}. Build each case with
 *       {@link dev.weft.conformance.Checks#program} (a program, an
 *       {@link dev.weft.conformance.Expected} computed on the host, a result class, tags), or with a
 *       hand-written {@code Function<Device, Outcome>} when a case needs several evaluations or
 *       counters ({@link dev.weft.conformance.OpaqueScalarCases} is an example). Ids are
 *       {@code foo/...}, unique and stable; inputs come from fixed seeds; large inputs are made
 *       when the case runs (the {@code Supplier<I>} form of {@code Checks.program}), not when the
 *       list is built.</li>
 *   <li>Add {@code new Group(FooCases.GROUP, new FooCases())} to
 *       {@link dev.weft.conformance.CaseGroups}. Nothing else: both runners pick it up, on every
 *       backend.</li>
 *   <li>Expected values must not come from Weft itself. When a case needs a value only the
 *       library can produce, compare across devices or schedules instead (as
 *       {@link dev.weft.conformance.FusionCases} does) and say so in the case's program text.</li>
 * </ol>
 */
package dev.weft.conformance;
