package dev.mlops.llm;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An ordered set of evaluation examples with unique ids. Immutable and thread-safe.
 *
 * <pre>{@code
 * EvalDataset ds = EvalDataset.of(List.of(
 *         EvalExample.of("q1", "Capital of France?", "Paris"),
 *         EvalExample.of("q2", "2 + 2 =", "4", "four")));
 * EvalDataset fromCsv = EvalDataset.fromFrame(Frame.readCsv(path), "id", "prompt", "reference");
 * }</pre>
 */
public final class EvalDataset {
    private final List<EvalExample> examples;

    private EvalDataset(List<EvalExample> examples) {
        this.examples = examples;
    }

    /**
     * Creates a dataset.
     *
     * @param examples at least one example, with unique ids
     * @return the dataset
     * @throws InvalidArgumentException if there are no examples or an id repeats
     */
    public static EvalDataset of(List<EvalExample> examples) {
        Objects.requireNonNull(examples, "examples");
        if (examples.isEmpty()) {
            throw new InvalidArgumentException("an evaluation dataset needs at least one example");
        }
        Set<String> ids = new HashSet<>();
        for (EvalExample e : examples) {
            if (!ids.add(Objects.requireNonNull(e, "example").id())) {
                throw new InvalidArgumentException("example id '" + e.id() + "' appears more than once");
            }
        }
        return new EvalDataset(List.copyOf(examples));
    }

    /**
     * Creates a dataset from a frame: one row per example, string columns for the id, the prompt and any number of
     * references (a null reference cell is skipped).
     *
     * @param frame the rows
     * @param idColumn the id column
     * @param promptColumn the prompt column
     * @param referenceColumns zero or more reference columns
     * @return the dataset
     * @throws dev.mlops.api.NotFoundException if a column does not exist
     * @throws InvalidArgumentException if a column is not a string column, an id or prompt is null, or an id
     *     repeats
     */
    public static EvalDataset fromFrame(Frame frame, String idColumn, String promptColumn, String... referenceColumns) {
        frame.stringColumn(idColumn);
        frame.stringColumn(promptColumn);
        for (String c : referenceColumns) {
            frame.stringColumn(c);
        }
        List<EvalExample> out = new ArrayList<>(frame.rowCount());
        for (Row row : frame) {
            String id = row.getString(idColumn);
            if (id == null) {
                throw new InvalidArgumentException("row " + row.index() + " has a null id in column '" + idColumn + "'");
            }
            String prompt = row.getString(promptColumn);
            if (prompt == null) {
                throw new InvalidArgumentException("row " + row.index() + " (id '" + id + "') has a null prompt in "
                        + "column '" + promptColumn + "'");
            }
            List<String> refs = new ArrayList<>();
            for (String c : referenceColumns) {
                String r = row.getString(c);
                if (r != null) {
                    refs.add(r);
                }
            }
            out.add(new EvalExample(id, prompt, refs));
        }
        return of(out);
    }

    /**
     * Returns the examples in order.
     *
     * @return an unmodifiable list
     */
    public List<EvalExample> examples() {
        return examples;
    }

    /**
     * Returns the number of examples.
     *
     * @return the size
     */
    public int size() {
        return examples.size();
    }

    @Override
    public String toString() {
        return "EvalDataset[" + examples.size() + " examples]";
    }
}
