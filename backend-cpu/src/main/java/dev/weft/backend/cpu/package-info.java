/**
 * The CPU backend: fused kernels executed over chunks of lanes with the Vector API, on all cores.
 *
 * <p>Data flow: kernels come from the core's scheduler through the SPI ({@code dev.weft.spi}),
 * already lowered (this backend declares no capabilities, so transcendentals arrive as
 * polynomials). {@link dev.weft.backend.cpu.CpuProvider} opens a
 * {@link dev.weft.backend.cpu.CpuBackend}; {@code CpuCompiler} turns a kernel into a
 * {@code CpuProgram}: chunk-sized registers (typed arrays, reused once a value is dead; a vector
 * of length L has L of them, and an element-wise vector instruction is its scalar step per
 * component) and the steps. Uniform values (literals, parameters, bias loads, arithmetic of
 * them) are computed once per launch on the calling thread ({@code UniformSteps}) and broadcast
 * into registers. A launch cuts the N lanes into chunks of 512, dealt to the
 * {@code CpuWorkers} threads in a fixed order (so per-thread sums repeat from run to run; a small
 * launch runs every worker's share on the calling thread, with the same bits); each
 * thread runs every step over its chunk in its own {@code Frame}: Vector API loops for
 * arithmetic, byte masks for comparisons and selects ({@code BoolLanes}), register-blocked
 * products for {@code MATVEC} ({@code CpuCoopVec}, {@code CoopVecKernels}), per-thread partials
 * for lane reductions and {@code OUTER_ADD} (lanes transposed in registers by
 * {@code LaneTranspose}; folded into memory at the end of the launch), compare-and-set updates
 * for general scatter-adds. Buffers are off-heap segments ({@code CpuBuffer}); results go back to
 * the core through {@code copyOut}. Tensor-mode {@code gemm} is {@code CpuGemm}.
 *
 * <p>Needs {@code --add-modules jdk.incubator.vector}; without it the provider's probe says so.
 */
package dev.weft.backend.cpu;
