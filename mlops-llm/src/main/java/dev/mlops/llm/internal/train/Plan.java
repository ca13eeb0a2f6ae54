package dev.mlops.llm.internal.train;

import dev.mlops.llm.internal.SplitMix;
import java.util.ArrayList;
import java.util.List;

/**
 * The order of training: for each epoch, a seeded shuffle of the examples, grouped into rows (one padded example or
 * several packed ones), micro-batches and optimizer steps. Any step can be located without running the earlier
 * ones, which is what makes resuming exact. Not thread-safe.
 */
public final class Plan {
    private final List<Encoded> examples;
    private final int microBatch;
    private final int accumulation;
    private final boolean packing;
    private final int rowLength;
    private final long seed;
    private final List<Integer> stepsPerEpoch = new ArrayList<>();
    private int cachedEpoch = -1;
    private List<Batch> cachedBatches;

    /**
     * Creates a plan.
     *
     * @param examples the encoded training examples, at least one
     * @param microBatch rows per micro-batch
     * @param accumulation micro-batches per step
     * @param packing whether rows hold several examples
     * @param rowLength input positions per packed row
     * @param seed the shuffle seed
     */
    public Plan(List<Encoded> examples, int microBatch, int accumulation, boolean packing, int rowLength, long seed) {
        this.examples = List.copyOf(examples);
        this.microBatch = microBatch;
        this.accumulation = accumulation;
        this.packing = packing;
        this.rowLength = rowLength;
        this.seed = seed;
    }

    /**
     * Returns the number of steps of an epoch.
     *
     * @param epoch the epoch, from 0
     * @return steps
     */
    public int stepsIn(int epoch) {
        while (stepsPerEpoch.size() <= epoch) {
            int micro = batches(stepsPerEpoch.size()).size();
            stepsPerEpoch.add((micro + accumulation - 1) / accumulation);
        }
        return stepsPerEpoch.get(epoch);
    }

    /**
     * Counts the steps of the first epochs.
     *
     * @param epochs how many
     * @return the steps
     */
    public long stepsFor(int epochs) {
        long n = 0;
        for (int e = 0; e < epochs; e++) {
            n += stepsIn(e);
        }
        return n;
    }

    /**
     * Locates a step.
     *
     * @param step the step, from 1
     * @return the epoch and the step's index within it
     */
    public int[] locate(long step) {
        long left = step - 1;
        int epoch = 0;
        while (left >= stepsIn(epoch)) {
            left -= stepsIn(epoch);
            epoch++;
        }
        return new int[] {epoch, (int) left};
    }

    /**
     * Tells whether a step is the last of its epoch.
     *
     * @param step the step, from 1
     * @return true for an epoch's last step
     */
    public boolean endsEpoch(long step) {
        int[] at = locate(step);
        return at[1] == stepsIn(at[0]) - 1;
    }

    /**
     * Returns the micro-batches of a step.
     *
     * @param step the step, from 1
     * @return one to {@code accumulation} micro-batches
     */
    public List<Batch> step(long step) {
        int[] at = locate(step);
        List<Batch> all = batches(at[0]);
        int from = at[1] * accumulation;
        return all.subList(from, Math.min(all.size(), from + accumulation));
    }

    private List<Batch> batches(int epoch) {
        if (epoch == cachedEpoch) {
            return cachedBatches;
        }
        int n = examples.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplitMix rng = new SplitMix(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Batch> out = new ArrayList<>();
        if (!packing) {
            for (int i = 0; i < n; i += microBatch) {
                List<Encoded> rows = new ArrayList<>();
                for (int k = i; k < Math.min(n, i + microBatch); k++) {
                    rows.add(examples.get(order[k]));
                }
                out.add(Batch.padded(rows));
            }
        } else {
            List<List<Encoded>> rows = new ArrayList<>();
            List<Encoded> row = new ArrayList<>();
            int used = 0;
            for (int k = 0; k < n; k++) {
                Encoded e = examples.get(order[k]);
                if (used + e.positions() > rowLength && !row.isEmpty()) {
                    rows.add(row);
                    row = new ArrayList<>();
                    used = 0;
                }
                row.add(e);
                used += e.positions();
            }
            if (!row.isEmpty()) {
                rows.add(row);
            }
            for (int i = 0; i < rows.size(); i += microBatch) {
                out.add(Batch.packed(rows.subList(i, Math.min(rows.size(), i + microBatch))));
            }
        }
        cachedEpoch = epoch;
        cachedBatches = out;
        return out;
    }
}
