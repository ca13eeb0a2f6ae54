package dev.mlops.registry;

import dev.mlops.api.DataFormatException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.RelativePath;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.registry.internal.PackageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.tribuo.Model;

/**
 * A model package: a directory holding a model in one or more flavors (Tribuo protobuf, ONNX, TorchScript) and a
 * JSON descriptor ({@value #DESCRIPTOR}) with the signature, an input example, provenance, metrics, parameters, the
 * datasets used, the build environment, and the SHA-256 and size of every file.
 *
 * <p>{@link #open(Path)} verifies every file against the descriptor before anything is read: a changed, missing or
 * extra file, or a link, is an {@link IntegrityException} naming the file. Models are deserialized only from Tribuo's
 * protobuf format, never with Java serialization. An instance is an immutable view of a verified directory;
 * thread-safe.
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.builder()
 *         .tribuo(model)                          // protobuf, plus ONNX when the model can export it
 *         .inputExample(test.head(5))
 *         .metrics(Map.of("auc", 0.97))
 *         .build(Path.of("build/churn-model"));
 * ModelPackage same = ModelPackage.open(Path.of("build/churn-model"));
 * }</pre>
 */
public final class ModelPackage {
    /** The descriptor's file name. */
    public static final String DESCRIPTOR = "mlops-model.json";
    /** The package format this version writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The model card's file name. */
    public static final String MODEL_CARD = "MODEL_CARD.md";

    private final Path directory;
    private final PackageDescriptor descriptor;
    private final String descriptorSha256;

    private ModelPackage(Path directory, PackageDescriptor descriptor, String descriptorSha256) {
        this.directory = directory;
        this.descriptor = descriptor;
        this.descriptorSha256 = descriptorSha256;
    }

