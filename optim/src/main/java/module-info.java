/** Weft's optimizers, the gradient scaler and learning-rate schedules, on the core's public API. */
module dev.weft.optim {
    requires transitive dev.weft;
    requires com.google.common;

    exports dev.weft.optim;
}
