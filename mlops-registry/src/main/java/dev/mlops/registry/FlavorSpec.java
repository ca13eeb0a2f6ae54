package dev.mlops.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;

/**
 * How one flavor of a model is stored in a package: its file and flavor-specific properties (for ONNX, the input
 * and output names and the order of features and outputs; for Tribuo, the model class and output domain).
 *
 * @param file the flavor's file, relative to the package root
 * @param properties flavor-specific properties (JSON-compatible values)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FlavorSpec(String file, Map<String, Object> properties) {
    /** The Tribuo flavor: Tribuo's protobuf model format. */
    public static final String TRIBUO = "tribuo";
    /** The ONNX flavor. */
    public static final String ONNX = "onnx";
    /** The TorchScript flavor, loaded by DJL's PyTorch engine. */
    public static final String TORCHSCRIPT = "torchscript";

    /**
     * Validates the spec.
     *
     * @throws NullPointerException if the file is null
     */
    public FlavorSpec {
        Objects.requireNonNull(file, "file");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /**
     * Returns a string property.
     *
     * @param key the property
     * @return its value, or {@code null}
     */
    public String property(String key) {
        Object v = properties.get(key);
        return v == null ? null : v.toString();
    }
}
