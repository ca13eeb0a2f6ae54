package dev.mlops.llm.feedback;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Schema;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.llm.internal.FeedbackJson;
import dev.mlops.storage.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of human-feedback capture: predictions that feedback refers to, and judgements on them (ratings,
 * pairwise preferences, corrections) from people, LLM judges or code, each with author, rationale and time. A later
 * judgement can override an earlier one; the chain is kept and only the latest counts, as in MLflow's assessments.
 * Stored in SQLite by default or PostgreSQL, migrated by Flyway.
 *
 * <pre>{@code
 * try (FeedbackStore store = FeedbackStore.open(Path.of("mlops-data/feedback"))) {
 *     store.recordPrediction(Prediction.of("p1", "qa-model/3", "Capital of France?", "Lyon"));
 *     Feedback first = store.log(FeedbackEntry.thumbs("p1", false, Source.human("alice")));
 *     store.log(FeedbackEntry.correction("p1", "Paris", Source.human("alice")).withRationale("wrong city"));
 *     FeedbackSummary s = store.summary("qa-model/3");               // mean stars, thumbs-up rate, win rate
 *     store.exportPreferences(Path.of("dpo.jsonl"));                  // prompt / chosen / rejected
 *     store.exportSupervised(Path.of("sft.jsonl"), SftFormat.CHAT, 4);
 * }
 * }</pre>
 *
 * <p>Every write runs in one transaction: bad input (an unknown prediction when linking is required, a rating out of
 * range, a malformed import line) raises an exception from the {@code dev.mlops.api} family and stores nothing.
 * Thread-safe; {@link #close()} releases the connections.
 */
public final class FeedbackStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String FEEDBACK_COLUMNS = "feedback_id, kind, prediction_id, other_prediction_id, "
            + "request_id, model_version, other_model_version, prompt_version, rating, content, preference, "
            + "source_type, source_id, rationale, created_at, overrides, valid";
    private static final String PREDICTION_COLUMNS = "prediction_id, request_id, model_version, prompt_version, "
            + "prompt, completion, created_at";

    private final Database db;
    private final TimeSource clock;
    private final boolean requireKnownPredictions;

    private FeedbackStore(Builder b) {
        String url = b.jdbcUrl;
        Path lock = null;
        if (b.root != null) {
            Path root = b.root.toAbsolutePath().normalize();
            url = "jdbc:sqlite:" + root.resolve("feedback.db");
            lock = root.resolve(".feedback.lock");
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new UnavailableException("cannot create the feedback directory " + root + ": " + e, e);
            }
        }
        this.db = Database.open(url, b.schema, false, b.poolSize, lock, "dev/mlops/llm/db",
                "mlops_llm_schema_history");
        this.clock = b.clock;
        this.requireKnownPredictions = b.requireKnownPredictions;
    }

    /**
     * Opens (creating if needed) an embedded store: {@code feedback.db} (SQLite) under a directory.
     *
     * @param root the directory
     * @return the open store
     * @throws UnavailableException if the store cannot be opened or migrated
     */
    public static FeedbackStore open(Path root) {
        return builder().root(root).build();
    }

    /**
     * Opens a store on a database given by JDBC URL ({@code jdbc:postgresql://...} or {@code jdbc:sqlite:file}).
     *
     * @param jdbcUrl the database
     * @return the open store
     * @throws UnavailableException if the database cannot be reached or migrated
     */
    public static FeedbackStore open(String jdbcUrl) {
        return builder().jdbcUrl(jdbcUrl).build();
    }

    /**
     * Starts configuring a store.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- predictions

    /**
     * Records a prediction so that feedback can refer to it. Recording the same prediction again is a no-op.
     *
     * @param prediction the prediction (a null time means now)
     * @return the stored prediction
     * @throws ConflictException if another prediction with this id is stored
     */
    public Prediction recordPrediction(Prediction prediction) {
        Objects.requireNonNull(prediction, "prediction");
        Prediction p = prediction.createdAt() == null ? prediction.at(clock.now()) : prediction;
        return db.inTransaction(c -> insertPrediction(c, p, prediction.createdAt() == null) ? p
                : findPrediction(c, p.id()).orElseThrow());
    }

    /** Inserts, or checks that an identical one is stored; returns true if inserted. */
    private static boolean insertPrediction(Connection c, Prediction p, boolean ignoreTime) throws SQLException {
        Optional<Prediction> existing = findPrediction(c, p.id());
        if (existing.isPresent()) {
            Prediction e = existing.get();
            boolean same = Objects.equals(e.requestId(), p.requestId()) && e.modelVersion().equals(p.modelVersion())
                    && Objects.equals(e.promptVersion(), p.promptVersion()) && e.prompt().equals(p.prompt())
                    && e.completion().equals(p.completion()) && (ignoreTime || e.createdAt().equals(p.createdAt()));
            if (!same) {
                throw new ConflictException("prediction '" + p.id() + "' is already stored with other content (model "
                        + "version '" + e.modelVersion() + "')");
            }
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO llm_predictions (" + PREDICTION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.requestId());
            ps.setString(3, p.modelVersion());
            ps.setString(4, p.promptVersion());
            ps.setString(5, p.prompt());
            ps.setString(6, p.completion());
            ps.setLong(7, p.createdAt().toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                throw new ConflictException("prediction '" + p.id() + "' was stored concurrently", e);
            }
            throw e;
        }
        return true;
    }

    /**
     * Finds a prediction.
     *
     * @param id the prediction id
     * @return the prediction, or empty
     */
    public Optional<Prediction> findPrediction(String id) {
        return db.read(c -> findPrediction(c, id));
    }

    /**
     * Returns a prediction.
     *
     * @param id the prediction id
     * @return the prediction
     * @throws NotFoundException if it is not recorded
     */
    public Prediction getPrediction(String id) {
        return findPrediction(id).orElseThrow(() -> new NotFoundException("prediction '" + id + "' is not recorded"));
    }

    private static Optional<Prediction> findPrediction(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + PREDICTION_COLUMNS
                + " FROM llm_predictions WHERE prediction_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Prediction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
            }
        }
    }

    // ---------------------------------------------------------------- feedback

    /**
     * Logs a judgement. When the judged prediction is recorded, the request id, model version and prompt version are
     * taken from it.
     *
     * @param entry the judgement
     * @return the stored feedback
     * @throws NotFoundException if the store requires recorded predictions and a named prediction is not recorded
     * @throws InvalidArgumentException if the prediction is not recorded and the entry names no model version
     * @throws ConflictException if the entry contradicts the recorded prediction (another model or prompt version)
     */
    public Feedback log(FeedbackEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return db.inTransaction(c -> insertFeedback(c, newId(), entry, null));
    }

    /**
     * Logs a judgement that replaces an earlier one: the earlier one stays in the history but no longer counts.
     *
     * @param feedbackId the judgement replaced; it must be the latest of its chain
     * @param entry the new judgement, of the same kind and on the same prediction or request
     * @return the stored feedback
     * @throws NotFoundException if there is no such judgement
     * @throws ConflictException if that judgement was already overridden (override the latest instead)
     * @throws InvalidArgumentException if the new judgement has another kind or target
     */
    public Feedback override(String feedbackId, FeedbackEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return db.inTransaction(c -> {
            Feedback previous = get(c, feedbackId);
            checkOverride(previous, entry);
            Feedback f = insertFeedback(c, newId(), entry, previous.id());
            invalidate(c, previous.id());
            return f;
        });
    }

    private static void checkOverride(Feedback previous, FeedbackEntry entry) {
        if (!previous.valid()) {
            throw new ConflictException("feedback '" + previous.id() + "' was already overridden; override the latest "
                    + "judgement of its chain instead");
        }
        if (previous.kind() != entry.kind()) {
            throw new InvalidArgumentException("a " + entry.kind() + " judgement cannot override " + previous.kind()
                    + " feedback '" + previous.id() + "'");
        }
        if (!Objects.equals(previous.predictionId(), entry.predictionId())
                || !Objects.equals(previous.otherPredictionId(), entry.otherPredictionId())
                || (previous.predictionId() == null && !Objects.equals(previous.requestId(), entry.requestId()))) {
            throw new InvalidArgumentException("feedback '" + previous.id() + "' judges prediction '"
                    + previous.predictionId() + "'; an override must judge the same prediction, not '"
                    + entry.predictionId() + "'");
        }
    }

    private static void invalidate(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE llm_feedback SET valid = 0 WHERE feedback_id = ? AND valid = 1")) {
            ps.setString(1, id);
            if (ps.executeUpdate() != 1) {
                throw new ConflictException("feedback '" + id + "' was overridden concurrently");
            }
        }
    }

    private Feedback insertFeedback(Connection c, String id, FeedbackEntry e, String overrides) throws SQLException {
        String requestId = e.requestId();
        String model = e.modelVersion();
        String promptVersion = e.promptVersion();
        String otherModel = e.otherModelVersion();
        if (e.predictionId() != null) {
            Optional<Prediction> p = findPrediction(c, e.predictionId());
            if (p.isPresent()) {
                requestId = agree("request id", e.predictionId(), requestId, p.get().requestId());
                model = agree("model version", e.predictionId(), model, p.get().modelVersion());
                promptVersion = agree("prompt version", e.predictionId(), promptVersion, p.get().promptVersion());
            } else if (requireKnownPredictions) {
                throw new NotFoundException("prediction '" + e.predictionId() + "' is not recorded; record it with "
                        + "recordPrediction first (this store requires recorded predictions)");
            }
        } else if (requireKnownPredictions) {
            throw new InvalidArgumentException("feedback on request '" + e.requestId() + "' names no prediction; "
                    + "this store requires recorded predictions");
        }
        if (e.otherPredictionId() != null) {
            Optional<Prediction> p = findPrediction(c, e.otherPredictionId());
            if (p.isPresent()) {
                otherModel = agree("model version", e.otherPredictionId(), otherModel, p.get().modelVersion());
            } else if (requireKnownPredictions) {
                throw new NotFoundException("prediction '" + e.otherPredictionId() + "' is not recorded; record it "
                        + "with recordPrediction first (this store requires recorded predictions)");
            }
            if (otherModel == null) {
                throw new InvalidArgumentException("prediction '" + e.otherPredictionId() + "' is not recorded, so "
                        + "the pairwise feedback must name its model version (withOtherModelVersion)");
            }
        }
        if (model == null) {
            throw new InvalidArgumentException("prediction '" + e.predictionId() + "' is not recorded, so the "
                    + "feedback must name the model version (withModelVersion)");
        }
        Instant time = e.time() == null ? clock.now() : e.time();
        Feedback f = new Feedback(id, e.kind(), e.predictionId(), e.otherPredictionId(), requestId, model, otherModel,
                promptVersion, e.rating(), e.content(), e.preference(), e.source(), e.rationale(), time, overrides,
                true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO llm_feedback (" + FEEDBACK_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, f.id());
            ps.setString(2, f.kind().name());
            ps.setString(3, f.predictionId());
            ps.setString(4, f.otherPredictionId());
            ps.setString(5, f.requestId());
            ps.setString(6, f.modelVersion());
            ps.setString(7, f.otherModelVersion());
            ps.setString(8, f.promptVersion());
            if (f.rating() == null) {
                ps.setNull(9, Types.DOUBLE);
            } else {
                ps.setDouble(9, f.rating());
            }
            ps.setString(10, f.content());
            ps.setString(11, f.preference() == null ? null : f.preference().name());
            ps.setString(12, f.source().type().name());
            ps.setString(13, f.source().id());
            ps.setString(14, f.rationale());
            ps.setLong(15, f.createdAt().toEpochMilli());
            ps.setString(16, f.overrides());
            ps.setInt(17, 1);
            ps.executeUpdate();
        } catch (SQLException ex) {
            if (Database.isUniqueViolation(ex)) {
                throw new ConflictException(overrides != null ? "feedback '" + overrides + "' was already overridden"
                        : "feedback id '" + id + "' is already stored", ex);
            }
            throw ex;
        }
        return f;
    }

    private static String agree(String what, String predictionId, String given, String recorded) {
        if (given != null && recorded != null && !given.equals(recorded)) {
            throw new ConflictException("feedback names " + what + " '" + given + "' but prediction '" + predictionId
                    + "' was recorded with '" + recorded + "'");
        }
        return given != null ? given : recorded;
    }

    /**
     * Returns a judgement.
     *
     * @param feedbackId the feedback id
     * @return the feedback
     * @throws NotFoundException if there is none
     */
    public Feedback get(String feedbackId) {
        return db.read(c -> get(c, feedbackId));
    }

    private static Feedback get(Connection c, String id) throws SQLException {
        List<Feedback> found = query(c, "WHERE feedback_id = ?", id);
        if (found.isEmpty()) {
            throw new NotFoundException("feedback '" + id + "' does not exist");
        }
        return found.get(0);
    }

    /**
     * Returns the whole override chain a judgement belongs to, oldest first; the last is the one that counts.
     *
     * @param feedbackId any judgement of the chain
     * @return the chain
     * @throws NotFoundException if there is no such judgement
     */
    public List<Feedback> history(String feedbackId) {
        return db.read(c -> {
            Feedback f = get(c, feedbackId);
            List<Feedback> back = new ArrayList<>();
            back.add(f);
            Set<String> seen = new HashSet<>(Set.of(f.id()));
            while (back.get(0).overrides() != null && seen.add(back.get(0).overrides())) {
                back.add(0, get(c, back.get(0).overrides()));
            }
            Feedback last = back.get(back.size() - 1);
            while (true) {
                List<Feedback> next = query(c, "WHERE overrides = ?", last.id());
                if (next.isEmpty() || !seen.add(next.get(0).id())) {
                    break;
                }
                last = next.get(0);
                back.add(last);
            }
            return List.copyOf(back);
        });
    }

    /**
     * Returns the judgements on a prediction (as first or second side of a pairwise judgement too), oldest first.
     *
     * @param predictionId the prediction id
     * @param includeOverridden true to include judgements that were overridden
     * @return the feedback
     */
    public List<Feedback> forPrediction(String predictionId, boolean includeOverridden) {
        return db.read(c -> query(c, "WHERE (prediction_id = ? OR other_prediction_id = ?)"
                + (includeOverridden ? "" : " AND valid = 1") + " ORDER BY created_at, feedback_id",
                predictionId, predictionId));
    }

    private static List<Feedback> query(Connection c, String where, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + FEEDBACK_COLUMNS + " FROM llm_feedback " + where)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) args[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Feedback> out = new ArrayList<>();
                while (rs.next()) {
                    double rating = rs.getDouble(9);
                    Double ratingValue = rs.wasNull() ? null : rating;
                    String pref = rs.getString(11);
                    out.add(new Feedback(rs.getString(1), FeedbackKind.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            ratingValue, rs.getString(10), pref == null ? null : Preference.valueOf(pref),
                            new Source(SourceType.valueOf(rs.getString(12)), rs.getString(13)), rs.getString(14),
                            Instant.ofEpochMilli(rs.getLong(15)), rs.getString(16), rs.getInt(17) == 1));
                }
                return out;
            }
        }
    }

    // ---------------------------------------------------------------- aggregates

    /**
     * Aggregates the valid feedback on one model version, all time.
     *
     * @param modelVersion the model version
     * @return the summary (zero counts when there is no feedback)
     */
    public FeedbackSummary summary(String modelVersion) {
        return summary(modelVersion, Instant.EPOCH);
    }

    /**
     * Aggregates the valid feedback on one model version made at or after a time: a monitoring signal.
     *
     * @param modelVersion the model version
     * @param since the earliest judgement time counted
     * @return the summary
     */
    public FeedbackSummary summary(String modelVersion, Instant since) {
        Map<String, FeedbackSummary> all = summaries(since);
        FeedbackSummary s = all.get(modelVersion);
        return s != null ? s : new FeedbackSummary(modelVersion, 0, Double.NaN, 0, Double.NaN, 0, 0, 0, 0,
                Double.NaN, 0, 0);
    }

    /**
     * Logs a model version's summary as metrics ({@link FeedbackSummary#toMetrics()}) at a step, for instance a
     * monitoring window's index.
     *
     * @param modelVersion the model version
     * @param since the earliest judgement time counted
     * @param sink where to log
     * @param step the step
     * @return the summary logged
     */
    public FeedbackSummary logSummary(String modelVersion, Instant since, MetricSink sink, long step) {
        FeedbackSummary s = summary(modelVersion, since);
        sink.logMetrics(s.toMetrics(), step);
        return s;
    }

    /**
     * Returns one row per model version with its aggregated valid feedback: {@code model_version},
     * {@code star_ratings}, {@code mean_stars}, {@code thumb_ratings}, {@code thumbs_up_rate}, {@code comparisons},
     * {@code wins}, {@code losses}, {@code ties}, {@code win_rate}, {@code corrections}, {@code comments}; undefined
     * means and rates are null.
     *
     * @param since the earliest judgement time counted ({@link Instant#EPOCH} for all)
     * @return the frame, ordered by model version
     */
    public Frame summaryFrame(Instant since) {
        Frame.RowBuilder rows = Frame.rowBuilder(Schema.of(Field.of("model_version", DataType.STRING),
                Field.of("star_ratings", DataType.LONG), Field.of("mean_stars", DataType.DOUBLE),
                Field.of("thumb_ratings", DataType.LONG), Field.of("thumbs_up_rate", DataType.DOUBLE),
                Field.of("comparisons", DataType.LONG), Field.of("wins", DataType.LONG),
                Field.of("losses", DataType.LONG), Field.of("ties", DataType.LONG), Field.of("win_rate", DataType.DOUBLE),
                Field.of("corrections", DataType.LONG), Field.of("comments", DataType.LONG)));
        for (FeedbackSummary s : summaries(since).values()) {
            rows.row(s.modelVersion(), s.starRatings(), nullIfNaN(s.meanStars()), s.thumbRatings(),
                    nullIfNaN(s.thumbsUpRate()), s.comparisons(), s.wins(), s.losses(), s.ties(),
                    nullIfNaN(s.winRate()), s.corrections(), s.comments());
        }
        return rows.build();
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static final class Acc {
        long stars;
        double starSum;
        long thumbs;
        long ups;
        long wins;
        long losses;
        long ties;
        long corrections;
        long comments;
    }

    private Map<String, FeedbackSummary> summaries(Instant since) {
        Map<String, Acc> acc = new TreeMap<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, model_version, other_model_version, rating, "
                    + "preference FROM llm_feedback WHERE valid = 1 AND created_at >= ?")) {
                ps.setLong(1, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        FeedbackKind kind = FeedbackKind.valueOf(rs.getString(1));
                        Acc a = acc.computeIfAbsent(rs.getString(2), k -> new Acc());
                        double rating = rs.getDouble(4);
                        switch (kind) {
                            case STARS -> {
                                a.stars++;
                                a.starSum += rating;
                            }
                            case THUMBS -> {
                                a.thumbs++;
                                a.ups += rating == 1.0 ? 1 : 0;
                            }
                            case CORRECTION -> a.corrections++;
                            case TEXT -> a.comments++;
                            case PAIRWISE -> {
                                String other = rs.getString(3);
                                if (other == null || other.equals(rs.getString(2))) {
                                    break;
                                }
                                Acc b = acc.computeIfAbsent(other, k -> new Acc());
                                Preference p = Preference.valueOf(rs.getString(5));
                                if (p == Preference.A) {
                                    a.wins++;
                                    b.losses++;
                                } else if (p == Preference.B) {
                                    a.losses++;
                                    b.wins++;
                                } else {
                                    a.ties++;
                                    b.ties++;
                                }
                            }
                            default -> throw new IllegalStateException("unknown kind " + kind);
                        }
                    }
                }
            }
            return null;
        });
        Map<String, FeedbackSummary> out = new LinkedHashMap<>();
        acc.forEach((model, a) -> {
            long comparisons = a.wins + a.losses + a.ties;
            out.put(model, new FeedbackSummary(model, a.stars, a.stars == 0 ? Double.NaN : a.starSum / a.stars,
                    a.thumbs, a.thumbs == 0 ? Double.NaN : (double) a.ups / a.thumbs, comparisons, a.wins, a.losses,
                    a.ties, comparisons == 0 ? Double.NaN : (a.wins + a.ties / 2.0) / comparisons, a.corrections,
                    a.comments));
        });
        return out;
    }

    // ---------------------------------------------------------------- export

    /**
     * Writes a preference dataset for DPO-style fine-tuning: one {@code {"prompt", "chosen", "rejected"}} line per
     * valid pairwise judgement with a winner (both predictions recorded, same prompt) and per valid correction of a
     * recorded prediction (the correction is chosen, the original completion rejected). Ties and judgements on
     * unrecorded predictions are skipped.
     *
     * @param out where to write; not closed
     * @return the number of lines written
     * @throws UnavailableException if writing fails
     */
    public long exportPreferences(Writer out) {
        return db.read(c -> {
            List<Feedback> feedback = query(c, "WHERE valid = 1 AND kind IN ('PAIRWISE', 'CORRECTION') "
                    + "ORDER BY created_at, feedback_id");
            Map<String, Optional<Prediction>> cache = new HashMap<>();
            long lines = 0;
            long skipped = 0;
            for (Feedback f : feedback) {
                Optional<Prediction> a = cached(c, cache, f.predictionId());
                if (a.isEmpty()) {
                    skipped++;
                    continue;
                }
                String chosen;
                String rejected;
                if (f.kind() == FeedbackKind.CORRECTION) {
                    chosen = f.content();
                    rejected = a.get().completion();
                } else {
                    Optional<Prediction> b = cached(c, cache, f.otherPredictionId());
                    if (b.isEmpty() || f.preference() == Preference.TIE || !b.get().prompt().equals(a.get().prompt())) {
                        skipped++;
                        continue;
                    }
                    chosen = f.preference() == Preference.A ? a.get().completion() : b.get().completion();
                    rejected = f.preference() == Preference.A ? b.get().completion() : a.get().completion();
                }
                if (chosen.equals(rejected)) {
                    skipped++;
                    continue;
                }
                writeLine(out, FeedbackJson.preference(a.get().prompt(), chosen, rejected));
                lines++;
            }
            LOG.debug("exported {} preference pairs, skipped {} judgements", lines, skipped);
            return lines;
        });
    }

    /**
     * Writes a preference dataset to a file, replacing it atomically where the file system allows.
     *
     * @param file the file
     * @return the number of lines written
     * @throws UnavailableException if writing fails
     */
    public long exportPreferences(Path file) {
        return toFile(file, this::exportPreferences);
    }

    /**
     * Writes a supervised fine-tuning dataset: one line per recorded prediction that has a valid correction (the
     * latest correction is the completion) or, without one, at least one valid positive rating (thumbs up, or stars
     * at or above {@code minStars}) and no valid negative rating.
     *
     * @param out where to write; not closed
     * @param format prompt/completion or chat messages
     * @param minStars the lowest star rating that counts as positive, 1 to 5
     * @return the number of lines written
     * @throws InvalidArgumentException if minStars is out of range
     * @throws UnavailableException if writing fails
     */
    public long exportSupervised(Writer out, SftFormat format, int minStars) {
        Objects.requireNonNull(format, "format");
        if (minStars < 1 || minStars > 5) {
            throw new InvalidArgumentException("minStars must be 1 to 5, but was " + minStars);
        }
        return db.read(c -> {
            List<Feedback> feedback = query(c, "WHERE valid = 1 AND kind IN ('THUMBS', 'STARS', 'CORRECTION') "
                    + "AND prediction_id IS NOT NULL ORDER BY created_at, feedback_id");
            Map<String, String> correction = new LinkedHashMap<>();
            Map<String, int[]> votes = new LinkedHashMap<>();
            for (Feedback f : feedback) {
                int[] v = votes.computeIfAbsent(f.predictionId(), k -> new int[2]);
                switch (f.kind()) {
                    case CORRECTION -> correction.put(f.predictionId(), f.content());
                    case THUMBS -> v[f.rating() == 1.0 ? 0 : 1]++;
                    case STARS -> v[f.rating() >= minStars ? 0 : 1]++;
                    default -> throw new IllegalStateException("unexpected kind " + f.kind());
                }
            }
            long lines = 0;
            for (Map.Entry<String, int[]> e : votes.entrySet()) {
                String id = e.getKey();
                Optional<Prediction> p = findPrediction(c, id);
                if (p.isEmpty()) {
                    continue;
                }
                String completion = correction.get(id);
                if (completion == null) {
                    if (e.getValue()[0] == 0 || e.getValue()[1] > 0) {
                        continue;
                    }
                    completion = p.get().completion();
                }
                writeLine(out, format == SftFormat.CHAT ? FeedbackJson.chat(p.get().prompt(), completion)
                        : FeedbackJson.promptCompletion(p.get().prompt(), completion));
                lines++;
            }
            return lines;
        });
    }

    /**
     * Writes a supervised fine-tuning dataset to a file, replacing it atomically where the file system allows.
     *
     * @param file the file
     * @param format prompt/completion or chat messages
     * @param minStars the lowest star rating that counts as positive, 1 to 5
     * @return the number of lines written
     * @throws InvalidArgumentException if minStars is out of range
     * @throws UnavailableException if writing fails
     */
    public long exportSupervised(Path file, SftFormat format, int minStars) {
        return toFile(file, w -> exportSupervised(w, format, minStars));
    }

    /**
     * Writes everything as JSON lines, predictions first, then all feedback including overridden judgements, in a
     * form {@link #importJsonl(Reader, String)} reads back.
     *
     * @param out where to write; not closed
     * @return the number of lines written
     * @throws UnavailableException if writing fails
     */
    public long exportJsonl(Writer out) {
        return db.read(c -> {
            long lines = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PREDICTION_COLUMNS
                    + " FROM llm_predictions ORDER BY created_at, prediction_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    writeLine(out, FeedbackJson.prediction(new Prediction(rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            Instant.ofEpochMilli(rs.getLong(7)))));
                    lines++;
                }
            }
            for (Feedback f : query(c, "ORDER BY created_at, feedback_id")) {
                writeLine(out, FeedbackJson.feedback(f));
                lines++;
            }
            return lines;
        });
    }

    // ---------------------------------------------------------------- import

    /**
     * Imports JSON lines as written by {@link #exportJsonl(Writer)}: {@code "record": "prediction"} and
     * {@code "record": "feedback"} objects. Every line is checked before anything is stored, and everything is
     * stored in one transaction, so a bad line stores nothing. Predictions already stored with identical content are
     * skipped; overridden judgements are recognized from the {@code overrides} links, whatever their {@code valid}
     * flag says.
     *
     * @param in the lines; not closed
     * @param sourceName the document's name for error messages
     * @return what was stored
     * @throws DataFormatException if a line is malformed or refers to something unknown, naming the line and key
     * @throws ConflictException if a line clashes with stored data
     * @throws UnavailableException if reading fails
     */
    public ImportSummary importJsonl(Reader in, String sourceName) {
        List<FeedbackJson.PredictionLine> predictions = new ArrayList<>();
        Map<String, FeedbackJson.FeedbackLine> feedback = new LinkedHashMap<>();
        Set<String> predictionIds = new HashSet<>();
        BufferedReader reader = in instanceof BufferedReader br ? br : new BufferedReader(in);
        long lineNo = 0;
        try {
            String text;
            while ((text = reader.readLine()) != null) {
                lineNo++;
                if (text.isBlank()) {
                    continue;
                }
                Object parsed = FeedbackJson.parse(text, sourceName, lineNo);
                if (parsed instanceof FeedbackJson.PredictionLine p) {
                    if (!predictionIds.add(p.prediction().id())) {
                        throw new DataFormatException(sourceName, lineNo, "prediction_id", "prediction '"
                                + p.prediction().id() + "' appears twice");
                    }
                    predictions.add(p);
                } else {
                    FeedbackJson.FeedbackLine f = (FeedbackJson.FeedbackLine) parsed;
                    String id = f.id() != null ? f.id() : newId();
                    if (feedback.containsKey(id)) {
                        throw new DataFormatException(sourceName, lineNo, "feedback_id", "feedback '" + id
                                + "' appears twice");
                    }
                    feedback.put(id, new FeedbackJson.FeedbackLine(id, f.entry(), f.overrides(), lineNo));
                }
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + sourceName + " at line " + lineNo + ": " + e, e);
        }
        Set<String> overridden = new HashSet<>();
        for (FeedbackJson.FeedbackLine f : feedback.values()) {
            if (f.overrides() != null && !overridden.add(f.overrides())) {
                throw new DataFormatException(sourceName, f.line(), "overrides", "feedback '" + f.overrides()
                        + "' is overridden by more than one line");
            }
        }
        return db.inTransaction(c -> {
            long storedPredictions = 0;
            for (FeedbackJson.PredictionLine p : predictions) {
                Prediction pr = p.prediction().createdAt() == null ? p.prediction().at(clock.now()) : p.prediction();
                try {
                    storedPredictions += insertPrediction(c, pr, p.prediction().createdAt() == null) ? 1 : 0;
                } catch (ConflictException e) {
                    throw new ConflictException(sourceName + ", line " + p.line() + ": " + e.getMessage(), e);
                }
            }
            Set<String> done = new HashSet<>();
            for (FeedbackJson.FeedbackLine f : feedback.values()) {
                importFeedback(c, f, feedback, done, new HashSet<>(), sourceName);
            }
            return new ImportSummary(storedPredictions, done.size());
        });
    }

    /** Inserts a feedback line after the line it overrides, so the foreign key holds. */
    private void importFeedback(Connection c, FeedbackJson.FeedbackLine f, Map<String, FeedbackJson.FeedbackLine> all,
            Set<String> done, Set<String> visiting, String source) throws SQLException {
        if (done.contains(f.id())) {
            return;
        }
        if (!visiting.add(f.id())) {
            throw new DataFormatException(source, f.line(), "overrides", "the overrides links form a cycle through "
                    + "feedback '" + f.id() + "'");
        }
        if (f.overrides() != null) {
            FeedbackJson.FeedbackLine target = all.get(f.overrides());
            if (target != null) {
                importFeedback(c, target, all, done, visiting, source);
            } else if (query(c, "WHERE feedback_id = ?", f.overrides()).isEmpty()) {
                throw new DataFormatException(source, f.line(), "overrides", "feedback '" + f.overrides()
                        + "' is neither stored nor in the file");
            }
        }
        if (!query(c, "WHERE feedback_id = ?", f.id()).isEmpty()) {
            throw new ConflictException(source + ", line " + f.line() + ": feedback '" + f.id() + "' is already stored");
        }
        try {
            if (f.overrides() != null) {
                checkOverride(get(c, f.overrides()), f.entry());
            }
            insertFeedback(c, f.id(), f.entry(), f.overrides());
            if (f.overrides() != null) {
                invalidate(c, f.overrides());
            }
        } catch (NotFoundException | DataFormatException e) {
            throw new DataFormatException(source, f.line(), null, e.getMessage(), e);
        } catch (InvalidArgumentException e) {
            throw new DataFormatException(source, f.line(), null, e.getMessage(), e);
        } catch (ConflictException e) {
            throw new ConflictException(source + ", line " + f.line() + ": " + e.getMessage(), e);
        }
        done.add(f.id());
    }

    /**
     * Imports a JSON-lines file; see {@link #importJsonl(Reader, String)}.
     *
     * @param file the file
     * @return what was stored
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if a line is malformed, naming the line
     * @throws ConflictException if a line clashes with stored data
     */
    public ImportSummary importJsonl(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("file " + file + " does not exist");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return importJsonl(r, file.getFileName().toString());
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e, e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static Optional<Prediction> cached(Connection c, Map<String, Optional<Prediction>> cache, String id)
            throws SQLException {
        Optional<Prediction> p = cache.get(id);
        if (p == null) {
            p = findPrediction(c, id);
            cache.put(id, p);
        }
        return p;
    }

    private static void writeLine(Writer out, String json) {
        try {
            out.write(json);
            out.write('\n');
        } catch (IOException e) {
            throw new UnavailableException("cannot write the export: " + e.getMessage(), e);
        }
    }

    private interface Export {
        long to(Writer w);
    }

    private static long toFile(Path file, Export export) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            long n;
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                n = export.to(w);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return n;
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("cannot remove the temporary file {}", tmp, e);
                }
            }
        }
    }

    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Tells whether feedback must name a recorded prediction.
     *
     * @return true if unknown prediction ids are rejected
     */
    public boolean requiresKnownPredictions() {
        return requireKnownPredictions;
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return "FeedbackStore[" + db + "]";
    }

    /**
     * Configures a {@link FeedbackStore}. Each option may be set once; not thread-safe.
     */
    public static final class Builder {
        private Path root;
        private String jdbcUrl;
        private String schema;
        private TimeSource clock = TimeSource.system();
        private boolean requireKnownPredictions;
        private int poolSize = 4;
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            Objects.requireNonNull(value, option);
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /**
         * Uses an embedded SQLite store, {@code feedback.db}, under a directory.
         *
         * @param directory the directory, created if needed
         * @return this builder
         * @throws IllegalStateException if a JDBC URL was set
         */
        public Builder root(Path directory) {
            once("root", directory);
            if (jdbcUrl != null) {
                throw new IllegalStateException("root and jdbcUrl are alternatives; jdbcUrl was already set to "
                        + jdbcUrl);
            }
            this.root = directory;
            return this;
        }

        /**
         * Uses a database given by JDBC URL.
         *
         * @param url {@code jdbc:postgresql://host:5432/db?user=...} or {@code jdbc:sqlite:/path/file.db}
         * @return this builder
         * @throws IllegalStateException if a root was set
         */
        public Builder jdbcUrl(String url) {
            once("jdbcUrl", url);
            if (root != null) {
                throw new IllegalStateException("root and jdbcUrl are alternatives; root was already set to " + root);
            }
            this.jdbcUrl = url;
            return this;
        }

        /**
         * Uses (and creates) a PostgreSQL schema instead of the default one.
         *
         * @param name a lower-case SQL identifier
         * @return this builder
         */
        public Builder schema(String name) {
            once("schema", name);
            this.schema = name;
            return this;
        }

        /**
         * Sets the clock that timestamps predictions and feedback logged without a time.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(TimeSource value) {
            once("clock", value);
            this.clock = value;
            return this;
        }

        /**
         * Requires every judgement to name a recorded prediction; the default accepts unrecorded ones that name
         * their model version.
         *
         * @param value true to reject unknown prediction ids
         * @return this builder
         */
        public Builder requireKnownPredictions(boolean value) {
            once("requireKnownPredictions", value);
            this.requireKnownPredictions = value;
            return this;
        }

        /**
         * Sets the most database connections held; the default is 4.
         *
         * @param size 1 to 64
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder poolSize(int size) {
            once("poolSize", size);
            if (size < 1 || size > 64) {
                throw new InvalidArgumentException("pool size must be 1 to 64, but was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the open store
         * @throws IllegalStateException if neither a root nor a JDBC URL was set
         * @throws UnavailableException if the store cannot be opened or migrated
         */
        public FeedbackStore build() {
            if (root == null && jdbcUrl == null) {
                throw new IllegalStateException("set root(directory) or jdbcUrl(url) before build()");
            }
            return new FeedbackStore(this);
        }
    }
}
