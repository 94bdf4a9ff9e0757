/**
 * Weft's command line ({@code WeftCommand}: doctor, fit, gpu-check), written on the public API
 * only. Backends are found at run time; none is named here.
 */
module dev.weft.examples {
    requires dev.weft;

    exports dev.weft.examples;
}
