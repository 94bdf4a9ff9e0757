/**
 * The backend conformance suite: cases as data, a JUnit adapter that a backend module's test
 * extends ({@code ConformanceSuite}) and a command-line runner ({@code ConformanceMain}). It
 * drives devices through the public API only, so a backend outside this project runs it too.
 */
module dev.weft.conformance {
    requires transitive dev.weft;
    requires dev.weft.nn;
    requires dev.weft.optim;
    requires transitive org.junit.jupiter.api;

    exports dev.weft.conformance;
}
