package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.api.spi.ProgressListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Shared definitions and helpers for the feature store tests. */
final class Fixtures {
    /** A fixed start for manual clocks, so tests never depend on the real time. */
    static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    private Fixtures() {
    }

    static FeatureStore.Builder embedded(Path dir, ManualTimeSource clock) {
        return FeatureStore.builder().root(dir).clock(clock).progress(ProgressListener.noop()).actor("tester");
    }

    static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static Entity patient() {
        return Entity.builder("patient").joinKey("patient_id", DataType.LONG).description("A patient")
                .owner("oncology").tag("team", "oncology").build();
    }

    static FeatureView vitals(Duration ttl) {
        return FeatureView.builder("vitals").entity("patient").timestampColumn("event_timestamp")
                .createdTimestampColumn("created").ttl(ttl)
                .feature("heart_rate", DataType.DOUBLE).feature("visits", DataType.LONG)
                .feature("note", DataType.STRING).owner("oncology").description("Vital signs").tag("team", "oncology")
                .build();
    }
}
