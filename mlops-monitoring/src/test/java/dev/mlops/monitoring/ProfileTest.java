package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.BooleanColumn;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.LongColumn;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Schema;
import dev.mlops.api.StringColumn;
import dev.mlops.api.UnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
    @TempDir
    Path dir;

    private static Frame small() {
        return Frame.builder()
                .column("x", DoubleColumn.ofNullable(1.0, 2.0, null, Double.NaN, 4.0, Double.POSITIVE_INFINITY, 5.0))
                .column("n", LongColumn.ofNullable(3L, 3L, 1L, null, 2L, 3L, 1L))
                .column("s", StringColumn.of("a", "b", "a", null, "a", "c", "b"))
                .column("b", BooleanColumn.ofNullable(true, false, true, true, null, false, true))
                .build();
    }

    @Test
    void countsMissingValuesAndMomentsByHand() {
        ColumnProfile x = Monitoring.profile(small()).column("x");
        assertEquals(DataType.DOUBLE, x.type());
        assertEquals(7, x.count());
        assertEquals(1, x.nullCount());
        assertEquals(1, x.nanCount());
        assertEquals(1, x.infiniteCount());
        assertEquals(4, x.validCount());
        assertEquals(2.0 / 7, x.missingFraction(), 1e-15);
        // valid values 1, 2, 4, 5: mean 3, squared deviations 4 + 1 + 1 + 4 = 10
        assertEquals(1.0, x.min());
        assertEquals(5.0, x.max());
        assertEquals(3.0, x.mean(), 1e-15);
        assertEquals(Math.sqrt(10.0 / 3), x.stddev(), 1e-15);
        assertEquals(Math.sqrt(10.0 / 4), x.populationStddev(), 1e-15);
        assertEquals(4, x.distinctCount());
        assertEquals(2.0, x.quantile(0.5));
        assertEquals(0.5, x.cdf(2.0), 1e-15);
        assertEquals(0.0, x.rankError(), "a sketch of 4 values holds them all");
    }

    @Test
    void longColumnsCountValuesExactly() {
        ColumnProfile n = Monitoring.profile(small()).column("n");
        SortedMap<Double, Long> counts = n.valueCounts().orElseThrow();
        assertEquals(Map.of(1.0, 2L, 2.0, 1L, 3.0, 3L), counts);
        assertEquals(3, n.distinctCount());
        assertEquals(13.0 / 6, n.mean(), 1e-15);
    }

    @Test
    void stringsAndBooleansHaveFrequentItems() {
        DatasetProfile p = Monitoring.profile(small());
        List<FrequentItem> s = p.column("s").frequentItems(10);
        assertEquals(List.of(new FrequentItem("a", 3, 3, 3), new FrequentItem("b", 2, 2, 2),
                new FrequentItem("c", 1, 1, 1)), s);
        assertEquals(1, p.column("s").nullCount());
        assertEquals(3, p.column("s").distinctCount());
        assertTrue(Double.isNaN(p.column("s").mean()));
        assertEquals(0, p.column("s").histogram(5).counts().size());
        List<FrequentItem> b = p.column("b").frequentItems(1);
        assertEquals(List.of(new FrequentItem("true", 4, 4, 4)), b);
    }

    @Test
    void emptyAndSingleValueColumns() {
        Frame empty = Frame.builder().doubles("x").strings("s").build();
        DatasetProfile p = Monitoring.profile(empty);
        assertEquals(0, p.rowCount());
        assertEquals(0, p.column("x").count());
        assertTrue(Double.isNaN(p.column("x").mean()));
        assertTrue(Double.isNaN(p.column("x").quantile(0.5)));
        assertTrue(Double.isNaN(p.column("x").cdf(0)));
        assertEquals(0.0, p.column("x").missingFraction());
        assertEquals(0, p.column("x").histogram(4).edges().size());

        ColumnProfile one = Monitoring.profile(Frame.builder().doubles("x", 7.5).build()).column("x");
        assertEquals(7.5, one.mean());
        assertEquals(0.0, one.populationStddev());
        assertTrue(Double.isNaN(one.stddev()), "a sample standard deviation needs two values");
        assertEquals(7.5, one.quantile(0.0));
        assertEquals(List.of(7.5, 7.5), one.histogram(10).edges());
        assertEquals(List.of(1L), one.histogram(10).counts());
    }

    @Test
    void quantilesAndHistogramOfLargeDataStayWithinTheRankError() {
        Random rnd = new Random(7);
        double[] v = new double[50_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian() * 3 + 10;
        }
        ColumnProfile c = Monitoring.profile(Frame.builder().doubles("x", v).build()).column("x");
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double eps = c.rankError();
        assertTrue(eps > 0 && eps < 0.02, "k = 200 gives about 1.3%: " + eps);
        for (double q : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
            double est = c.quantile(q);
            int rank = Arrays.binarySearch(sorted, est);
            double trueRank = (double) (rank >= 0 ? rank : -rank - 1) / sorted.length;
            assertEquals(q, trueRank, eps, "quantile " + q);
        }
        Histogram h = c.histogram(10);
        assertEquals(11, h.edges().size());
        assertEquals(50_000L, h.counts().stream().mapToLong(Long::longValue).sum());
        for (int i = 0; i < 10; i++) {
            double lo = h.edges().get(i);
            double hi = h.edges().get(i + 1);
            long exact = Arrays.stream(v).filter(x -> x >= lo && (x < hi || hi == c.max())).count();
            assertEquals(exact, h.counts().get(i), h.countError() + 1, "bin " + i);
        }
        assertTrue(c.valueCounts().isEmpty(), "50,000 distinct values are not counted one by one");
        assertEquals(50_000, c.distinctCount(), 50_000 * 0.05);
    }

    @Test
    void mergeOfShardsEqualsTheProfileOfTheUnion() {
        Random rnd = new Random(3);
        int n = 30_000;
        double[] x = new double[n];
        long[] k = new long[n];
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble() * 100;
            k[i] = rnd.nextInt(5);
            s[i] = "c" + rnd.nextInt(12);
        }
        Frame all = Frame.builder().doubles("x", x).longs("k", k).strings("s", s).build();
        DatasetProfile whole = Monitoring.profile(all);
        DatasetProfile merged = Monitoring.profile(all.slice(0, 10_000))
                .merge(Monitoring.profile(all.slice(10_000, 17_000)))
                .merge(Monitoring.profile(all.slice(17_000, n)));
        assertEquals(whole.rowCount(), merged.rowCount());
        for (String c : List.of("x", "k", "s")) {
            ColumnProfile a = whole.column(c);
            ColumnProfile b = merged.column(c);
            assertEquals(a.count(), b.count());
            assertEquals(a.validCount(), b.validCount());
            if (a.isNumeric()) {
                assertEquals(a.min(), b.min());
                assertEquals(a.max(), b.max());
                assertEquals(a.mean(), b.mean(), 1e-9 * Math.max(1, Math.abs(a.mean())));
                assertEquals(a.stddev(), b.stddev(), 1e-9 * Math.max(1, a.stddev()));
            }
            assertEquals(a.distinctCount(), b.distinctCount(), Math.max(1, a.distinctCount() * 0.05));
            assertEquals(a.valueCounts(), b.valueCounts());
            assertEquals(a.frequentItems(20), b.frequentItems(20));
        }
        double eps = merged.column("x").rankError();
        for (double q : new double[] {0.1, 0.5, 0.9}) {
            assertEquals(q * 100, merged.column("x").quantile(q), 100 * 2 * eps + 1, "quantile " + q);
        }
        assertEquals(whole.correlation("x", "k"), merged.correlation("x", "k"), 1e-9);
        assertThrows(InvalidArgumentException.class, () -> whole.merge(Monitoring.profile(all.select("x"))));
    }

    @Test
    void rowByRowEqualsFrameAtATime() {
        Frame f = small();
        ProfileRecorder r = Profiler.defaults().recorder(f.schema());
        f.forEach(r::add);
        DatasetProfile rows = r.snapshot();
        DatasetProfile frame = Monitoring.profile(f);
        // The frame path sums co-moments per chunk and the row path one row at a time: equal up to rounding.
        assertEquals(withoutCorrelations(frame.toJson()), withoutCorrelations(rows.toJson()));
        assertEquals(frame.correlation("x", "n"), rows.correlation("x", "n"), 1e-12);
        assertEquals(7, r.rowCount());

        Map<String, Object> m = new HashMap<>();
        m.put("x", 2);
        m.put("s", "z");
        r.add(m);
        DatasetProfile after = r.snapshot();
        assertEquals(8, after.column("n").count());
        assertEquals(2, after.column("n").nullCount(), "a column missing from the map counts as null");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> r.add(Map.of("n", "three")));
        assertTrue(e.getMessage().contains("'n'") && e.getMessage().contains("three"), e.getMessage());
        assertEquals(8, r.snapshot().rowCount(), "a rejected row leaves the profile untouched");
        assertEquals(8, r.snapshot().column("x").count());
    }

    private static String withoutCorrelations(String json) {
        return json.substring(0, json.indexOf("\"correlations\""));
    }

    @Test
    void correlationsMatchPearsonByHand() {
        // y = 2x + 1 exactly; z is anti-correlated with x; w is constant.
        Frame f = Frame.builder().doubles("x", 1, 2, 3, 4).doubles("y", 3, 5, 7, 9).doubles("z", 4, 3, 2, 1.5)
                .doubles("w", 2, 2, 2, 2).build();
        DatasetProfile p = Monitoring.profile(f);
        assertEquals(1.0, p.correlation("x", "y"), 1e-12);
        // x: deviations -1.5, -0.5, 0.5, 1.5; z mean 2.625, deviations 1.375, 0.375, -0.625, -1.125
        double cov = -1.5 * 1.375 - 0.5 * 0.375 - 0.5 * 0.625 - 1.5 * 1.125;
        double r = cov / Math.sqrt(5.0 * (1.375 * 1.375 + 0.375 * 0.375 + 0.625 * 0.625 + 1.125 * 1.125));
        assertEquals(r, p.correlation("x", "z"), 1e-12);
        assertTrue(Double.isNaN(p.correlation("x", "w")), "a constant column has no correlation");
        assertEquals(1.0, p.correlation("z", "z"));
        assertThrows(NotFoundException.class, () -> p.correlation("x", "nope"));

        ProfileRecorder rec = Profiler.defaults().recorder(f.schema());
        f.forEach(rec::add);
        assertEquals(r, rec.snapshot().correlation("x", "z"), 1e-12);
        assertEquals(List.of(), Profiler.builder().correlations(false).build().profile(f).correlationColumns());
    }

    @Test
    void jsonRoundTripKeepsEveryStatistic() throws Exception {
        Random rnd = new Random(11);
        double[] v = new double[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        Frame f = small().concat();
        DatasetProfile p = Monitoring.profile(f).merge(Monitoring.profile(f));
        DatasetProfile back = DatasetProfile.fromJson(p.toJson());
        assertEquals(p.toJson(), back.toJson());
        assertEquals(p.column("x").mean(), back.column("x").mean());
        assertEquals(p.column("s").frequentItems(5), back.column("s").frequentItems(5));

        DatasetProfile big = Monitoring.profile(Frame.builder().doubles("g", v).build());
        Path file = dir.resolve("profiles/big.json");
        big.writeJson(file);
        DatasetProfile read = DatasetProfile.readJson(file);
        for (double q : new double[] {0.05, 0.5, 0.95}) {
            assertEquals(big.column("g").quantile(q), read.column("g").quantile(q));
        }
        assertEquals(big.column("g").distinctCount(), read.column("g").distinctCount());
        assertFalse(Files.readString(dir.resolve("profiles/big.json").toAbsolutePath()).contains("NaN"));
    }

    @Test
    void badJsonNamesWhatIsWrong() {
        String good = Monitoring.profile(small()).toJson();
        assertMessage(() -> DatasetProfile.fromJson("{"), "not valid JSON");
        assertMessage(() -> DatasetProfile.fromJson("[]"), "JSON object");
        assertMessage(() -> DatasetProfile.fromJson(good.replace("\"version\" : 1", "\"version\" : 9")), "$.version");
        assertMessage(() -> DatasetProfile.fromJson(good.replace("\"format\" : \"mlops.dataset-profile\"",
                "\"format\" : \"other\"")), "$.format");
        assertMessage(() -> DatasetProfile.fromJson(good.replaceFirst("\"kll\" : \"[^\"]+\"", "\"kll\" : \"AAAA\"")),
                "$.columns[0]");
        assertMessage(() -> DatasetProfile.fromJson(good.replaceFirst("\"kll\" : \"[^\"]+\"", "\"kll\" : \"***\"")),
                "Base64");
        assertMessage(() -> DatasetProfile.fromJson(good.replaceFirst("\"nulls\" : 1", "\"nulls\" : -1")), "nulls");
        assertMessage(() -> DatasetProfile.fromJson(good.replaceFirst("\"type\" : \"double\"", "\"type\" : \"complex\"")),
                "complex");
        assertThrows(UnavailableException.class, () -> DatasetProfile.readJson(dir.resolve("missing.json")));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void builderFailsFastNamingTheOption() {
        assertMessage(() -> Profiler.builder().quantileK(4), "quantileK");
        assertMessage(() -> Profiler.builder().quantileK(100).quantileK(200), "quantileK was already set");
        assertMessage(() -> Profiler.builder().distinctLgK(30), "distinctLgK");
        assertMessage(() -> Profiler.builder().frequentItemsLgMapSize(1), "frequentItemsLgMapSize");
        assertMessage(() -> Profiler.builder().exactValueLimit(0), "exactValueLimit");
        assertMessage(() -> Profiler.builder().maxCorrelationColumns(1), "maxCorrelationColumns");
        assertMessage(() -> Monitoring.profile(small()).column("x").quantile(1.5), "1.5");
        assertMessage(() -> Monitoring.profile(small()).column("x").histogram(0), "bins");
        assertThrows(NotFoundException.class, () -> Monitoring.profile(small()).column("nope"));
        ProfileRecorder r = Profiler.defaults().recorder(Schema.of(Field.of("q", DataType.DOUBLE)));
        assertMessage(() -> r.add(small()), "'q'");
    }

    @Test
    void largerQuantileKIsMoreAccurate() {
        Profiler precise = Profiler.builder().quantileK(1000).build();
        double[] v = new double[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Frame f = Frame.builder().doubles("x", v).build();
        double coarse = Monitoring.profile(f).column("x").rankError();
        double fine = precise.profile(f).column("x").rankError();
        assertTrue(fine < coarse / 3, fine + " vs " + coarse);
        assertEquals(50_000, precise.profile(f).column("x").quantile(0.5), 100_000 * fine);
    }
}
