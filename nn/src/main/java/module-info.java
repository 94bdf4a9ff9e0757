/** Weft's neural-network layers, encodings and losses; they reach devices only through the core's public API. */
module dev.weft.nn {
    requires transitive dev.weft;
}
