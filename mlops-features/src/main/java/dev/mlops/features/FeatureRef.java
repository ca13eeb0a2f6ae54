package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;

/**
 * A reference to one feature of one view, written {@code view:feature}; {@code view:*} stands for every feature of
 * the view at the moment a service is applied.
 *
 * @param view the view's name
 * @param feature the feature's name, or {@code *}
 */
public record FeatureRef(String view, String feature) {
    /** The feature name that stands for every feature of a view. */
    public static final String ALL = "*";

    /**
     * Validates the reference.
     *
     * @throws InvalidArgumentException if a name is not allowed
     */
    public FeatureRef {
        Names.definition("feature view", view);
        if (!ALL.equals(feature)) {
            Names.column("feature of view '" + view + "'", feature);
        }
    }

    /**
     * Parses {@code view:feature}.
     *
     * @param text the reference
     * @return the reference
     * @throws InvalidArgumentException if the text is not {@code view:feature}
     */
    public static FeatureRef parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0 || colon != text.lastIndexOf(':')) {
            throw new InvalidArgumentException("feature reference " + Names.show(text)
                    + " must be written view:feature");
        }
        return new FeatureRef(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * Returns whether this reference stands for every feature of the view.
     *
     * @return true for {@code view:*}
     */
    public boolean isAll() {
        return ALL.equals(feature);
    }

    @Override
    public String toString() {
        return view + ":" + feature;
    }
}
