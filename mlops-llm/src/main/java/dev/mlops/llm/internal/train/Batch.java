package dev.mlops.llm.internal.train;

import java.util.List;

/**
 * One micro-batch as flat row-major arrays of B rows by T positions: inputs, next-token labels, label mask, position
 * ids and segment ids (one segment per packed example; padding is segment 0). Padding positions get ids that keep
 * counting, so every id stays inside the position table.
 *
 * @param rows B
 * @param length T
 * @param inputs input ids
 * @param labels label ids
 * @param mask 1 where the label counts in the loss
 * @param positions position ids
 * @param segments segment ids, or null when every row holds one example
 * @param targets the number of counted labels
 * @param tokens the number of non-padding input positions
 */
public record Batch(int rows, int length, long[] inputs, long[] labels, float[] mask, long[] positions,
        int[][] segments, int targets, int tokens) {

    /**
     * Builds a micro-batch of one example per row, right-padded to the longest.
     *
     * @param examples the examples
     * @return the batch
     */
    public static Batch padded(List<Encoded> examples) {
        int t = 1;
        for (Encoded e : examples) {
            t = Math.max(t, e.positions());
        }
        Builder b = new Builder(examples.size(), t, false);
        for (int r = 0; r < examples.size(); r++) {
            b.place(r, 0, examples.get(r), 1);
        }
        return b.build();
    }

    /**
     * Builds a micro-batch of packed rows: each row holds consecutive examples, each its own segment with positions
     * from 0, padded to the longest row.
     *
     * @param rows the examples of each row
     * @return the batch
     */
    public static Batch packed(List<List<Encoded>> rows) {
        int t = 1;
        for (List<Encoded> row : rows) {
            int used = 0;
            for (Encoded e : row) {
                used += e.positions();
            }
            t = Math.max(t, used);
        }
        Builder b = new Builder(rows.size(), t, true);
        for (int r = 0; r < rows.size(); r++) {
            int at = 0;
            int seg = 1;
            for (Encoded e : rows.get(r)) {
                b.place(r, at, e, seg++);
                at += e.positions();
            }
        }
        return b.build();
    }

    private static final class Builder {
        final int rows;
        final int length;
        final long[] inputs;
        final long[] labels;
        final float[] mask;
        final long[] positions;
        final int[][] segments;
        int targets;
        int tokens;

        Builder(int rows, int length, boolean packed) {
            this.rows = rows;
            this.length = length;
            int n = rows * length;
            inputs = new long[n];
            labels = new long[n];
            mask = new float[n];
            positions = new long[n];
            for (int k = 0; k < n; k++) {
                positions[k] = k % length;
            }
            segments = packed ? new int[rows][length] : null;
        }

        void place(int row, int at, Encoded e, int segment) {
            int n = e.positions();
            for (int i = 0; i < n; i++) {
                int k = row * length + at + i;
                inputs[k] = e.ids()[i];
                labels[k] = e.ids()[i + 1];
                boolean trained = e.trained()[i + 1];
                mask[k] = trained ? 1f : 0f;
                positions[k] = i;
                if (segments != null) {
                    segments[row][at + i] = segment;
                }
                if (trained) {
                    targets++;
                }
            }
            tokens += n;
        }

        Batch build() {
            return new Batch(rows, length, inputs, labels, mask, positions, segments, targets, tokens);
        }
    }
}
