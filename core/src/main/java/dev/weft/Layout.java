package dev.weft;

/**
 * How a network's weights are packed into one buffer (reference-semantics.md §3.3):
 * {@link #ROW_MAJOR} plain matrices, {@link #INFERENCE} and {@link #TRAINING} the layouts that
 * cooperative-vector {@code matvec} prefers for each use.
 */
public enum Layout { ROW_MAJOR, INFERENCE, TRAINING }
