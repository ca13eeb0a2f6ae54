package dev.mlops.monitoring.stream;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.monitoring.DriftDetector;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DriftReport;
import dev.mlops.monitoring.drift.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a model in production over an inference log: predictions come in with an id, a timestamp and their
 * features; labels come in later, joined by prediction id. Predictions are grouped into windows, by count or by
 * time; each closed window is tested for data and prediction drift against the reference, and, once its labels are
 * in, scored (accuracy, F1, precision, recall, AUC; or RMSE and MAE). Every window metric goes to a
 * {@link MetricSink} (step = window index) and through the {@link AlertRule}s; alerts go to the listeners.
 *
 * <pre>{@code
 * Monitor monitor = Monitor.builder()
 *         .windowByCount(500)
 *         .reference(trainingFrame).prediction("prediction").label("diagnosis")
 *         .classification("malignant")
 *         .rule(AlertRule.above("drift.share", 0.5))
 *         .rule(AlertRule.below("accuracy", 0.9).consecutive(2))
 *         .learnedRule("drift.mean_radius")                   // mean +/- 3 sigma over reference chunks
 *         .listener(retrainingPolicy)
 *         .build();
 * monitor.logPrediction(id, Instant.now(), features, "benign", 0.12);
 * monitor.logLabel(id, "benign");                              // minutes or days later
 * }</pre>
 *
 * <p>A time window closes when a prediction of a later window arrives, or when {@link #advanceTo(Instant)} passes
 * its end (call it from a timer so that a quiet stream still closes windows). A window's performance is final when
 * all its rows are labelled or {@link Builder#labelWait(int)} later windows have closed; labels that come after that
 * are counted in {@link #unmatchedLabels()} and dropped. Memory is bounded: rows are kept for the last
 * {@link Builder#recentWindows(int)} windows, summaries for the last {@link Builder#retainedSummaries(int)}.
 *
 * <p>Thread-safe: every method synchronizes on the monitor, and listeners run after the lock is released, on the
 * calling thread.
 */
public final class Monitor {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    /** What the model predicts. */
    public enum Task {
        /** Class labels (compared as text), optionally with a score for the positive class. */
        CLASSIFICATION,
        /** Numbers. */
        REGRESSION
    }

    private final int windowSize;
    private final Duration windowDuration;
    private final DriftDetector detector;
    private final DriftDetector.Reference reference;
    private final Schema rowSchema;
    private final String predictionColumn;
    private final String labelColumn;
    private final Task task;
    private final String positiveLabel;
    private final int labelWait;
    private final int recentWindows;
    private final int retainedSummaries;
    private final List<AlertRule> rules;
    private final List<AlertListener> listeners;
    private final MetricSink sink;
    private final TimeSource clock;

    private Window open;
    private long nextIndex;
    private final Deque<Window> closed = new ArrayDeque<>();
    private final Deque<WindowSummary> summaries = new ArrayDeque<>();
    private final Map<String, Window> pending = new HashMap<>();
    private final Map<AlertRule, int[]> streaks = new IdentityHashMap<>();
    private long unmatchedLabels;
    private long latePredictions;

    private Monitor(Builder b, List<AlertRule> rules) {
        this.windowSize = b.windowSize;
        this.windowDuration = b.windowDuration;
        this.detector = b.reference != null && b.reference.schema().contains(b.prediction)
                && b.detector.role(b.prediction) == dev.mlops.monitoring.drift.ColumnRole.FEATURE
                ? b.detector.withRole(b.prediction, dev.mlops.monitoring.drift.ColumnRole.PREDICTION) : b.detector;
        this.predictionColumn = b.prediction;
        this.labelColumn = b.label;
        this.task = b.task;
        this.positiveLabel = b.positiveLabel;
        this.labelWait = b.labelWait;
        this.recentWindows = Math.max(b.recentWindows, b.labelWait + 1);
        this.retainedSummaries = b.retainedSummaries;
        this.rules = List.copyOf(rules);
        List<AlertListener> ls = new ArrayList<>();
        if (b.logAlerts) {
            ls.add(AlertListener.logging());
        }
        ls.addAll(b.listeners);
        this.listeners = List.copyOf(ls);
        this.sink = b.sink;
        this.clock = b.clock;
        if (b.reference != null) {
            Frame ref = b.reference.schema().contains(labelColumn) ? b.reference.drop(labelColumn) : b.reference;
            this.reference = detector.reference(ref);
            List<Field> fields = new ArrayList<>();
            for (String name : reference.columns()) {
                if (!name.equals(labelColumn)) {
                    fields.add(Field.of(name, b.reference.schema().field(name).type()));
                }
            }
            this.rowSchema = Schema.of(fields);
        } else {
            this.reference = null;
            this.rowSchema = Schema.of(List.of());
        }
        for (AlertRule r : this.rules) {
            streaks.put(r, new int[2]);
        }
    }

    /**
     * Starts configuring a monitor.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Logs a prediction without a score.
     *
     * @param id the prediction's id, unique among pending predictions
     * @param timestamp when the prediction was made
     * @param features the model's inputs by column name (columns missing from the map are null)
     * @param prediction the prediction: a class (any object, compared as text) or a number for regression
     * @throws InvalidArgumentException if a value does not fit its column or the prediction does not fit the task
     * @throws ConflictException if the id is already pending
     */
    public void logPrediction(String id, Instant timestamp, Map<String, ?> features, Object prediction) {
        logPrediction(id, timestamp, features, prediction, Double.NaN);
    }

    /**
     * Logs a prediction.
     *
     * @param id the prediction's id, unique among pending predictions
     * @param timestamp when the prediction was made
     * @param features the model's inputs by column name (columns missing from the map are null)
     * @param prediction the prediction: a class (any object, compared as text) or a number for regression
     * @param score the score of the positive class for AUC, or NaN
     * @throws InvalidArgumentException if a value does not fit its column or the prediction does not fit the task
     * @throws ConflictException if the id is already pending
     */
    public void logPrediction(String id, Instant timestamp, Map<String, ?> features, Object prediction, double score) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(features, "features");
        Object value = predictionValue(prediction);
        List<Alert> raised = new ArrayList<>();
        synchronized (this) {
            if (pending.containsKey(id)) {
                throw new ConflictException("prediction id '" + id + "' is already logged and waiting for its label");
            }
            if (windowDuration != null) {
                long slot = Math.floorDiv(timestamp.toEpochMilli(), windowDuration.toMillis());
                if (open != null && slot > open.slot) {
                    close(open, raised);
                    open = null;
                }
                if (open == null) {
                    Instant start = Instant.ofEpochMilli(slot * windowDuration.toMillis());
                    open = new Window(nextIndex++, slot, start, start.plus(windowDuration));
                } else if (slot < open.slot) {
                    latePredictions++;
                }
            } else if (open == null) {
                open = new Window(nextIndex++, 0, timestamp, timestamp);
            }
            open.add(id, timestamp, features, value, score);
            pending.put(id, open);
            if (windowSize > 0 && open.size() >= windowSize) {
                close(open, raised);
                open = null;
            }
        }
        dispatch(raised);
    }

    private Object predictionValue(Object prediction) {
        Objects.requireNonNull(prediction, "prediction");
        if (task == Task.REGRESSION) {
            if (!(prediction instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new InvalidArgumentException("a regression prediction must be a finite number, but was '"
                        + prediction + "'");
            }
            return n.doubleValue();
        }
        return prediction.toString();
    }

    /**
     * Logs the true label of an earlier prediction.
     *
     * @param id the prediction's id
     * @param actual the label: a class, or a number for regression
     * @return true if the prediction was found; false if it is unknown or its window's label wait is over (counted in
     *     {@link #unmatchedLabels()})
     * @throws InvalidArgumentException if the label does not fit the task
     */
    public boolean logLabel(String id, Object actual) {
        Objects.requireNonNull(id, "id");
        Object value = predictionValue(actual);
        List<Alert> raised = new ArrayList<>();
        boolean found;
        synchronized (this) {
            Window w = pending.remove(id);
            found = w != null;
            if (!found) {
                unmatchedLabels++;
                LOG.debug("label for unknown or expired prediction id '{}' dropped", id);
            } else {
                w.label(id, value);
                if (w.closed && w.labelled == w.size()) {
                    complete(w, raised);
                }
            }
        }
        dispatch(raised);
        return found;
    }

    /**
     * Closes the open time window if it ended at or before an instant. Call it from a timer, so that windows close
     * even when no prediction arrives.
     *
     * @param now the current time
     */
    public void advanceTo(Instant now) {
        Objects.requireNonNull(now, "now");
        List<Alert> raised = new ArrayList<>();
        synchronized (this) {
            if (open != null && windowDuration != null && !open.end.isAfter(now)) {
                close(open, raised);
                open = null;
            }
        }
        dispatch(raised);
    }

    /**
     * Closes the open window now, whatever its size or time (for instance at shutdown). Does nothing without an open
     * window.
     */
    public void closeWindow() {
        List<Alert> raised = new ArrayList<>();
        synchronized (this) {
            if (open != null) {
                close(open, raised);
                open = null;
            }
        }
        dispatch(raised);
    }

    /**
     * Returns the windows as they stand, oldest first: the retained summaries, the windows still waiting for labels,
     * and the open window.
     *
     * @return the window summaries
     */
    public synchronized List<WindowSummary> windows() {
        Map<Long, WindowSummary> byIndex = new LinkedHashMap<>();
        for (WindowSummary s : summaries) {
            byIndex.put(s.index(), s);
        }
        for (Window w : closed) {
            byIndex.put(w.index, w.summary());
        }
        if (open != null) {
            byIndex.put(open.index, open.summary());
        }
        return List.copyOf(byIndex.values());
    }

    /**
     * Returns the labelled rows of the recent windows, for retraining and evaluation: the feature columns of the
     * reference, the prediction column, the label column and, for classification, a {@code score} column.
     *
     * @return the labelled rows, oldest first
     */
    public synchronized Frame recentLabelled() {
        List<Field> fields = new ArrayList<>(rowSchema.fields());
        DataType valueType = task == Task.REGRESSION ? DataType.DOUBLE : DataType.STRING;
        if (!rowSchema.contains(predictionColumn)) {
            fields.add(Field.of(predictionColumn, valueType));
        }
        fields.add(Field.of(labelColumn, valueType));
        if (task == Task.CLASSIFICATION) {
            fields.add(Field.of("score", DataType.DOUBLE));
        }
        Frame.RowBuilder out = Frame.rowBuilder(Schema.of(fields));
        for (Window w : closed) {
            w.appendLabelled(out, fields.size());
        }
        return out.build();
    }

    /**
     * Returns the number of labels that matched no pending prediction.
     *
     * @return the count
     */
    public synchronized long unmatchedLabels() {
        return unmatchedLabels;
    }

    /**
     * Returns the number of predictions older than the open time window when they arrived (they join the open
     * window).
     *
     * @return the count
     */
    public synchronized long latePredictions() {
        return latePredictions;
    }

    /**
     * Returns the task.
     *
     * @return classification or regression
     */
    public Task task() {
        return task;
    }

    private void close(Window w, List<Alert> raised) {
        w.closed = true;
        w.frame = w.rows.build();
        w.rows = null;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rows", (double) w.size());
        if (reference != null && w.size() > 0) {
            try {
                DriftReport d = detector.compare(reference, w.frame);
                w.drift = d;
                m.put("drift.share", d.driftShare());
                m.put("drift.columns", (double) d.driftedFeatures());
                for (ColumnDrift c : d.columns()) {
                    if (c.verdict() != Verdict.INSUFFICIENT_DATA) {
                        m.put("drift." + c.column(), c.statistic());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("drift of window {} could not be computed: {}", w.index, e.getMessage(), e);
            }
        }
        w.closeMetrics = m;
        emit(w, m, raised);
        closed.addLast(w);
        for (Window older : closed) {
            if (older != w) {
                older.closedAfter++;
            }
        }
        for (Window older : List.copyOf(closed)) {
            if (!older.complete && (older.closedAfter >= labelWait || older.labelled == older.size())) {
                complete(older, raised);
            }
        }
        while (closed.size() > recentWindows && closed.peekFirst().complete) {
            summaries.addLast(closed.removeFirst().summary());
        }
        while (summaries.size() > retainedSummaries) {
            summaries.removeFirst();
        }
    }

    private void complete(Window w, List<Alert> raised) {
        if (w.complete) {
            return;
        }
        w.complete = true;
        for (String id : w.ids) {
            pending.remove(id, w);
        }
        Map<String, Double> perf = w.performance();
        emit(w, perf, raised);
    }

    private void emit(Window w, Map<String, Double> metrics, List<Alert> raised) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            try {
                sink.logMetric(e.getKey(), e.getValue(), w.index);
            } catch (RuntimeException ex) {
                LOG.warn("metric sink failed on {} of window {}; monitoring goes on", e.getKey(), w.index, ex);
            }
        }
        for (AlertRule r : rules) {
            Double v = metrics.get(r.metric());
            if (v == null || v.isNaN()) {
                continue;
            }
            int[] s = streaks.get(r); // [streak, fired]
            if (r.breaches(v)) {
                s[0]++;
                if (s[0] >= r.consecutive() && s[1] == 0) {
                    s[1] = 1;
                    raised.add(new Alert(r.name(), r.metric(), v, r.lower(), r.upper(), s[0], w.index, w.start,
                            w.end, clock.now(), String.format(java.util.Locale.ROOT,
                                    "%s = %.4g in window %d is outside [%s, %s]%s", r.metric(), v, w.index,
                                    Double.isNaN(r.lower()) ? "-inf" : String.format(java.util.Locale.ROOT, "%.4g",
                                            r.lower()),
                                    Double.isNaN(r.upper()) ? "+inf" : String.format(java.util.Locale.ROOT, "%.4g",
                                            r.upper()),
                                    s[0] > 1 ? " for " + s[0] + " windows in a row" : "")));
                }
            } else {
                s[0] = 0;
                s[1] = 0;
            }
        }
    }

    private void dispatch(List<Alert> raised) {
        for (Alert a : raised) {
            for (AlertListener l : listeners) {
                try {
                    l.onAlert(a, this);
                } catch (RuntimeException e) {
                    LOG.warn("alert listener {} failed on alert '{}'; the other listeners still run", l, a.rule(), e);
                }
            }
        }
    }

    /** One window's rows and state. Guarded by the monitor's lock. */
    private final class Window {
        final long index;
        final long slot;
        Instant start;
        Instant end;
        Frame.RowBuilder rows = Frame.rowBuilder(rowSchema);
        Frame frame;
        final List<String> ids = new ArrayList<>();
        final List<Object> predictions = new ArrayList<>();
        double[] scores = new double[16];
        final Map<String, Integer> position = new HashMap<>();
        Object[] labels = new Object[16];
        int labelled;
        boolean closed;
        boolean complete;
        int closedAfter;
        DriftReport drift;
        Map<String, Double> closeMetrics = Map.of();

        Window(long index, long slot, Instant start, Instant end) {
            this.index = index;
            this.slot = slot;
            this.start = start;
            this.end = end;
        }

        int size() {
            return ids.size();
        }

        void add(String id, Instant timestamp, Map<String, ?> features, Object prediction, double score) {
            Object[] values = new Object[rowSchema.size()];
            for (int i = 0; i < values.length; i++) {
                String name = rowSchema.field(i).name();
                values[i] = name.equals(predictionColumn) ? prediction : features.get(name);
            }
            rows.row(values);
            int n = ids.size();
            if (n == scores.length) {
                scores = java.util.Arrays.copyOf(scores, n * 2);
                labels = java.util.Arrays.copyOf(labels, n * 2);
            }
            ids.add(id);
            predictions.add(prediction);
            scores[n] = score;
            position.put(id, n);
            if (windowDuration == null) {
                end = timestamp.isAfter(end) ? timestamp : end;
                start = timestamp.isBefore(start) ? timestamp : start;
            }
        }

        void label(String id, Object value) {
            int i = position.get(id);
            if (labels[i] == null) {
                labelled++;
            }
            labels[i] = value;
        }

        Map<String, Double> performance() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("labelled", (double) labelled);
            if (labelled == 0) {
                return m;
            }
            if (task == Task.REGRESSION) {
                double[] a = new double[labelled];
                double[] p = new double[labelled];
                int k = 0;
                for (int i = 0; i < size(); i++) {
                    if (labels[i] != null) {
                        a[k] = (Double) labels[i];
                        p[k++] = (Double) predictions.get(i);
                    }
                }
                m.put("rmse", PerformanceMetrics.rmse(a, p));
                m.put("mae", PerformanceMetrics.mae(a, p));
                return m;
            }
            List<Object> a = new ArrayList<>(labelled);
            List<Object> p = new ArrayList<>(labelled);
            List<Double> s = new ArrayList<>();
            List<Boolean> pos = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                if (labels[i] != null) {
                    a.add(labels[i]);
                    p.add(predictions.get(i));
                    if (positiveLabel != null && !Double.isNaN(scores[i])) {
                        s.add(scores[i]);
                        pos.add(positiveLabel.equals(labels[i]));
                    }
                }
            }
            m.put("accuracy", PerformanceMetrics.accuracy(a, p));
            if (positiveLabel != null) {
                double[] prf = PerformanceMetrics.precisionRecallF1(a, p, positiveLabel);
                m.put("precision", prf[0]);
                m.put("recall", prf[1]);
                m.put("f1", prf[2]);
                if (!s.isEmpty()) {
                    boolean[] bp = new boolean[pos.size()];
                    double[] sc = new double[s.size()];
                    for (int i = 0; i < bp.length; i++) {
                        bp[i] = pos.get(i);
                        sc[i] = s.get(i);
                    }
                    double auc = PerformanceMetrics.auc(bp, sc);
                    if (!Double.isNaN(auc)) {
                        m.put("auc", auc);
                    }
                }
            } else {
                m.put("f1", PerformanceMetrics.macroF1(a, p));
            }
            return m;
        }

        WindowSummary summary() {
            Map<String, Double> m = new LinkedHashMap<>(closeMetrics);
            if (m.isEmpty()) {
                m.put("rows", (double) size());
            }
            m.putAll(performance());
            return new WindowSummary(index, start, end, size(), labelled, closed, complete, drift, m);
        }

        void appendLabelled(Frame.RowBuilder out, int width) {
            for (int i = 0; i < size(); i++) {
                if (labels[i] == null) {
                    continue;
                }
                Object[] row = new Object[width];
                int k = 0;
                for (int c = 0; c < rowSchema.size(); c++) {
                    row[k++] = frame.column(c).get(i);
                }
                if (!rowSchema.contains(predictionColumn)) {
                    row[k++] = predictions.get(i);
                }
                row[k++] = labels[i];
                if (task == Task.CLASSIFICATION) {
                    row[k] = scores[i];
                }
                out.row(row);
            }
        }
    }

    /** Configures a {@link Monitor}. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private int windowSize;
        private Duration windowDuration;
        private Frame reference;
        private DriftDetector detector = DriftDetector.defaults();
        private String prediction = "prediction";
        private String label = "label";
        private Task task = Task.CLASSIFICATION;
        private String positiveLabel;
        private int labelWait = 3;
        private int recentWindows = 10;
        private int retainedSummaries = 1000;
        private final List<AlertRule> rules = new ArrayList<>();
        private final List<String> learned = new ArrayList<>();
        private int referenceChunks = 10;
        private final List<AlertListener> listeners = new ArrayList<>();
        private boolean logAlerts = true;
        private MetricSink sink = MetricSink.noop();
        private TimeSource clock = TimeSource.system();
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new InvalidArgumentException(option + " was already set; cannot set it again to " + value);
            }
        }

        /**
         * Groups predictions into windows of a fixed count.
         *
         * @param predictions predictions per window, 1 or more
         * @return this builder
         * @throws InvalidArgumentException if not positive, or a window was set before
         */
        public Builder windowByCount(int predictions) {
            once("window", predictions);
            if (predictions < 1) {
                throw new InvalidArgumentException("windowByCount needs at least 1 prediction, but was " + predictions);
            }
            this.windowSize = predictions;
            return this;
        }

        /**
         * Groups predictions into tumbling time windows aligned to the epoch (an hour window runs from hh:00 to the
         * next hh:00, UTC).
         *
         * @param length the window length, at least one millisecond
         * @return this builder
         * @throws InvalidArgumentException if shorter than a millisecond, or a window was set before
         */
        public Builder windowByTime(Duration length) {
            once("window", length);
            if (length == null || length.toMillis() < 1) {
                throw new InvalidArgumentException("windowByTime needs at least 1 ms, but was " + length);
            }
            this.windowDuration = length;
            return this;
        }

        /**
         * Sets the reference data for drift: each window is compared with it column by column. The label column, if
         * present, is not tested; the prediction column, if present, is tested as prediction drift.
         *
         * @param reference the reference rows, for instance the training or validation set
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder reference(Frame reference) {
            once("reference", "a frame");
            this.reference = Objects.requireNonNull(reference, "reference");
            return this;
        }

        /**
         * Sets the drift detector (default {@link DriftDetector#defaults()}).
         *
         * @param detector the detector
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder driftDetector(DriftDetector detector) {
            once("driftDetector", detector);
            this.detector = Objects.requireNonNull(detector, "detector");
            return this;
        }

        /**
         * Names the prediction column of the reference and of {@link #recentLabelled()} (default
         * {@code "prediction"}).
         *
         * @param column the column name
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder prediction(String column) {
            once("prediction", column);
            this.prediction = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * Names the label column of the reference and of {@link #recentLabelled()} (default {@code "label"}).
         *
         * @param column the column name
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder label(String column) {
            once("label", column);
            this.label = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * Sets a classification task (the default) with a positive class, which enables precision, recall, binary
         * F1 and AUC.
         *
         * @param positiveClass the positive class, compared as text
         * @return this builder
         * @throws InvalidArgumentException if the task was set before
         */
        public Builder classification(String positiveClass) {
            once("task", "classification");
            this.task = Task.CLASSIFICATION;
            this.positiveLabel = Objects.requireNonNull(positiveClass, "positiveClass");
            return this;
        }

        /**
         * Sets a regression task: predictions and labels are numbers, scored by RMSE and MAE.
         *
         * @return this builder
         * @throws InvalidArgumentException if the task was set before
         */
        public Builder regression() {
            once("task", "regression");
            this.task = Task.REGRESSION;
            return this;
        }

        /**
         * Sets how many later windows may close before a window's performance is final (default 3). With 0 only the
         * labels present when the window closes count.
         *
         * @param windows 0 or more
         * @return this builder
         * @throws InvalidArgumentException if negative or set before
         */
        public Builder labelWait(int windows) {
            once("labelWait", windows);
            if (windows < 0) {
                throw new InvalidArgumentException("labelWait must not be negative, but was " + windows);
            }
            this.labelWait = windows;
            return this;
        }

        /**
         * Sets how many recent windows keep their rows for {@link #recentLabelled()} (default 10, at least
         * labelWait + 1).
         *
         * @param windows 1 or more
         * @return this builder
         * @throws InvalidArgumentException if less than 1 or set before
         */
        public Builder recentWindows(int windows) {
            once("recentWindows", windows);
            if (windows < 1) {
                throw new InvalidArgumentException("recentWindows must be at least 1, but was " + windows);
            }
            this.recentWindows = windows;
            return this;
        }

        /**
         * Sets how many window summaries are kept (default 1000).
         *
         * @param windows 1 or more
         * @return this builder
         * @throws InvalidArgumentException if less than 1 or set before
         */
        public Builder retainedSummaries(int windows) {
            once("retainedSummaries", windows);
            if (windows < 1) {
                throw new InvalidArgumentException("retainedSummaries must be at least 1, but was " + windows);
            }
            this.retainedSummaries = windows;
            return this;
        }

        /**
         * Adds an alert rule.
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder rule(AlertRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Adds a rule whose band is learned from the reference, as NannyML does: the reference is cut into chunks,
         * the metric is computed on each chunk exactly as on a window, and the band is mean +/- 3 standard
         * deviations of those values. Works for drift metrics ({@code drift.<column>}, {@code drift.share}) and,
         * when the reference has prediction and label columns, for performance metrics.
         *
         * @param metric the window metric
         * @return this builder
         */
        public Builder learnedRule(String metric) {
            learned.add(Objects.requireNonNull(metric, "metric"));
            return this;
        }

        /**
         * Sets into how many chunks the reference is cut for learned rules (default 10, as NannyML's default).
         *
         * @param chunks 2 or more
         * @return this builder
         * @throws InvalidArgumentException if less than 2 or set before
         */
        public Builder referenceChunks(int chunks) {
            once("referenceChunks", chunks);
            if (chunks < 2) {
                throw new InvalidArgumentException("referenceChunks must be at least 2, but was " + chunks);
            }
            this.referenceChunks = chunks;
            return this;
        }

        /**
         * Adds an alert listener; alerts are also logged through SLF4J unless {@link #logAlerts(boolean)} turns it
         * off.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(AlertListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Turns the logging of alerts at WARN on or off (on by default).
         *
         * @param on whether to log alerts
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder logAlerts(boolean on) {
            once("logAlerts", on);
            this.logAlerts = on;
            return this;
        }

        /**
         * Sets where window metrics are logged, for instance a tracked run (default: nowhere).
         *
         * @param sink the sink
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder metricSink(MetricSink sink) {
            once("metricSink", sink);
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Sets the clock that stamps alerts (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder clock(TimeSource clock) {
            once("clock", clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the monitor; learned rules are computed from the reference here.
         *
         * @return the monitor
         * @throws InvalidArgumentException if no window was set, a learned rule has no reference, or its metric
         *     cannot be computed on the reference chunks
         */
        public Monitor build() {
            if (windowSize == 0 && windowDuration == null) {
                throw new InvalidArgumentException("a monitor needs a window: call windowByCount(...) or windowByTime(...)");
            }
            List<AlertRule> all = new ArrayList<>(rules);
            if (!learned.isEmpty()) {
                if (reference == null) {
                    throw new InvalidArgumentException("learned rules " + learned + " need a reference; call reference(...)");
                }
                Map<String, List<Double>> values = chunkMetrics();
                for (String metric : learned) {
                    List<Double> v = values.get(metric);
                    if (v == null) {
                        throw new InvalidArgumentException("metric '" + metric + "' cannot be learned from the reference; "
                                + "learnable metrics are " + new java.util.TreeSet<>(values.keySet()));
                    }
                    all.add(AlertRule.learned(metric, v));
                }
            }
            return new Monitor(this, all);
        }

        /** Runs the window computations on each reference chunk. */
        private Map<String, List<Double>> chunkMetrics() {
            int n = reference.rowCount();
            int chunk = windowSize > 0 && n / windowSize >= 2 ? windowSize : Math.max(1, n / referenceChunks);
            Builder probe = new Builder();
            probe.windowSize = chunk;
            probe.reference = reference;
            probe.detector = detector;
            probe.prediction = prediction;
            probe.label = label;
            probe.task = task;
            probe.positiveLabel = positiveLabel;
            probe.labelWait = 0;
            probe.logAlerts = false;
            Monitor m = new Monitor(probe, List.of());
            boolean hasPrediction = reference.schema().contains(prediction);
            boolean labelled = hasPrediction && reference.schema().contains(label);
            for (int start = 0; start + chunk <= n; start += chunk) {
                Frame part = reference.slice(start, start + chunk);
                for (int r = 0; r < part.rowCount(); r++) {
                    Map<String, Object> features = new HashMap<>();
                    for (Field f : part.schema().fields()) {
                        features.put(f.name(), part.column(f.name()).get(r));
                    }
                    String id = "ref-" + (start + r);
                    Object p = hasPrediction ? part.column(prediction).get(r) : task == Task.REGRESSION ? 0.0 : "";
                    m.logPrediction(id, Instant.EPOCH, features, p);
                    if (labelled) {
                        m.logLabel(id, part.column(label).get(r));
                    }
                }
            }
            Map<String, List<Double>> values = new HashMap<>();
            for (WindowSummary s : m.windows()) {
                for (Map.Entry<String, Double> e : s.metrics().entrySet()) {
                    if (!labelled && (e.getKey().equals("accuracy") || e.getKey().equals("f1")
                            || e.getKey().startsWith("labelled") || e.getKey().equals("rmse")
                            || e.getKey().equals("mae"))) {
                        continue;
                    }
                    values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                }
            }
            return values;
        }
    }
}
