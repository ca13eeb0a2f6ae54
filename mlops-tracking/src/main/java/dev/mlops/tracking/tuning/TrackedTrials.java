package dev.mlops.tracking.tuning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.ConflictException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.MetricPoint;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.Distribution;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.RunPage;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracking;
import dev.mlops.tracking.internal.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a study's trials to a tracking store as child runs of a study run, and reads them back. */
final class TrackedTrials {
    private static final Logger LOG = LoggerFactory.getLogger(TrackedTrials.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STUDY_RUN_TAG = "mlops.study.runId";
    static final String DIRECTIONS_TAG = "mlops.study.directions";
    static final String OBJECTIVES_TAG = "mlops.study.objectives";
    static final String NUMBER_TAG = "mlops.trial.number";
    static final String STATE_TAG = "mlops.trial.state";
    static final String SPACE_ARTIFACT = "study/space.json";
    static final String INTERMEDIATE = "intermediate";
    static final String COST = "trial_cost";

    private final Tracking tracking;
    private final Experiment experiment;
    private final String studyRunId;
    private final SearchSpace space;
    private final List<String> objectiveNames;
    private Run studyRun;

    private TrackedTrials(Tracking tracking, Experiment experiment, String studyRunId, SearchSpace space,
            List<String> objectiveNames) {
        this.tracking = tracking;
        this.experiment = experiment;
        this.studyRunId = studyRunId;
        this.space = space;
        this.objectiveNames = objectiveNames;
    }

    static TrackedTrials open(Tracking tracking, String name, SearchSpace space, List<Direction> directions,
            List<String> objectiveNames) {
        for (SearchSpace.Param p : space.params()) {
            if (p.distribution() instanceof Distribution.Categorical c) {
                for (Object choice : c.choices()) {
                    if (String.valueOf(choice).length() > Limits.MAX_PARAM_VALUE_LENGTH) {
                        throw new InvalidArgumentException("a choice of '" + p.name() + "' is longer than "
                                + Limits.MAX_PARAM_VALUE_LENGTH + " characters, too long for a run parameter");
                    }
                }
            }
        }
        String spaceJson = spaceJson(space);
        String dirs = String.join(",", directions.stream().map(Direction::name).toList());
        String objectives = String.join(",", objectiveNames);
        Experiment experiment = tracking.experiment(name);
        String runId = experiment.tags().get(STUDY_RUN_TAG);
        if (runId == null) {
            try (Run run = experiment.startRun("study")) {
                run.setTag("mlops.study", name);
                run.logText(spaceJson, SPACE_ARTIFACT);
                runId = run.id();
            }
            experiment.setTag(DIRECTIONS_TAG, dirs);
            experiment.setTag(OBJECTIVES_TAG, objectives);
            experiment = experiment.setTag(STUDY_RUN_TAG, runId);
        } else {
            String storedDirs = experiment.tags().get(DIRECTIONS_TAG);
            if (!dirs.equals(storedDirs)) {
                throw new ConflictException("study '" + name + "' was created with directions " + storedDirs
                        + ", not " + dirs);
            }
            String storedObjectives = experiment.tags().get(OBJECTIVES_TAG);
            if (!objectives.equals(storedObjectives)) {
                throw new ConflictException("study '" + name + "' was created with objectives " + storedObjectives
                        + ", not " + objectives);
            }
            String stored;
            try (InputStream in = tracking.openArtifact(runId, SPACE_ARTIFACT)) {
                stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the search space of study '" + name + "'", e);
            }
            if (!stored.equals(spaceJson)) {
                throw new ConflictException("study '" + name + "' was created with another search space: stored "
                        + stored + ", given " + spaceJson);
            }
        }
        return new TrackedTrials(tracking, experiment, runId, space, objectiveNames);
    }

    String experimentId() {
        return experiment.id();
    }

    /** Reads every trial; trials a crash left running are marked failed. */
    List<FrozenTrial> load() {
        tracking.flush();
        List<RunInfo> runs = new ArrayList<>();
        String token = null;
        do {
            Tracking.SearchRuns request = Tracking.SearchRuns.in(experiment).maxResults(1000);
            RunPage page = tracking.searchRuns(token == null ? request : request.pageToken(token));
            for (RunInfo r : page.runs()) {
                if (studyRunId.equals(r.parentRunId())) {
                    runs.add(r);
                }
            }
            token = page.nextPageToken();
        } while (token != null);
        List<FrozenTrial> out = new ArrayList<>();
        for (RunInfo r : runs) {
            String numberTag = r.tags().get(NUMBER_TAG);
            if (numberTag == null) {
                continue;
            }
            int number = Integer.parseInt(numberTag);
            TrialState state = TrialState.valueOf(r.tags().getOrDefault(STATE_TAG, "RUNNING"));
            Map<String, Object> params = new LinkedHashMap<>();
            for (SearchSpace.Param p : space.params()) {
                String text = r.params().get(p.name());
                if (text != null) {
                    params.put(p.name(), parse(p, text));
                }
            }
            TreeMap<Long, Double> intermediate = new TreeMap<>();
            if (r.metrics().containsKey(INTERMEDIATE)) {
                for (MetricPoint m : tracking.metricHistory(r.runId(), INTERMEDIATE)) {
                    intermediate.putIfAbsent(m.step(), m.value());
                }
            }
            List<Double> values = new ArrayList<>();
            String error = r.tags().get(Run.ERROR_TAG);
            if (state == TrialState.COMPLETE) {
                for (String o : objectiveNames) {
                    Double v = r.metrics().get(o);
                    if (v == null) {
                        state = TrialState.FAIL;
                        error = "objective value '" + o + "' is missing from the stored trial";
                        values.clear();
                        break;
                    }
                    values.add(v);
                }
            }
            if (state == TrialState.RUNNING || r.status() == RunStatus.RUNNING) {
                state = TrialState.FAIL;
                error = "interrupted: the trial was still running when the study was reopened";
                Run stale = tracking.resumeRun(r.runId());
                stale.setTag(STATE_TAG, TrialState.FAIL.name());
                stale.setTag(Run.ERROR_TAG, error);
                stale.end(RunStatus.FAILED);
                LOG.warn("trial {} of study '{}' was left running; marked failed", number, experiment.name());
            }
            out.add(new FrozenTrial(number, state, params, values, intermediate,
                    r.metrics().getOrDefault(COST, 0.0), r.startTime(), r.endTime() != null ? r.endTime()
                    : r.startTime(), error, r.runId()));
        }
        out.sort(java.util.Comparator.comparingInt(FrozenTrial::number));
        return out;
    }

    private static Object parse(SearchSpace.Param p, String text) {
        try {
            if (p.distribution() instanceof Distribution.FloatRange) {
                return Double.parseDouble(text);
            }
            if (p.distribution() instanceof Distribution.IntRange) {
                return Long.parseLong(text);
            }
        } catch (NumberFormatException e) {
            throw new ConflictException("stored value '" + text + "' of parameter '" + p.name()
                    + "' does not fit " + p.distribution());
        }
        Object choice = ((Distribution.Categorical) p.distribution()).fromText(text);
        if (choice == null) {
            throw new ConflictException("stored value '" + text + "' of parameter '" + p.name()
                    + "' is not a choice of " + p.distribution());
        }
        return choice;
    }

    synchronized void beginCall() {
        studyRun = tracking.resumeRun(studyRunId);
    }

    synchronized void endCall(List<FrozenTrial> complete, List<Direction> directions) {
        if (studyRun == null) {
            return;
        }
        if (directions.size() == 1 && !complete.isEmpty()) {
            Direction d = directions.get(0);
            FrozenTrial best = complete.get(0);
            for (FrozenTrial t : complete) {
                if (d.better(t.value(), best.value())) {
                    best = t;
                }
            }
            studyRun.logMetric("best_" + objectiveNames.get(0), best.value(), complete.size());
            studyRun.setTag("mlops.study.bestTrial", Integer.toString(best.number()));
        }
        studyRun.logMetric("complete_trials", complete.size(), 0);
        tracking.flush();
        studyRun = null;
    }

    TrialRun startTrial(int number, Map<String, Object> params) {
        Run parent;
        synchronized (this) {
            parent = studyRun;
        }
        Run run = parent.startChildRun("trial-" + number);
        run.setTag(NUMBER_TAG, Integer.toString(number));
        run.setTag(STATE_TAG, TrialState.RUNNING.name());
        params.forEach((k, v) -> run.logParam(k, String.valueOf(v)));
        return new TrialRun(run);
    }

    void finishTrial(TrialRun trial, FrozenTrial done) {
        Run run = trial.run;
        if (done.state() == TrialState.COMPLETE) {
            for (int i = 0; i < objectiveNames.size(); i++) {
                run.logMetric(objectiveNames.get(i), done.values().get(i), 0);
            }
        }
        run.logMetric(COST, done.cost(), 0);
        run.setTag(STATE_TAG, done.state().name());
        switch (done.state()) {
            case COMPLETE -> run.end(RunStatus.FINISHED);
            case PRUNED -> run.end(RunStatus.KILLED);
            default -> {
                String error = done.error() == null ? "failed" : done.error();
                run.setTag(Run.ERROR_TAG, error.length() > Limits.MAX_TAG_VALUE_LENGTH
                        ? error.substring(0, Limits.MAX_TAG_VALUE_LENGTH) : error);
                run.end(RunStatus.FAILED);
            }
        }
    }

    /** A trial's run. */
    static final class TrialRun {
        final Run run;

        TrialRun(Run run) {
            this.run = run;
        }

        String runId() {
            return run.id();
        }

        void intermediate(long step, double value) {
            run.logMetric(INTERMEDIATE, value, step);
        }

        MetricSink sink() {
            return run;
        }
    }

    static String spaceJson(SearchSpace space) {
        List<Map<String, Object>> params = new ArrayList<>();
        for (SearchSpace.Param p : space.params()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            if (p.distribution() instanceof Distribution.FloatRange f) {
                m.put("type", "float");
                m.put("low", f.low());
                m.put("high", f.high());
                m.put("log", f.log());
                m.put("step", f.step());
            } else if (p.distribution() instanceof Distribution.IntRange r) {
                m.put("type", "int");
                m.put("low", r.low());
                m.put("high", r.high());
                m.put("log", r.log());
                m.put("step", r.step());
            } else {
                m.put("type", "categorical");
                m.put("choices", ((Distribution.Categorical) p.distribution()).choices());
            }
            if (p.parent() != null) {
                m.put("parent", p.parent());
                m.put("parentValues", p.parentValues().stream().map(String::valueOf).sorted().toList());
            }
            params.add(m);
        }
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the search space as JSON", e);
        }
    }
}
