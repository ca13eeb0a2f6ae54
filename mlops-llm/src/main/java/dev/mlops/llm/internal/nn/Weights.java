package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/** Where a forward pass reads parameter values: the parameters' own arrays, or half-precision working copies. */
@FunctionalInterface
public interface Weights {
    /** Reads every parameter's own array. */
    Weights DIRECT = Parameter::getArray;

    /**
     * Returns the value to compute with.
     *
     * @param parameter the parameter
     * @return its array
     */
    NDArray get(Parameter parameter);
}
