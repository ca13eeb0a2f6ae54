package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * A block whose parameters all have fixed shapes, known from the model configuration; children initialize with the
 * same nominal input shape.
 */
abstract class NetBlock extends AbstractBlock {
    /**
     * Declares a parameter.
     *
     * @param name its name within the block
     * @param type its DJL type
     * @param init how it is filled
     * @param shape its shape
     * @return the parameter
     */
    protected final Parameter param(String name, Parameter.Type type, Initializer init, long... shape) {
        return addParameter(Parameter.builder().setName(name).setType(type).optInitializer(init)
                .optShape(new Shape(shape)).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
