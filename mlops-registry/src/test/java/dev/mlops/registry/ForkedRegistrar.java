package dev.mlops.registry;

import java.nio.file.Path;

/**
 * Registers package directories as versions of one model, in a separate JVM. Arguments: the SQLite file, the package
 * root, the model name, then package directories. Prints {@code VERSION <n>} per registration.
 */
public final class ForkedRegistrar {
    private ForkedRegistrar() {
    }

    /**
     * Runs the registrations.
     *
     * @param args the database file, package root, model name and package directories
     */
    public static void main(String[] args) {
        try (Registry registry = Registry.builder().jdbcUrl("jdbc:sqlite:" + args[0]).packageRoot(Path.of(args[1]))
                .actor("forked").build()) {
            for (int i = 3; i < args.length; i++) {
                System.out.println("VERSION " + registry.register(args[2], ModelPackage.open(Path.of(args[i]))).version());
            }
        }
    }
}
