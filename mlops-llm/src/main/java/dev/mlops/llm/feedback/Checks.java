package dev.mlops.llm.feedback;

import dev.mlops.api.InvalidArgumentException;

/** Argument checks shared by the feedback values. */
final class Checks {
    static final int MAX_ID = 256;
    static final int MAX_TEXT = 1_000_000;

    private Checks() {
    }

    /** Checks a required text: not blank, at most max characters. */
    static String text(String what, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidArgumentException(what + " must not be blank");
        }
        if (value.length() > max) {
            throw new InvalidArgumentException(what + " is " + value.length() + " characters long, more than " + max);
        }
        return value;
    }

    /** Checks an optional text: null, or not blank and at most max characters. */
    static String optional(String what, String value, int max) {
        return value == null ? null : text(what, value, max);
    }

    /** Checks a required text that may be empty but not null, at most max characters. */
    static String content(String what, String value, int max) {
        if (value == null) {
            throw new InvalidArgumentException(what + " must not be null");
        }
        if (value.length() > max) {
            throw new InvalidArgumentException(what + " is " + value.length() + " characters long, more than " + max);
        }
        return value;
    }
}
