package dev.mlops.api.spi;

/** The sink that discards everything. */
enum NoopMetricSink implements MetricSink {
    INSTANCE;

    @Override
    public void logParam(String key, String value) {
        // discarded on purpose
    }

    @Override
    public void logMetric(String key, double value, long step) {
        // discarded on purpose
    }

    @Override
    public void setTag(String key, String value) {
        // discarded on purpose
    }
}
