package dev.weft.backend.cuda;

/**
 * The hand-written PTX kernels of the runtime's self-check ({@link CudaChecks}): small enough to
 * read at a glance, each testing one part of the launch convention or of error handling.
 */
final class CudaCheckKernels {
    private CudaCheckKernels() {}

    /**
     * {@code y[i] = fma(a, x[i], y[i])} for {@code i < n}; parameter block {@code [n, bits of a
     * (F32), &x, &y]}: reads every kind of word, guards the threads past n.
     */
    static final CudaSource AXPY = new CudaSource("weft_check_axpy", """
            .visible .entry weft_check_axpy(.param .align 8 .b8 weft_args[32])
            {
            	.reg .pred %p;
            	.reg .b32 %block, %size, %thread, %abits;
            	.reg .b64 %n, %i, %x, %y, %a64;
            	.reg .f32 %fa, %fx, %fy;
            	ld.param.u64 %n, [weft_args+0];
            	ld.param.u64 %a64, [weft_args+8];
            	ld.param.u64 %x, [weft_args+16];
            	ld.param.u64 %y, [weft_args+24];
            	cvta.to.global.u64 %x, %x;
            	cvta.to.global.u64 %y, %y;
            	mov.u32 %block, %ctaid.x;
            	mov.u32 %size, %ntid.x;
            	mov.u32 %thread, %tid.x;
            	cvt.u64.u32 %i, %thread;
            	mad.wide.u32 %i, %block, %size, %i;
            	setp.ge.u64 %p, %i, %n;
            	@%p bra $DONE;
            	cvt.u32.u64 %abits, %a64;
            	mov.b32 %fa, %abits;
            	shl.b64 %i, %i, 2;
            	add.u64 %x, %x, %i;
            	add.u64 %y, %y, %i;
            	ld.global.f32 %fx, [%x];
            	ld.global.f32 %fy, [%y];
            	fma.rn.f32 %fy, %fa, %fx, %fy;
            	st.global.f32 [%y], %fy;
            $DONE:
            	ret;
            }
            """, 256);

    /** Stores to the address in word 1 of its parameter block: an illegal address for an address like 8. */
    static final CudaSource FAULT = new CudaSource("weft_check_fault", """
            .visible .entry weft_check_fault(.param .align 8 .b8 weft_args[16])
            {
            	.reg .b64 %address;
            	.reg .b32 %one;
            	ld.param.u64 %address, [weft_args+8];
            	mov.u32 %one, 1;
            	st.global.u32 [%address], %one;
            	ret;
            }
            """, 32);

    /** Not PTX: an unknown instruction on an undeclared register. */
    static final CudaSource BROKEN = new CudaSource("weft_check_broken", """
            .visible .entry weft_check_broken(.param .align 8 .b8 weft_args[8])
            {
            	frobnicate.u32 %nowhere;
            	ret;
            }
            """, 32);

    /** Declares at most 64 threads per block ({@code .maxntid}) but claims blocks of 128. */
    static final CudaSource NARROW = new CudaSource("weft_check_narrow", """
            .visible .entry weft_check_narrow(.param .align 8 .b8 weft_args[8]) .maxntid 64, 1, 1
            {
            	ret;
            }
            """, 128);
}
