package dev.mlops.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.api.AlreadyExistsException;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.RelativePath;
import dev.mlops.api.UnavailableException;
import dev.mlops.registry.FileEntry;
import dev.mlops.registry.FlavorSpec;
import dev.mlops.registry.ModelPackage;
import dev.mlops.registry.PackageDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Tribuo;
import org.tribuo.protos.core.ModelProto;

/** File handling of model packages: staging, digests, verification, archives and Tribuo's formats. */
public final class PackageFiles {
    /** The descriptor is small; anything bigger is not a descriptor. */
    public static final long MAX_DESCRIPTOR_BYTES = 16L << 20;
    /** The most bytes an archive may expand to. */
    public static final long MAX_ARCHIVE_BYTES = 8L << 30;
    /** The most entries an archive may hold. */
    public static final int MAX_ARCHIVE_ENTRIES = 10_000;

    /** The mapper for descriptors: sorted keys, so equal content gives equal bytes. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final byte[] JAVA_SERIALIZATION_MAGIC = {(byte) 0xAC, (byte) 0xED};

    private PackageFiles() {
    }

    // ---------------------------------------------------------------- descriptor

    /** Parses descriptor bytes. */
    public static PackageDescriptor parseDescriptor(byte[] bytes, String source) {
        PackageDescriptor d;
        try {
            d = JSON.readValue(bytes, PackageDescriptor.class);
        } catch (IOException e) {
            throw new DataFormatException(source, 0, null, "not a valid package descriptor: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataFormatException(source, 0, null, "not a valid package descriptor: " + e.getMessage(), e);
        }
        if (d.formatVersion() != ModelPackage.FORMAT_VERSION) {
            throw new DataFormatException(source, 0, null, "package format version " + d.formatVersion()
                    + " is not supported; this SDK reads version " + ModelPackage.FORMAT_VERSION);
        }
        if (d.signature() == null) {
            throw new DataFormatException(source, 0, null, "the descriptor has no signature");
        }
        for (FlavorSpec f : d.flavors().values()) {
            if (!d.files().containsKey(f.file())) {
                throw new DataFormatException(source, 0, null, "flavor file '" + f.file() + "' is not listed in files");
            }
        }
        return d;
    }

    /** Writes the descriptor last: a package without one is not a package. */
    public static void writeDescriptor(Path dir, PackageDescriptor d) {
        try {
            Files.write(dir.resolve(ModelPackage.DESCRIPTOR), JSON.writeValueAsBytes(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the descriptor as JSON", e);
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + dir.resolve(ModelPackage.DESCRIPTOR) + ": " + e.getMessage(),
                    e);
        }
    }

    // ---------------------------------------------------------------- digests and verification

    /** Hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Digests a file while streaming it. */
    public static FileEntry digestFile(Path file) throws IOException {
        MessageDigest sha = digest();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), sha)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }
        return new FileEntry(HexFormat.of().formatHex(sha.digest()), size);
    }

    /** Digests every regular file under a directory except the descriptor. */
    public static Map<String, FileEntry> digestAll(Path dir) {
        Map<String, FileEntry> entries = new TreeMap<>();
        try {
            for (String name : listFiles(dir)) {
                if (!name.equals(ModelPackage.DESCRIPTOR)) {
                    entries.put(name, digestFile(RelativePath.of(name).resolveUnder(dir)));
                }
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return entries;
    }

    /**
     * Lists the files under a directory as relative paths.
     *
     * @throws IntegrityException if a link or something other than a file or directory is found
     */
    static List<String> listFiles(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
                    throw new IntegrityException("package file '" + name + "' is a link or special file; packages hold "
                            + "regular files only");
                }
                names.add(name);
                return FileVisitResult.CONTINUE;
            }
        });
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /**
     * Checks that the directory holds exactly the descriptor's files with their recorded sizes and digests.
     *
     * @throws IntegrityException naming the first changed, missing or extra file
     */
    public static void verify(Path dir, PackageDescriptor d) {
        try {
            Set<String> present = new HashSet<>(listFiles(dir));
            present.remove(ModelPackage.DESCRIPTOR);
            for (Map.Entry<String, FileEntry> e : new TreeMap<>(d.files()).entrySet()) {
                String name = e.getKey();
                Path file;
                try {
                    file = RelativePath.of(name).resolveUnder(dir);
                } catch (InvalidArgumentException hostile) {
                    throw new IntegrityException("the descriptor lists a file outside the package: '" + name + "'",
                            hostile);
                }
                if (!present.remove(name)) {
                    throw new IntegrityException("package file '" + name + "' is missing from " + dir);
                }
                FileEntry actual = digestFile(file);
                if (actual.size() != e.getValue().size() || !actual.sha256().equals(e.getValue().sha256())) {
                    throw new IntegrityException("package file '" + name + "' was changed: expected "
                            + e.getValue().size() + " bytes with SHA-256 " + e.getValue().sha256() + " but found "
                            + actual.size() + " bytes with SHA-256 " + actual.sha256());
                }
            }
            if (!present.isEmpty()) {
                throw new IntegrityException("package " + dir + " holds files its descriptor does not list: "
                        + present.stream().sorted().toList());
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot read package " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file's bytes and checks them against its entry, closing the gap between a check and a later read. */
    public static byte[] readVerified(Path dir, String name, FileEntry entry) {
        try {
            byte[] bytes = Files.readAllBytes(RelativePath.of(name).resolveUnder(dir));
            if (bytes.length != entry.size() || !sha256(bytes).equals(entry.sha256())) {
                throw new IntegrityException("package file '" + name + "' was changed after the package was opened");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new IntegrityException("package file '" + name + "' is missing", e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read package file '" + name + "': " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- staging

    /** A directory being written, renamed into place by {@link #commit()} or deleted by {@link #abort()}. */
    public record Staged(Path dir, Path target) {
        /** Moves the staged directory to its target. */
        public void commit() {
            try {
                Files.deleteIfExists(target); // only an empty directory can be there: stage() checked
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                try {
                    Files.move(dir, target);
                } catch (IOException inner) {
                    abort();
                    throw new UnavailableException("cannot move the package into " + target + ": " + inner.getMessage(),
                            inner);
                }
            } catch (DirectoryNotEmptyException e) {
                abort();
                throw new AlreadyExistsException(target + " was filled by someone else while the package was built");
            } catch (IOException e) {
                abort();
                throw new UnavailableException("cannot move the package into " + target + ": " + e.getMessage(), e);
            }
        }

        /** Deletes the staged directory. */
        public void abort() {
            deleteTree(dir);
        }
    }

    /** Creates a staging directory beside a target that must be absent or empty. */
    public static Staged stage(Path target) {
        Path t = target.toAbsolutePath().normalize();
        try {
            if (Files.exists(t)) {
                if (!Files.isDirectory(t)) {
                    throw new AlreadyExistsException(t + " exists and is not a directory");
                }
                try (Stream<Path> s = Files.list(t)) {
                    if (s.findAny().isPresent()) {
                        throw new AlreadyExistsException("directory " + t + " is not empty");
                    }
                }
            }
            Path parent = t.getParent();
            Files.createDirectories(parent);
            Path dir = parent.resolve("." + t.getFileName() + ".staging-" + UUID.randomUUID());
            Files.createDirectory(dir);
            return new Staged(dir, t);
        } catch (IOException e) {
            throw new UnavailableException("cannot prepare " + t + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Copies a file into the staged package. */
    public static String copyInto(Path dir, Path source, String name) {
        try {
            Path target = RelativePath.of(name).resolveUnder(dir);
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
            return name;
        } catch (NoSuchFileException e) {
            throw new NotFoundException("file not found: " + source, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot copy " + source + ": " + e.getMessage(), e);
        }
    }

    /** Writes text as UTF-8. */
    public static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Copies every file of a verified package into a directory (used when registering). */
    public static void copyPackage(Path from, PackageDescriptor d, Path to) throws IOException {
        for (String name : new TreeMap<>(d.files()).keySet()) {
            Path target = RelativePath.of(name).resolveUnder(to);
            Files.createDirectories(target.getParent());
            Files.copy(RelativePath.of(name).resolveUnder(from), target, LinkOption.NOFOLLOW_LINKS);
        }
        Files.copy(from.resolve(ModelPackage.DESCRIPTOR), to.resolve(ModelPackage.DESCRIPTOR));
    }

    // ---------------------------------------------------------------- archives

    /** Writes the descriptor and every listed file into a zip archive, atomically. */
    public static void archive(Path dir, PackageDescriptor d, Path archive) {
        Path target = archive.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                List<String> names = new ArrayList<>(new TreeMap<>(d.files()).keySet());
                names.add(0, ModelPackage.DESCRIPTOR);
                for (String name : names) {
                    ZipEntry entry = new ZipEntry(name);
                    entry.setTime(0);
                    zip.putNextEntry(entry);
                    Files.copy(dir.resolve(name), zip);
                    zip.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new UnavailableException("cannot write archive " + archive + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a hidden partial file; the original failure is reported
                }
            }
        }
    }

    /**
     * Extracts an archive into an absent or empty directory. Every entry name must be a clean relative path (no
     * {@code ..}, no absolute path, no drive letter, no backslash); duplicates, links, too many entries and more
     * than {@link #MAX_ARCHIVE_BYTES} of content are refused, and nothing is left behind on refusal.
     */
    public static void extract(Path archive, Path directory) {
        Staged staged = stage(directory);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            Set<String> seen = new HashSet<>();
            long total = 0;
            ZipEntry entry;
            int count = 0;
            while ((entry = zip.getNextEntry()) != null) {
                if (++count > MAX_ARCHIVE_ENTRIES) {
                    throw new IntegrityException("archive " + archive + " has more than " + MAX_ARCHIVE_ENTRIES
                            + " entries");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                RelativePath name;
                try {
                    name = RelativePath.of(entry.getName());
                } catch (InvalidArgumentException e) {
                    throw new IntegrityException("archive " + archive + " has an entry that would leave its directory: '"
                            + entry.getName() + "'", e);
                }
                if (name.isRoot() || !seen.add(name.toString())) {
                    throw new IntegrityException("archive " + archive + " repeats or has an empty entry '"
                            + entry.getName() + "'");
                }
                Path target = name.resolveUnder(staged.dir());
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = zip.read(buf)) > 0) {
                        total += n;
                        if (total > MAX_ARCHIVE_BYTES) {
                            throw new IntegrityException("archive " + archive + " expands beyond " + MAX_ARCHIVE_BYTES
                                    + " bytes");
                        }
                        out.write(buf, 0, n);
                    }
                }
            }
            staged.commit();
        } catch (NoSuchFileException e) {
            staged.abort();
            throw new NotFoundException("archive not found: " + archive, e);
        } catch (IOException e) {
            staged.abort();
            throw new IntegrityException("archive " + archive + " is not a readable zip file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            staged.abort();
            throw e;
        }
    }

    // ---------------------------------------------------------------- Tribuo

    /**
     * Reads a Tribuo model from protobuf bytes. Java-serialized bytes are refused before any object is read.
     *
     * @throws InvalidArgumentException if the bytes are Java-serialized or not a Tribuo model
     */
    public static Model<?> deserializeTribuo(byte[] bytes, String source) {
        if (bytes.length >= 2 && bytes[0] == JAVA_SERIALIZATION_MAGIC[0] && bytes[1] == JAVA_SERIALIZATION_MAGIC[1]) {
            throw new InvalidArgumentException(source + " is a Java-serialized Tribuo model (the legacy format), which "
                    + "is never deserialized here because Java serialization can run code from the file. Convert it "
                    + "once, in a trusted environment, with Tribuo 4.3 or later: load it with "
                    + "Model.deserializeFromFile(...) or an ObjectInputStream, then write it with "
                    + "model.serializeToFile(path), which uses Tribuo's protobuf format");
        }
        try {
            return Model.deserialize(ModelProto.parseFrom(bytes));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidArgumentException(source + " is not a Tribuo protobuf model: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a Tribuo model's protobuf form, its ONNX export when it has one, and its provenance as JSON; records
     * the flavors and the trainer's parameters.
     *
     * @return the provenance file's name
     */
    public static String writeTribuo(Path dir, Model<?> model, Map<String, FlavorSpec> flavors,
            Map<String, String> params) {
        try {
            Path modelFile = dir.resolve("model/model.tribuo");
            Files.createDirectories(modelFile.getParent());
            Files.write(modelFile, model.serialize().toByteArray());
            List<String> features = featureOrder(model);
            List<String> outputs = outputOrder(model);
            Map<String, Object> props = new TreeMap<>();
            props.put("modelClass", model.getClass().getName());
            props.put("outputType", model.getOutputIDInfo().getDomain().iterator().hasNext()
                    ? model.getOutputIDInfo().getDomain().iterator().next().getClass().getName() : "unknown");
            props.put("features", features);
            props.put("outputs", outputs);
            props.put("probabilities", model.generatesProbabilities());
            props.put("tribuoVersion", Tribuo.VERSION);
            flavors.put(FlavorSpec.TRIBUO, new FlavorSpec("model/model.tribuo", props));
            if (model instanceof ONNXExportable exportable) {
                Path onnx = dir.resolve("model/model.onnx");
                Files.write(onnx, exportable.exportONNXModel("dev.mlops", 1L).toByteArray());
                Map<String, Object> onnxProps = new TreeMap<>();
                onnxProps.put("inputName", "input");
                onnxProps.put("outputName", "output");
                onnxProps.put("featureOrder", features);
                onnxProps.put("outputOrder", outputs);
                onnxProps.put("probabilities", model.generatesProbabilities());
                flavors.put(FlavorSpec.ONNX, new FlavorSpec("model/model.onnx", onnxProps));
            }
            String provenance = "provenance.json";
            Files.writeString(dir.resolve(provenance),
                    new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance()));
            flatten("trainer", model.getProvenance().getTrainerProvenance(), params);
            return provenance;
        } catch (IOException e) {
            throw new UnavailableException("cannot write the Tribuo model into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Feature names in Tribuo's id order, which is also the ONNX export's input column order. */
    public static List<String> featureOrder(Model<?> model) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < model.getFeatureIDMap().size(); i++) {
            names.add(model.getFeatureIDMap().get(i).getName());
        }
        return names;
    }

    /** Output names in Tribuo's id order, which is also the ONNX export's output column order. */
    public static List<String> outputOrder(Model<?> model) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < model.getOutputIDInfo().size(); i++) {
            names.add(model.getOutputIDInfo().getOutput(i).getSerializableForm(false));
        }
        return names;
    }

    private static void flatten(String prefix, Provenance provenance, Map<String, String> out) {
        if (provenance instanceof ObjectProvenance object) {
            for (Pair<String, Provenance> p : object) {
                if (!p.getA().equals("host-short-name")) {
                    flatten(prefix + "." + p.getA(), p.getB(), out);
                }
            }
        } else if (provenance instanceof ListProvenance<?> list) {
            int i = 0;
            for (Provenance item : list) {
                flatten(prefix + "." + i++, item, out);
            }
        } else if (provenance instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> p : map) {
                flatten(prefix + "." + p.getA(), p.getB(), out);
            }
        } else if (provenance instanceof PrimitiveProvenance<?> primitive) {
            out.putIfAbsent(prefix, String.valueOf(primitive.getValue()));
        }
    }

    /** The build environment recorded in every package. */
    public static Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        env.put("sdk", SdkVersion.get());
        env.put("java", System.getProperty("java.version"));
        env.put("javaVendor", System.getProperty("java.vendor"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("tribuo", Tribuo.VERSION);
        return env;
    }
}
