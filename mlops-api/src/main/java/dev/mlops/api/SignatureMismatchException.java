package dev.mlops.api;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when input does not fit a model's {@link Signature}; carries every mismatch found. */
public class SignatureMismatchException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<Signature.Mismatch> mismatches;

    /**
     * Creates the exception.
     *
     * @param mismatches every mismatch found, at least one
     */
    public SignatureMismatchException(List<Signature.Mismatch> mismatches) {
        super("input does not match the signature (" + mismatches.size() + " problem"
                + (mismatches.size() == 1 ? "" : "s") + "): "
                + mismatches.stream().map(Signature.Mismatch::toString).collect(Collectors.joining("; ")));
        this.mismatches = List.copyOf(mismatches);
    }

    /**
     * Returns the mismatches.
     *
     * @return an unmodifiable list, never empty
     */
    public List<Signature.Mismatch> mismatches() {
        return mismatches;
    }
}
