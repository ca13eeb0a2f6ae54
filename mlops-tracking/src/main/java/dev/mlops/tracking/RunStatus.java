package dev.mlops.tracking;

/** The status of a run, as in MLflow. */
public enum RunStatus {
    /** The run is in progress. */
    RUNNING,
    /** The run is scheduled but has not started. */
    SCHEDULED,
    /** The run completed. */
    FINISHED,
    /** The run ended with an error. */
    FAILED,
    /** The run was stopped from outside. */
    KILLED;

    /**
     * Tells whether the run has ended.
     *
     * @return true for FINISHED, FAILED and KILLED
     */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
