package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.EntityKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The online-store contract in process, plus its size bound. */
class InMemoryOnlineStoreTest extends OnlineStoreContractTest {
    @Override
    OnlineStore create() {
        return InMemoryOnlineStore.create();
    }

    @Test
    void theEntityBoundEvictsInsteadOfGrowing() {
        try (InMemoryOnlineStore small = InMemoryOnlineStore.builder().maximumEntries(100).build()) {
            List<OnlineRow> rows = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                rows.add(row(EntityKeys.ofLong(i), 1, 1, 1.0, 1L, true, "s", null));
            }
            small.write("v", FEATURES, null, rows);
            assertTrue(small.size() <= 100, "held " + small.size());
        }
        assertThrows(InvalidArgumentException.class, () -> InMemoryOnlineStore.builder().maximumEntries(0));
        assertThrows(IllegalStateException.class, () -> InMemoryOnlineStore.builder().maximumEntries(5)
                .maximumEntries(6));
    }
}
