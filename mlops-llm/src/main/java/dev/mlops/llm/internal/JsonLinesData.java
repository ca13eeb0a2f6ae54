package dev.mlops.llm.internal;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.UnavailableException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * What the fine-tuning datasets (supervised examples, preference pairs) share as lists of JSON lines: writing them,
 * their digest and a seeded train/validation split. Stateless.
 */
public final class JsonLinesData {
    private JsonLinesData() {
    }

    /**
     * Writes one JSON line per item.
     *
     * @param <T> the item type
     * @param file the file
     * @param items the items
     * @param line an item's JSON line, without the newline
     * @return the number of lines written
     * @throws UnavailableException if writing fails
     */
    public static <T> long write(Path file, List<T> items, Function<T, String> line) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (T item : items) {
                w.write(line.apply(item));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return items.size();
    }

    /**
     * Returns the SHA-256 of the items' JSON lines, each followed by a newline.
     *
     * @param <T> the item type
     * @param items the items
     * @param line an item's JSON line
     * @return 64 hex characters
     */
    public static <T> String digest(List<T> items, Function<T, String> line) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        for (T item : items) {
            sha.update(line.apply(item).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Splits distinct items with a seeded shuffle: {@code round(size * fraction)} items (at least one when the
     * fraction is positive and there are two or more) go to validation, the rest to training, each part keeping the
     * original order.
     *
     * @param <T> the item type
     * @param unique the items, without duplicates
     * @param validationFraction the validation share, in [0, 1)
     * @param seed the shuffle seed
     * @return the training part, then the validation part
     * @throws InvalidArgumentException if the fraction is out of range
     */
    public static <T> List<List<T>> split(List<T> unique, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new InvalidArgumentException("validationFraction must be in [0, 1), but was " + validationFraction);
        }
        int n = unique.size();
        int k = (int) Math.round(n * validationFraction);
        if (validationFraction > 0 && k == 0 && n >= 2) {
            k = 1;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplitMix rng = new SplitMix(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] validation = new boolean[n];
        for (int i = 0; i < k; i++) {
            validation[order[i]] = true;
        }
        List<T> train = new ArrayList<>();
        List<T> val = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (validation[i] ? val : train).add(unique.get(i));
        }
        return List.of(train, val);
    }
}
