package dev.mlops.tracking.tuning;

import dev.mlops.api.tuning.Trial;

/** Small objectives shared by tests. */
final class StudyTestSupport {
    private StudyTestSupport() {
    }

    /** An objective that always returns 1. */
    static double constant(Trial trial) {
        return 1;
    }
}
