package dev.mlops.tracking.tuning;

import dev.mlops.tracking.Tracking;

/** Tracked studies on the embedded SQLite store. */
class SqliteTrackedStudyTest extends TrackedStudyContract {
    @Override
    Tracking open() {
        return Tracking.open(dir.resolve("store"));
    }
}
