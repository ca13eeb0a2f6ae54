package dev.mlops.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * Where integration tests find the shared services. Each address comes from an environment variable; when it is
 * unset (as on a laptop) the test is skipped with a message that says how to run it. {@code .ci/run} sets both.
 */
public final class TestServices {
    /** The variable that holds a PostgreSQL JDBC URL. */
    public static final String POSTGRES_URL = "MLOPS_TEST_POSTGRES_URL";
    /** The variable that holds a Redis URI. */
    public static final String REDIS_URL = "MLOPS_TEST_REDIS_URL";

    private TestServices() {
    }

    /**
     * Returns the PostgreSQL JDBC URL, or skips the calling test.
     *
     * @return the URL
     */
    public static String postgresUrl() {
        return require(POSTGRES_URL, "jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "PostgreSQL");
    }

    /**
     * Returns the Redis URI, or skips the calling test.
     *
     * @return the URI
     */
    public static String redisUrl() {
        return require(REDIS_URL, "redis://127.0.0.1:6379", "Redis");
    }

    private static String require(String variable, String example, String service) {
        String value = System.getenv(variable);
        Assumptions.assumeTrue(value != null && !value.isBlank(), () -> service + " tests are skipped: set "
                + variable + "=" + example + " to run them");
        return value;
    }
}
