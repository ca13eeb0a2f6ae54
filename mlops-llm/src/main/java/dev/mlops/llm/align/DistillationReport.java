package dev.mlops.llm.align;

/**
 * A student set against its teacher on one validation set.
 *
 * @param teacher the teacher's size, speed and quality
 * @param student the student's size, speed and quality
 * @param klDivergence the mean {@code KL(teacher || student)} of next-token distributions at temperature 1, per
 *     completion token, in nats
 * @param agreement the share of completion tokens where both models' most likely next token is the same
 * @param tokens the completion tokens measured
 */
public record DistillationReport(ModelSummary teacher, ModelSummary student, double klDivergence, double agreement,
        long tokens) {
    /**
     * Returns how many times fewer parameters the student has.
     *
     * @return teacher parameters over student parameters
     */
    public double compression() {
        return (double) teacher.parameters() / student.parameters();
    }

    /**
     * Returns how many times faster the student's forward passes are.
     *
     * @return student tokens per second over the teacher's
     */
    public double speedup() {
        return student.tokensPerSecond() / teacher.tokensPerSecond();
    }
}
