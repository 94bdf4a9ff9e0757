/** The OpenCL backend ("opencl"), found through {@link dev.weft.spi.BackendProvider}; it exports nothing. */
module dev.weft.backend.opencl {
    requires dev.weft;

    provides dev.weft.spi.BackendProvider with dev.weft.backend.opencl.OpenClProvider;
}
