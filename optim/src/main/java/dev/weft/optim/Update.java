package dev.weft.optim;

import dev.weft.Tensor;
import java.util.Map;

/**
 * What a rule computes for one parameter in one step, not yet committed: the new master value,
 * the new moments by name, and the new step count. {@link Optimizer#step()} builds every
 * parameter's update before it commits any, so a failure leaves the optimizer as it was.
 *
 * @param value   the new master value (lazy)
 * @param moments the new moments (lazy), by the names the rule's optimizer declares
 * @param steps   the parameter's step count after this step
 */
record Update(Tensor value, Map<String, Tensor> moments, long steps) {}
