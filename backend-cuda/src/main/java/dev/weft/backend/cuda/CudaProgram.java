package dev.weft.backend.cuda;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.spi.Kernel;
import dev.weft.spi.Program;

/**
 * A core {@link Kernel} compiled for one CUDA device: the kernel and the {@link CudaKernel} its
 * PTX was loaded into. {@link CudaBackend#launch(Program, dev.weft.spi.BufferHandle[], long[],
 * long)} fills the parameter block as {@code [n, params..., buffer addresses...]} (see
 * {@link CudaSource}).
 *
 * @param kernel the core kernel
 * @param code its loaded PTX, whose parameter block has room for exactly that
 */
record CudaProgram(Kernel kernel, CudaKernel code) implements Program {
    CudaProgram {
        checkArgument(code.parameterWords() == 1 + kernel.params().size() + kernel.slots().size(),
                "CudaProgram: %s declares %s parameter words, but kernel %s needs 1 + %s parameters + %s buffers",
                code, code.parameterWords(), kernel.name(), kernel.params().size(), kernel.slots().size());
    }
}
