package dev.mlops.tracking.internal;

import dev.mlops.api.InvalidArgumentException;
import java.util.regex.Pattern;

/** MLflow's limits and name rules, checked before anything reaches the store. */
public final class Limits {
    /** Longest param, metric or tag key. */
    public static final int MAX_KEY_LENGTH = 250;
    /** Longest param value. */
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** Longest tag value. */
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    /** Longest experiment name. */
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    /** Longest run name. */
    public static final int MAX_RUN_NAME_LENGTH = 250;
    /** Longest dataset name. */
    public static final int MAX_DATASET_NAME_LENGTH = 500;
    /** Longest dataset source description. */
    public static final int MAX_DATASET_SOURCE_LENGTH = 2000;
    /** Most metrics written in one statement batch, as in MLflow's log-batch. */
    public static final int MAX_METRICS_PER_BATCH = 1000;
    /** Most params written in one statement batch. */
    public static final int MAX_PARAMS_PER_BATCH = 100;
    /** Most tags written in one statement batch. */
    public static final int MAX_TAGS_PER_BATCH = 100;

    private static final Pattern KEY = Pattern.compile("[\\w/.\\- ]+", Pattern.UNICODE_CHARACTER_CLASS);

    private Limits() {
    }

    /**
     * Checks a param, metric or tag key as MLflow does: word characters, {@code / . - } and space, at most 250
     * characters, and a path that normalization would not change (no {@code .} or {@code ..} segments, no leading,
     * trailing or doubled slash).
     */
    public static String checkKey(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidArgumentException(kind + " key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidArgumentException(kind + " key '" + key.substring(0, 40) + "...' is " + key.length()
                    + " characters long, more than " + MAX_KEY_LENGTH);
        }
        if (!KEY.matcher(key).matches()) {
            throw new InvalidArgumentException(kind + " key '" + printable(key) + "' may hold only letters, digits, "
                    + "'_', '-', '.', '/' and spaces");
        }
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//") || key.equals(".") || key.equals("..")
                || key.startsWith("./") || key.startsWith("../") || key.contains("/./") || key.contains("/../")
                || key.endsWith("/.") || key.endsWith("/..")) {
            throw new InvalidArgumentException(kind + " key '" + key + "' is not a normalized relative path");
        }
        return key;
    }

    /** Checks a value's presence and length. */
    public static String checkValue(String kind, String key, String value, int maxLength) {
        if (value == null) {
            throw new InvalidArgumentException(kind + " '" + key + "' must have a value, not null");
        }
        if (value.length() > maxLength) {
            throw new InvalidArgumentException(kind + " '" + key + "' has a value of " + value.length()
                    + " characters, more than " + maxLength);
        }
        return value;
    }

    /** Checks a name (experiment, run, dataset): not blank, bounded, no control characters. */
    public static String checkName(String kind, String name, int maxLength) {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException(kind + " name must not be blank");
        }
        if (name.length() > maxLength) {
            throw new InvalidArgumentException(kind + " name is " + name.length() + " characters long, more than "
                    + maxLength);
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new InvalidArgumentException(kind + " name '" + printable(name) + "' holds a control character");
            }
        }
        return name;
    }

    static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
