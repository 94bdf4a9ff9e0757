package dev.weft.backend.cpu;

/**
 * The lane index. (Literals and launch parameters are the same in every lane: they are computed
 * once per launch, by {@link UniformSteps}.)
 */
final class LeafSteps {
    private LeafSteps() {}

    static Step lane(int out) {
        return Step.of(f -> {
            int[] y = f.ints[out];
            return (base, lanes) -> {
                int first = (int) base;
                for (int l = 0; l < lanes; l++) {
                    y[l] = first + l;
                }
            };
        });
    }
}
