package dev.mlops.monitoring;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.monitoring.drift.Binning;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.ColumnRole;
import dev.mlops.monitoring.drift.DriftMethod;
import dev.mlops.monitoring.drift.DriftReport;
import dev.mlops.monitoring.drift.Verdict;
import dev.mlops.monitoring.internal.ColumnSample;
import dev.mlops.monitoring.internal.DriftEngine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Detects drift between a reference dataset and current data, column by column, and decides dataset drift from the
 * share of drifted feature columns.
 *
 * <p>By default each column gets the test Evidently chooses: with at most 1000 valid reference values,
 * Kolmogorov-Smirnov for numbers, chi-square for categories, the Z-test for two categories (p &lt; 0.05 is drift);
 * above that, the Wasserstein distance normed by the reference standard deviation for numbers and the
 * Jensen-Shannon distance for categories (0.1 or more is drift). Numeric columns with at most 5 distinct values count
 * as categories. The method and threshold can be set per column, per type and per method. A sample with fewer valid
 * values than {@link Builder#minSampleSize(int)} (30 by default) gets {@link Verdict#INSUFFICIENT_DATA} instead of a
 * guess. Nulls, NaN and infinities are left out and counted.
 *
 * <p>The reference may be raw rows ({@link #compare(Frame, Frame)}, exact) or a stored {@link DatasetProfile}
 * ({@link #compare(DatasetProfile, Frame)}): then no raw reference rows are needed, and each result states the
 * approximation error of its statistic ({@link ColumnDrift#statisticError()}). {@link #reference(Frame)} prepares a
 * reference once (values sorted) for many comparisons, as a stream of windows needs.
 *
 * <pre>{@code
 * DriftReport report = DriftDetector.defaults().compare(training, lastHour);
 * DriftDetector custom = DriftDetector.builder()
 *         .method("income", DriftMethod.PSI).binning("income", Binning.referenceQuantiles(10))
 *         .method(DataType.STRING, DriftMethod.CHI_SQUARE)
 *         .prediction("score")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DriftDetector {
    private static final DriftDetector DEFAULTS = builder().build();

    private final Map<String, DriftMethod> columnMethods;
    private final Map<String, Double> columnThresholds;
    private final Map<DataType, DriftMethod> typeMethods;
    private final Map<DriftMethod, Double> methodThresholds;
    private final Map<String, Binning> columnBinnings;
    private final Binning binning;
    private final Map<String, ColumnRole> roles;
    private final Set<String> only;
    private final Set<String> ignored;
    private final double driftShare;
    private final int minSampleSize;
    private final int smallSampleLimit;

    private DriftDetector(Builder b) {
        this.columnMethods = Map.copyOf(b.columnMethods);
        this.columnThresholds = Map.copyOf(b.columnThresholds);
        this.typeMethods = b.typeMethods.isEmpty() ? Map.of() : new EnumMap<>(b.typeMethods);
        this.methodThresholds = b.methodThresholds.isEmpty() ? Map.of() : new EnumMap<>(b.methodThresholds);
        this.columnBinnings = Map.copyOf(b.columnBinnings);
        this.binning = b.binning;
        this.roles = Map.copyOf(b.roles);
        this.only = b.only == null ? null : Set.copyOf(b.only);
        this.ignored = Set.copyOf(b.ignored);
        this.driftShare = b.driftShare;
        this.minSampleSize = b.minSampleSize;
        this.smallSampleLimit = b.smallSampleLimit;
    }

    private DriftDetector(DriftDetector base, Map<String, ColumnRole> roles) {
        this.columnMethods = base.columnMethods;
        this.columnThresholds = base.columnThresholds;
        this.typeMethods = base.typeMethods;
        this.methodThresholds = base.methodThresholds;
        this.columnBinnings = base.columnBinnings;
        this.binning = base.binning;
        this.roles = Map.copyOf(roles);
        this.only = base.only;
        this.ignored = base.ignored;
        this.driftShare = base.driftShare;
        this.minSampleSize = base.minSampleSize;
        this.smallSampleLimit = base.smallSampleLimit;
    }

    /**
     * Returns a variant of this detector in which a column has another role (for instance the prediction column of
     * a monitor), everything else unchanged.
     *
     * @param column the column name
     * @param role its role
     * @return the variant
     */
    public DriftDetector withRole(String column, ColumnRole role) {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(role, "role");
        Map<String, ColumnRole> r = new HashMap<>(roles);
        r.put(column, role);
        return new DriftDetector(this, r);
    }

    /**
     * Returns the role of a column.
     *
     * @param column the column name
     * @return its role, {@link ColumnRole#FEATURE} unless configured otherwise
     */
    public ColumnRole role(String column) {
        return roles.getOrDefault(column, ColumnRole.FEATURE);
    }

    /**
     * Returns the detector with Evidently's default choices and thresholds, a dataset drift share of 0.5, and a
     * minimum of 30 valid values per sample.
     *
     * @return the default detector
     */
    public static DriftDetector defaults() {
        return DEFAULTS;
    }

    /**
     * Starts configuring a detector.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Compares raw reference rows with raw current rows, exactly.
     *
     * @param reference the reference data, for instance the training set
     * @param current the data to test
     * @return the report
     * @throws InvalidArgumentException if a tested column is missing from the current data or has another type, or a
     *     configured method cannot run on a column
     */
    public DriftReport compare(Frame reference, Frame current) {
        Objects.requireNonNull(reference, "reference");
        // One column at a time, so that only one column's sorted copies are alive at once.
        Map<String, Supplier<ColumnSample>> samples = new LinkedHashMap<>();
        Map<String, DataType> types = new LinkedHashMap<>();
        for (Field f : reference.schema().fields()) {
            if (tested(f.name(), f.type())) {
                samples.put(f.name(), () -> ColumnSample.of(f.name(), reference.column(f.name())));
                types.put(f.name(), f.type());
            }
        }
        checkSelection(samples.keySet(), reference.schema().names());
        return compare(new Reference(samples, types, reference.rowCount()), current);
    }

    /**
     * Compares a stored reference profile with raw current rows. Statistics come from the reference's sketches, with
     * their approximation error stated per column; numeric columns with few distinct values and categories within
     * the frequent-items sketch's exact range are compared exactly.
     *
     * @param reference the reference profile
     * @param current the data to test
     * @return the report
     * @throws InvalidArgumentException if a tested column is missing or mismatched, or a method needs raw reference
     *     values (Anderson-Darling)
     */
    public DriftReport compare(DatasetProfile reference, Frame current) {
        return compare(reference(reference), current);
    }

    /**
     * Compares two profiles, for instance of a training set and of yesterday's traffic, without raw rows on either
     * side.
     *
     * @param reference the reference profile
     * @param current the current profile
     * @return the report
     * @throws InvalidArgumentException if a tested column is missing or mismatched, or a method needs raw values
     */
    public DriftReport compare(DatasetProfile reference, DatasetProfile current) {
        Objects.requireNonNull(current, "current");
        Reference ref = reference(reference);
        Map<String, Supplier<ColumnSample>> cur = new LinkedHashMap<>();
        for (String name : ref.samples.keySet()) {
            if (!current.hasColumn(name)) {
                throw missing(name, current.columnNames());
            }
            checkType(name, ref.types.get(name), current.column(name).type());
            cur.put(name, () -> ColumnSample.of(current.column(name).sketch()));
        }
        return run(ref, cur, current.rowCount());
    }

    /**
     * Prepares raw reference rows for many comparisons: the values of each tested column are copied and sorted once.
     *
     * @param reference the reference data
     * @return the prepared reference
     */
    public Reference reference(Frame reference) {
        Objects.requireNonNull(reference, "reference");
        Map<String, Supplier<ColumnSample>> samples = new LinkedHashMap<>();
        Map<String, DataType> types = new LinkedHashMap<>();
        for (Field f : reference.schema().fields()) {
            if (tested(f.name(), f.type())) {
                ColumnSample sample = ColumnSample.of(f.name(), reference.column(f.name()));
                samples.put(f.name(), () -> sample);
                types.put(f.name(), f.type());
            }
        }
        checkSelection(samples.keySet(), reference.schema().names());
        return new Reference(samples, types, reference.rowCount());
    }

    /**
     * Prepares a stored profile as a reference.
     *
     * @param reference the reference profile
     * @return the prepared reference
     */
    public Reference reference(DatasetProfile reference) {
        Objects.requireNonNull(reference, "reference");
        Map<String, Supplier<ColumnSample>> samples = new LinkedHashMap<>();
        Map<String, DataType> types = new LinkedHashMap<>();
        for (ColumnProfile c : reference.columns()) {
            if (tested(c.name(), c.type())) {
                ColumnSample sample = ColumnSample.of(c.sketch());
                samples.put(c.name(), () -> sample);
                types.put(c.name(), c.type());
            }
        }
        checkSelection(samples.keySet(), reference.columnNames());
        return new Reference(samples, types, reference.rowCount());
    }

    /**
     * Compares a prepared reference with raw current rows.
     *
     * @param reference the prepared reference
     * @param current the data to test
     * @return the report
     * @throws InvalidArgumentException if a tested column is missing from the current data or has another type
     */
    public DriftReport compare(Reference reference, Frame current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        Schema schema = current.schema();
        Map<String, Supplier<ColumnSample>> cur = new LinkedHashMap<>();
        for (String name : reference.samples.keySet()) {
            if (!schema.contains(name)) {
                throw missing(name, schema.names());
            }
            checkType(name, reference.types.get(name), schema.field(name).type());
            cur.put(name, () -> ColumnSample.of(name, current.column(name)));
        }
        return run(reference, cur, current.rowCount());
    }

    private static void checkType(String name, DataType reference, DataType current) {
        if (reference != current) {
            throw new InvalidArgumentException("column '" + name + "' is " + reference.jsonName()
                    + " in the reference but " + current.jsonName() + " in the current data");
        }
    }

    private static InvalidArgumentException missing(String name, List<String> present) {
        return new InvalidArgumentException("the current data lack column '" + name + "', which the reference has; "
                + "they have " + present);
    }

    private boolean tested(String name, DataType type) {
        if (ignored.contains(name) || (only != null && !only.contains(name))) {
            return false;
        }
        // Timestamps drift by construction (time moves on); they are tested only when asked for.
        return type != DataType.TIMESTAMP || columnMethods.containsKey(name) || typeMethods.containsKey(type)
                || (only != null && only.contains(name));
    }

    private void checkSelection(Set<String> tested, List<String> present) {
        List<String> named = new ArrayList<>();
        if (only != null) {
            named.addAll(only);
        }
        named.addAll(columnMethods.keySet());
        named.addAll(columnThresholds.keySet());
        named.addAll(columnBinnings.keySet());
        named.addAll(roles.keySet());
        for (String n : named) {
            if (!present.contains(n)) {
                throw new InvalidArgumentException("the detector is configured for column '" + n
                        + "', which the reference lacks; it has " + present);
            }
        }
    }

    private DriftReport run(Reference ref, Map<String, Supplier<ColumnSample>> currentSamples,
            long currentRows) {
        List<ColumnDrift> results = new ArrayList<>();
        int tested = 0;
        int drifted = 0;
        for (Map.Entry<String, Supplier<ColumnSample>> e : ref.samples.entrySet()) {
            String name = e.getKey();
            ColumnSample r = e.getValue().get();
            Map<String, ColumnSample> cur = Map.of(name, currentSamples.get(name).get());
            DriftMethod method = columnMethods.getOrDefault(name, typeMethods.get(r.type()));
            ColumnRole role = roles.getOrDefault(name, ColumnRole.FEATURE);
            double threshold = columnThresholds.containsKey(name) ? columnThresholds.get(name)
                    : method != null && methodThresholds.containsKey(method) ? methodThresholds.get(method) : Double.NaN;
            DriftEngine.Plan plan = new DriftEngine.Plan(method, threshold, columnBinnings.getOrDefault(name, binning),
                    minSampleSize, smallSampleLimit, role);
            ColumnDrift d = DriftEngine.test(r, cur.get(name), plan);
            if (plan.method() == null && Double.isNaN(threshold) && methodThresholds.containsKey(d.method())) {
                d = DriftEngine.test(r, cur.get(name), new DriftEngine.Plan(d.method(),
                        methodThresholds.get(d.method()), plan.binning(), minSampleSize, smallSampleLimit, role));
            }
            results.add(d);
            if (role == ColumnRole.FEATURE && d.verdict() != Verdict.INSUFFICIENT_DATA) {
                tested++;
                if (d.drifted()) {
                    drifted++;
                }
            }
        }
        double share = tested == 0 ? Double.NaN : (double) drifted / tested;
        Verdict verdict = tested == 0 ? Verdict.INSUFFICIENT_DATA
                : share >= driftShare ? Verdict.DRIFT : Verdict.NO_DRIFT;
        return new DriftReport(results, drifted, tested, share, driftShare, verdict, ref.rows, currentRows);
    }

    /**
     * A reference prepared for repeated comparisons: per tested column, the sorted values (from a frame) or the
     * sketches (from a profile). Immutable and thread-safe.
     */
    public static final class Reference {
        private final Map<String, Supplier<ColumnSample>> samples;
        private final Map<String, DataType> types;
        private final long rows;

        private Reference(Map<String, Supplier<ColumnSample>> samples, Map<String, DataType> types,
                long rows) {
            this.samples = samples;
            this.types = types;
            this.rows = rows;
        }

        /**
         * Returns the tested columns.
         *
         * @return the column names
         */
        public List<String> columns() {
            return List.copyOf(samples.keySet());
        }

        /**
         * Returns the number of reference rows.
         *
         * @return the row count
         */
        public long rowCount() {
            return rows;
        }

        @Override
        public String toString() {
            return "DriftDetector.Reference[" + rows + " rows, columns=" + samples.keySet() + "]";
        }
    }

    /** Configures a {@link DriftDetector}. Not thread-safe; each option may be set once (per column, type or method). */
    public static final class Builder {
        private final Map<String, DriftMethod> columnMethods = new HashMap<>();
        private final Map<String, Double> columnThresholds = new HashMap<>();
        private final Map<DataType, DriftMethod> typeMethods = new EnumMap<>(DataType.class);
        private final Map<DriftMethod, Double> methodThresholds = new EnumMap<>(DriftMethod.class);
        private final Map<String, Binning> columnBinnings = new HashMap<>();
        private final Map<String, ColumnRole> roles = new HashMap<>();
        private final Set<String> ignored = new LinkedHashSet<>();
        private Set<String> only;
        private Binning binning = Binning.sturges();
        private double driftShare = 0.5;
        private int minSampleSize = 30;
        private int smallSampleLimit = 1000;
        private final Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new InvalidArgumentException(option + " was already set; cannot set it again to " + value);
            }
        }

        private static String column(String name) {
            if (name == null || name.isEmpty()) {
                throw new InvalidArgumentException("column name must not be empty, but was "
                        + (name == null ? "null" : "''"));
            }
            return name;
        }

        private static double checkThreshold(String what, double t) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new InvalidArgumentException("threshold for " + what + " must be a positive finite number, but was "
                        + t);
            }
            return t;
        }

        /**
         * Sets the method for one column.
         *
         * @param column the column name
         * @param method the method
         * @return this builder
         * @throws InvalidArgumentException if the column's method was set before
         */
        public Builder method(String column, DriftMethod method) {
            once("method of column '" + column(column) + "'", method);
            columnMethods.put(column, Objects.requireNonNull(method, "method"));
            return this;
        }

        /**
         * Sets the threshold for one column: the significance level for tests, the distance for distances.
         *
         * @param column the column name
         * @param threshold a positive number (below 1 for a significance level)
         * @return this builder
         * @throws InvalidArgumentException if the threshold is not positive or was set before
         */
        public Builder threshold(String column, double threshold) {
            once("threshold of column '" + column(column) + "'", threshold);
            columnThresholds.put(column, checkThreshold("column '" + column + "'", threshold));
            return this;
        }

        /**
         * Sets the method for every column of a type that has no method of its own.
         *
         * @param type the column type
         * @param method the method
         * @return this builder
         * @throws InvalidArgumentException if the method needs numbers and the type is not numeric, or it was set
         *     before
         */
        public Builder method(DataType type, DriftMethod method) {
            Objects.requireNonNull(type, "type");
            once("method of type " + type.jsonName(), method);
            if (method.numericOnly() && (type == DataType.STRING || type == DataType.BOOLEAN)) {
                throw new InvalidArgumentException("drift method " + method.id() + " needs numbers, but was set for type "
                        + type.jsonName());
            }
            typeMethods.put(type, method);
            return this;
        }

        /**
         * Sets the threshold of a method wherever it runs without a column threshold.
         *
         * @param method the method
         * @param threshold a positive number
         * @return this builder
         * @throws InvalidArgumentException if the threshold is not positive or was set before
         */
        public Builder threshold(DriftMethod method, double threshold) {
            once("threshold of method " + method.id(), threshold);
            methodThresholds.put(method, checkThreshold("method " + method.id(), threshold));
            return this;
        }

        /**
         * Sets the binning of numeric histograms (default: equal width over the combined range, Sturges' rule).
         *
         * @param binning the binning
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder binning(Binning binning) {
            once("binning", binning);
            this.binning = Objects.requireNonNull(binning, "binning");
            return this;
        }

        /**
         * Sets the binning of one column.
         *
         * @param column the column name
         * @param binning the binning
         * @return this builder
         * @throws InvalidArgumentException if set before for this column
         */
        public Builder binning(String column, Binning binning) {
            once("binning of column '" + column(column) + "'", binning);
            columnBinnings.put(column, Objects.requireNonNull(binning, "binning"));
            return this;
        }

        /**
         * Tests only these columns (by default every column but timestamps).
         *
         * @param columns the column names
         * @return this builder
         * @throws InvalidArgumentException if set before or empty
         */
        public Builder columns(String... columns) {
            once("columns", List.of(columns));
            if (columns.length == 0) {
                throw new InvalidArgumentException("columns must name at least one column");
            }
            only = new LinkedHashSet<>();
            for (String c : columns) {
                only.add(column(c));
            }
            return this;
        }

        /**
         * Leaves columns out, for instance ids.
         *
         * @param columns the column names
         * @return this builder
         */
        public Builder ignore(String... columns) {
            for (String c : columns) {
                ignored.add(column(c));
            }
            return this;
        }

        /**
         * Marks the model's prediction column: it is tested for prediction drift and reported, but does not count
         * towards dataset drift.
         *
         * @param column the column name
         * @return this builder
         * @throws InvalidArgumentException if the column already has a role
         */
        public Builder prediction(String column) {
            return role(column, ColumnRole.PREDICTION);
        }

        /**
         * Marks the target (label) column: it is tested for target drift and reported, but does not count towards
         * dataset drift.
         *
         * @param column the column name
         * @return this builder
         * @throws InvalidArgumentException if the column already has a role
         */
        public Builder target(String column) {
            return role(column, ColumnRole.TARGET);
        }

        private Builder role(String column, ColumnRole role) {
            once("role of column '" + column(column) + "'", role);
            roles.put(column, role);
            return this;
        }

        /**
         * Sets the share of drifted feature columns at or above which the dataset drifted (default 0.5).
         *
         * @param share a fraction in (0, 1]
         * @return this builder
         * @throws InvalidArgumentException if out of range or set before
         */
        public Builder driftShare(double share) {
            once("driftShare", share);
            if (!(share > 0 && share <= 1)) {
                throw new InvalidArgumentException("driftShare must be in (0, 1], but was " + share);
            }
            this.driftShare = share;
            return this;
        }

        /**
         * Sets the fewest valid values each sample needs for a verdict (default 30); smaller samples get
         * {@link Verdict#INSUFFICIENT_DATA}.
         *
         * @param n 1 or more
         * @return this builder
         * @throws InvalidArgumentException if less than 1 or set before
         */
        public Builder minSampleSize(int n) {
            once("minSampleSize", n);
            if (n < 1) {
                throw new InvalidArgumentException("minSampleSize must be at least 1, but was " + n);
            }
            this.minSampleSize = n;
            return this;
        }

        /**
         * Sets the reference size up to which the automatic choice uses hypothesis tests rather than distances
         * (default 1000, Evidently's).
         *
         * @param n 0 or more
         * @return this builder
         * @throws InvalidArgumentException if negative or set before
         */
        public Builder smallSampleLimit(int n) {
            once("smallSampleLimit", n);
            if (n < 0) {
                throw new InvalidArgumentException("smallSampleLimit must not be negative, but was " + n);
            }
            this.smallSampleLimit = n;
            return this;
        }

        /**
         * Builds the detector.
         *
         * @return the detector
         * @throws InvalidArgumentException if the plain Wasserstein distance is chosen somewhere without a threshold
         */
        public DriftDetector build() {
            boolean wassersteinThreshold = methodThresholds.containsKey(DriftMethod.WASSERSTEIN);
            for (Map.Entry<String, DriftMethod> e : columnMethods.entrySet()) {
                if (e.getValue() == DriftMethod.WASSERSTEIN && !wassersteinThreshold
                        && !columnThresholds.containsKey(e.getKey())) {
                    throw new InvalidArgumentException("column '" + e.getKey() + "' uses the plain Wasserstein distance, "
                            + "which has no scale-free default threshold; set one with threshold(\"" + e.getKey()
                            + "\", ...) or use WASSERSTEIN_NORMED");
                }
            }
            if (typeMethods.containsValue(DriftMethod.WASSERSTEIN) && !wassersteinThreshold) {
                throw new InvalidArgumentException("the plain Wasserstein distance is set for a type but has no default "
                        + "threshold; set one with threshold(DriftMethod.WASSERSTEIN, ...)");
            }
            return new DriftDetector(this);
        }
    }
}
