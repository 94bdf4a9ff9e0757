/** The CUDA backend ("cuda"), found through {@link dev.weft.spi.BackendProvider}; it exports nothing. */
module dev.weft.backend.cuda {
    requires dev.weft;

    provides dev.weft.spi.BackendProvider with dev.weft.backend.cuda.CudaProvider;
}
