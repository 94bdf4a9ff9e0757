package dev.weft.backend.opencl;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.spi.Kernel;
import dev.weft.spi.Program;

/**
 * A core {@link Kernel} compiled for one OpenCL device: the kernel and the {@link OpenClKernel}
 * its OpenCL C was built into. {@link OpenClBackend#launch(Program, dev.weft.spi.BufferHandle[],
 * long[], long)} passes the lane count and the kernel's parameters in the parameter block as
 * {@code [n, params[0], params[1], ...]}.
 *
 * @param kernel the core kernel
 * @param code its built OpenCL C, whose buffer arguments are the kernel's slots in order
 */
record OpenClProgram(Kernel kernel, OpenClKernel code) implements Program {
    OpenClProgram {
        checkArgument(code.bufferCount() == kernel.slots().size(), "OpenClProgram: %s takes %s buffers, but kernel %s has %s slots",
                code, code.bufferCount(), kernel, kernel.slots().size());
    }
}
