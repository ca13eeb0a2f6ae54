package dev.mlops.features;

import dev.mlops.api.Field;
import dev.mlops.features.internal.ViewLayout;
import java.util.List;
import java.util.Map;

/**
 * A feature service resolved against the current definitions: what to read from each view, where each value goes
 * in the output, and how each transform finds its inputs.
 *
 * @param service the service
 * @param views the views read, in order of first use
 * @param transforms the transforms, with their functions
 * @param transformInputs per transform, per input: the output column it reads, or -1 for a request field
 * @param outputs the output features: the service's features in order, then the transforms' outputs
 * @param outputIndex output position by plain name (the first when names repeat)
 * @param versions every definition's version, as {@code kind:name} to version
 * @param columnView per output column, the index of the view it comes from, or -1 for a transform output
 * @param columnIndex per output column, its position among its view's features or among the transform outputs
 */
record ServicePlan(FeatureService service, List<ViewPlan> views, List<OnDemandTransform> transforms,
        List<int[]> transformInputs, List<Feature> outputs, Map<String, Integer> outputIndex,
        Map<String, Integer> versions, int[] columnView, int[] columnIndex) {

    /**
     * One view of a service.
     *
     * @param view the view
     * @param entity its entity
     * @param layout its rows as the offline engine sees them
     * @param features the features the service reads from it
     * @param fields the same as fields
     * @param columns the output position of each feature
     */
    record ViewPlan(FeatureView view, Entity entity, ViewLayout layout, List<Feature> features, List<Field> fields,
            int[] columns) {
    }

    /**
     * Returns the name of an output column.
     *
     * @param column the output position
     * @param fullNames whether features are named {@code view__feature}
     * @return the name
     */
    String outputName(int column, boolean fullNames) {
        if (fullNames) {
            for (ViewPlan v : views) {
                for (int i = 0; i < v.columns().length; i++) {
                    if (v.columns()[i] == column) {
                        return v.view().name() + "__" + v.features().get(i).name();
                    }
                }
            }
        }
        return outputs.get(column).name();
    }
}
