package dev.mlops.api.tuning;

/** Thrown by an objective to stop a trial that its study's pruner judged unpromising. */
public final class TrialPrunedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the signal. */
    public TrialPrunedException() {
        super("trial pruned", null, false, false);
    }

    /**
     * Creates the signal with a reason.
     *
     * @param message why the trial stopped
     */
    public TrialPrunedException(String message) {
        super(message, null, false, false);
    }
}
