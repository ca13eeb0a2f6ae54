package dev.mlops.llm.align;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.train.Precision;
import dev.mlops.llm.train.SftConfig;

/** Checks the shared loop settings against what the preference and distillation trainers support. */
final class LoopSettings {
    private LoopSettings() {
    }

    static SftConfig check(String trainer, SftConfig training, boolean packingAllowed) {
        if (training == null) {
            throw new InvalidArgumentException(trainer + " training settings must not be null");
        }
        if (training.packing() && !packingAllowed) {
            throw new InvalidArgumentException(trainer + " does not pack examples, but packing was " + true
                    + "; turn packing off");
        }
        if (training.precision() == Precision.FP16_MIXED) {
            throw new InvalidArgumentException(trainer + " trains in 32-bit floats, but precision was "
                    + training.precision() + "; use AUTO or FP32");
        }
        if (training.earlyStoppingPatience() > 0) {
            throw new InvalidArgumentException(trainer + " does not stop early, but earlyStoppingPatience was "
                    + training.earlyStoppingPatience() + "; use maxSteps or epochs");
        }
        if (training.checkpointDir() != null) {
            throw new InvalidArgumentException(trainer + " does not write checkpoints, but checkpointDir was "
                    + training.checkpointDir());
        }
        return training;
    }
}
