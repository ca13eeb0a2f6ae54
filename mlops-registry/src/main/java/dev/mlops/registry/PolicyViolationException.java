package dev.mlops.registry;

import dev.mlops.api.ConflictException;
import java.util.List;

/** Thrown when an alias move breaks the alias's policy; lists every rule that failed. */
public class PolicyViolationException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> violations;

    /**
     * Creates the exception.
     *
     * @param what the move that was refused
     * @param violations every rule that failed
     */
    public PolicyViolationException(String what, List<String> violations) {
        super(what + " breaks its policy: " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * Returns the failed rules.
     *
     * @return one message per rule
     */
    public List<String> violations() {
        return violations;
    }
}
