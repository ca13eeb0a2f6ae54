package dev.mlops.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlops.api.Signature;
import dev.mlops.api.spi.DatasetRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON descriptor at the root of a model package ({@value ModelPackage#DESCRIPTOR}).
 *
 * @param formatVersion the package format version
 * @param created when the package was built, ISO-8601
 * @param description a human description, or {@code null}
 * @param flavors the model's flavors by name
 * @param signature the model's input and output schema
 * @param inputExample the input example's file (JSON lines), or {@code null}
 * @param provenance the provenance file (JSON), or {@code null}
 * @param metrics evaluation metrics by name
 * @param params training parameters by name
 * @param datasets the datasets the model was trained and evaluated on
 * @param environment SDK, Java, OS and library versions at build time
 * @param files every file of the package but the descriptor, with its SHA-256 and size
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PackageDescriptor(int formatVersion, String created, String description, Map<String, FlavorSpec> flavors,
        Signature signature, String inputExample, String provenance, Map<String, Double> metrics,
        Map<String, String> params, List<DatasetRef> datasets, Map<String, String> environment,
        Map<String, FileEntry> files) {
    /**
     * Copies the collections.
     *
     * @throws NullPointerException if the flavors or files are null
     */
    public PackageDescriptor {
        flavors = Map.copyOf(Objects.requireNonNull(flavors, "flavors"));
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        params = params == null ? Map.of() : Map.copyOf(params);
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        files = Map.copyOf(Objects.requireNonNull(files, "files"));
    }
}