    /**
     * Starts building a package.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a package directory, verifying every file against the descriptor.
     *
     * @param directory the package directory
     * @return the verified package
     * @throws NotFoundException if the directory or its descriptor does not exist
     * @throws IntegrityException if a file was changed, removed or added, naming it
     * @throws DataFormatException if the descriptor is not a valid package descriptor
     */
    public static ModelPackage open(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        Path descriptorFile = dir.resolve(DESCRIPTOR);
        byte[] bytes;
        try {
            if (Files.size(descriptorFile) > PackageFiles.MAX_DESCRIPTOR_BYTES) {
                throw new IntegrityException(DESCRIPTOR + " in " + dir + " is larger than "
                        + PackageFiles.MAX_DESCRIPTOR_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(descriptorFile);
        } catch (NoSuchFileException e) {
            throw new NotFoundException(dir + " is not a model package: " + DESCRIPTOR + " is missing", e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + descriptorFile + ": " + e.getMessage(), e);
        }
        PackageDescriptor d = PackageFiles.parseDescriptor(bytes, descriptorFile.toString());
        PackageFiles.verify(dir, d);
        return new ModelPackage(dir, d, PackageFiles.sha256(bytes));
    }

    /**
     * Extracts a package archive (written by {@link #writeArchive(Path)}) into a new directory and verifies it.
     * Entries that would land outside the directory, and archives that expand beyond the size limit, are refused.
     *
     * @param archive the archive file
     * @param directory an absent or empty directory to extract into
     * @return the verified package
     * @throws IntegrityException if an entry is hostile or a file fails its check
     */
    public static ModelPackage openArchive(Path archive, Path directory) {
        PackageFiles.extract(archive, directory);
        return open(directory);
    }

    /**
     * Writes this package as one zip archive, for transport.
     *
     * @param archive the file to write (replaced atomically)
     * @return the archive's path
     */
    public Path writeArchive(Path archive) {
        verify();
        PackageFiles.archive(directory, descriptor, archive);
        return archive;
    }

    /**
     * Checks every file against the descriptor again (open does this once).
     *
     * @throws IntegrityException if a file was changed, removed or added
     */
    public void verify() {
        PackageFiles.verify(directory, descriptor);
    }

    /**
     * Returns the package directory.
     *
     * @return an absolute path
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the descriptor.
     *
     * @return the descriptor
     */
    public PackageDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Returns the SHA-256 of the descriptor file, which covers every file's digest: the package's identity.
     *
     * @return 64 hex characters
     */
    public String digest() {
        return descriptorSha256;
    }

    /**
     * Returns the signature.
     *
     * @return the model's input and output schema
     */
    public Signature signature() {
        return descriptor.signature();
    }

    /**
     * Tells whether the package has a flavor.
     *
     * @param flavor for instance {@link FlavorSpec#ONNX}
     * @return true if present
     */
    public boolean hasFlavor(String flavor) {
        return descriptor.flavors().containsKey(flavor);
    }

    /**
     * Returns a flavor's spec.
     *
     * @param flavor the flavor's name
     * @return the spec
     * @throws NotFoundException if the package lacks the flavor, listing those it has
     */
    public FlavorSpec flavor(String flavor) {
        FlavorSpec spec = descriptor.flavors().get(flavor);
        if (spec == null) {
            throw new NotFoundException("the package has no '" + flavor + "' flavor; it has "
                    + descriptor.flavors().keySet());
        }
        return spec;
    }

    /**
     * Returns the location of a package file.
     *
     * @param relativePath a path listed in the descriptor
     * @return the file's absolute path
     * @throws NotFoundException if the descriptor does not list the file
     */
    public Path file(String relativePath) {
        String p = RelativePath.of(relativePath).toString();
        if (!descriptor.files().containsKey(p)) {
            throw new NotFoundException("the package has no file '" + p + "'");
        }
        return RelativePath.of(p).resolveUnder(directory);
    }

    /**
     * Reads the input example.
     *
     * @return the example rows, or empty when the package has none
     */
    public Optional<Frame> inputExample() {
        if (descriptor.inputExample() == null) {
            return Optional.empty();
        }
        return Optional.of(Frame.readJsonLines(file(descriptor.inputExample()), descriptor.signature().inputs()));
    }

    /**
     * Returns the model card (Markdown) stored in the package.
     *
     * @return the card's text
     */
    public String modelCard() {
        try {
            return Files.readString(file(MODEL_CARD));
        } catch (IOException e) {
            throw new UnavailableException("cannot read the model card: " + e.getMessage(), e);
        }
    }

    /**
     * Deserializes the Tribuo flavor from its protobuf file, after checking the file's digest once more.
     *
     * @return the model
     * @throws NotFoundException if the package has no Tribuo flavor
     * @throws IntegrityException if the file no longer matches its digest
     */
    public Model<?> loadTribuo() {
        String name = flavor(FlavorSpec.TRIBUO).file();
        byte[] bytes = PackageFiles.readVerified(directory, name, descriptor.files().get(name));
        return PackageFiles.deserializeTribuo(bytes, name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelPackage p && p.descriptorSha256.equals(descriptorSha256);
    }

    @Override
    public int hashCode() {
        return descriptorSha256.hashCode();
    }

    @Override
    public String toString() {
        return "ModelPackage[" + directory + ", flavors=" + descriptor.flavors().keySet() + ", sha256="
                + descriptorSha256.substring(0, 12) + "...]";
    }

    /**
     * Builds a package. Not thread-safe; each option may be set once.
     */
    public static final class Builder {
        private Model<?> tribuo;
        private Path onnxFile;
        private Map<String, Object> onnxProperties;
        private Path torchScriptFile;
        private Map<String, Object> torchScriptProperties;
        private Signature signature;
        private Frame inputExample;
        private String description;
        private final Map<String, Double> metrics = new TreeMap<>();
        private final Map<String, String> params = new TreeMap<>();
        private final List<DatasetRef> datasets = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a Tribuo model: written in Tribuo's protobuf format, plus an ONNX export when the model supports it
         * (linear SGD, factorization machines, and ensembles of those). The model's provenance is stored as JSON and
         * its trainer's parameters are recorded.
         *
         * @param model the model
         * @return this builder
         * @throws IllegalStateException if a Tribuo model was already added
         */
        public Builder tribuo(Model<?> model) {
            if (tribuo != null) {
                throw new IllegalStateException("a Tribuo model was already added");
            }
            this.tribuo = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * Adds a Tribuo model read from a protobuf file. A file in Tribuo's legacy Java-serialized format is refused
         * with advice on converting it.
         *
         * @param modelFile a file written by {@code Model.serializeToFile}
         * @return this builder
         * @throws InvalidArgumentException if the file is Java-serialized or not a Tribuo model
         */
        public Builder tribuo(Path modelFile) {
            try {
                return tribuo(PackageFiles.deserializeTribuo(Files.readAllBytes(modelFile), modelFile.toString()));
            } catch (NoSuchFileException e) {
                throw new NotFoundException("file not found: " + modelFile, e);
            } catch (IOException e) {
                throw new UnavailableException("cannot read " + modelFile + ": " + e.getMessage(), e);
            }
        }

        /**
         * Adds an ONNX model file.
         *
         * @param file the {@code .onnx} file
         * @param properties the input name ({@code inputName}), output name ({@code outputName}), and optionally
         *     {@code featureOrder} and {@code outputOrder} lists
         * @return this builder
         */
        public Builder onnx(Path file, Map<String, Object> properties) {
            if (onnxFile != null) {
                throw new IllegalStateException("an ONNX file was already added: " + onnxFile);
            }
            this.onnxFile = Objects.requireNonNull(file, "file");
            this.onnxProperties = new LinkedHashMap<>(properties);
            return this;
        }

        /**
         * Adds a TorchScript model file, as traced or scripted by PyTorch, to be loaded by DJL's PyTorch engine.
         *
         * @param file the {@code .pt} file
         * @param properties optional properties, for instance {@code inputShape}
         * @return this builder
         */
        public Builder torchScript(Path file, Map<String, Object> properties) {
            if (torchScriptFile != null) {
                throw new IllegalStateException("a TorchScript file was already added: " + torchScriptFile);
            }
            this.torchScriptFile = Objects.requireNonNull(file, "file");
            this.torchScriptProperties = new LinkedHashMap<>(properties);
            return this;
        }

        /**
         * Sets the signature; without one, a Tribuo model's features (doubles, required) and a {@code label} output
         * are used.
         *
         * @param value the signature
         * @return this builder
         */
        public Builder signature(Signature value) {
            if (signature != null) {
                throw new IllegalStateException("the signature was already set");
            }
            this.signature = Objects.requireNonNull(value, "signature");
            return this;
        }

        /**
         * Stores example input rows, which must fit the signature.
         *
         * @param example a few rows of model input
         * @return this builder
         */
        public Builder inputExample(Frame example) {
            if (inputExample != null) {
                throw new IllegalStateException("the input example was already set");
            }
            this.inputExample = Objects.requireNonNull(example, "example");
            return this;
        }

        /**
         * Sets a description.
         *
         * @param text the description
         * @return this builder
         */
        public Builder description(String text) {
            if (description != null) {
                throw new IllegalStateException("the description was already set");
            }
            this.description = Objects.requireNonNull(text, "description");
            return this;
        }

        /**
         * Records evaluation metrics (governance policies check them).
         *
         * @param values metric values by name; must be finite
         * @return this builder
         */
        public Builder metrics(Map<String, ? extends Number> values) {
            values.forEach((k, v) -> {
                double d = v.doubleValue();
                if (!Double.isFinite(d)) {
                    throw new InvalidArgumentException("metric '" + k + "' must be finite to be recorded, but was " + d);
                }
                if (metrics.put(k, d) != null) {
                    throw new IllegalStateException("metric '" + k + "' was already set");
                }
            });
            return this;
        }

        /**
         * Records training parameters (a Tribuo model's trainer parameters are recorded automatically).
         *
         * @param values parameter values by name
         * @return this builder
         */
        public Builder params(Map<String, ?> values) {
            values.forEach((k, v) -> params.put(k, String.valueOf(v)));
            return this;
        }

        /**
         * Records a dataset the model was trained or evaluated on.
         *
         * @param dataset the dataset reference
         * @return this builder
         */
        public Builder dataset(DatasetRef dataset) {
            datasets.add(Objects.requireNonNull(dataset, "dataset"));
            return this;
        }

        /**
         * Writes the package into a directory that must be absent or empty: into a staging directory first, which
         * is renamed into place once complete.
         *
         * @param directory the package directory
         * @return the verified package
         * @throws IllegalStateException if no model flavor was added
         * @throws dev.mlops.api.AlreadyExistsException if the directory holds files
         */
        public ModelPackage build(Path directory) {
            if (tribuo == null && onnxFile == null && torchScriptFile == null) {
                throw new IllegalStateException("add a model (tribuo, onnx or torchScript) before build()");
            }
            Signature sig = signature != null ? signature : inferSignature();
            if (sig == null) {
                throw new IllegalStateException("a signature is needed for a package without a Tribuo model");
            }
            if (inputExample != null) {
                sig.check(inputExample);
            }
            PackageFiles.Staged staged = PackageFiles.stage(directory);
            try {
                Map<String, FlavorSpec> flavors = new TreeMap<>();
                String provenance = null;
                if (tribuo != null) {
                    provenance = PackageFiles.writeTribuo(staged.dir(), tribuo, flavors, params);
                }
                if (onnxFile != null) {
                    flavors.put(FlavorSpec.ONNX, new FlavorSpec(PackageFiles.copyInto(staged.dir(), onnxFile,
                            "model/model.onnx"), onnxProperties));
                }
                if (torchScriptFile != null) {
                    flavors.put(FlavorSpec.TORCHSCRIPT, new FlavorSpec(PackageFiles.copyInto(staged.dir(),
                            torchScriptFile, "model/model.pt"), torchScriptProperties));
                }
                String example = null;
                if (inputExample != null) {
                    example = "input_example.jsonl";
                    inputExample.writeJsonLines(staged.dir().resolve(example));
                }
                PackageDescriptor draft = new PackageDescriptor(FORMAT_VERSION, Instant.now().toString(), description,
                        flavors, sig, example, provenance, metrics, params, datasets, PackageFiles.environment(),
                        Map.of());
                PackageFiles.writeString(staged.dir().resolve(MODEL_CARD), ModelCard.markdown(draft));
                PackageDescriptor finished = new PackageDescriptor(FORMAT_VERSION, draft.created(), description,
                        flavors, sig, example, provenance, metrics, params, datasets, draft.environment(),
                        PackageFiles.digestAll(staged.dir()));
                PackageFiles.writeDescriptor(staged.dir(), finished);
                staged.commit();
            } catch (RuntimeException e) {
                staged.abort();
                throw e;
            }
            return open(directory);
        }

        private Signature inferSignature() {
            if (tribuo == null) {
                return null;
            }
            List<Field> inputs = new ArrayList<>();
            for (String feature : PackageFiles.featureOrder(tribuo)) {
                inputs.add(Field.required(feature, DataType.DOUBLE));
            }
            return new Signature(Schema.of(inputs), Schema.of(Field.required("label", DataType.STRING)));
        }
    }
}
