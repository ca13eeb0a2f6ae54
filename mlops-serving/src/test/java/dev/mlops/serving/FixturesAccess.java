package dev.mlops.serving;

import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;

/** Opens the package-private fixtures to tests in sub-packages. */
public final class FixturesAccess {
    private FixturesAccess() {
    }

    /**
     * Returns the seeded blob data.
     *
     * @param rows the number of rows
     * @param seed the seed
     * @return the dataset
     */
    public static MutableDataset<Label> data(int rows, long seed) {
        return Fixtures.data(rows, seed);
    }
}
