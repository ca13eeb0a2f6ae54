package dev.mlops.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The SDK version, written into the build's resources by Maven. */
final class SdkVersion {
    private static final String VERSION = load();

    private SdkVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = SdkVersion.class.getResourceAsStream("/dev/mlops/registry/sdk.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
