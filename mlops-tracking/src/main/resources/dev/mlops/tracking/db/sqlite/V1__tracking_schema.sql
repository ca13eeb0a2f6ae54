-- Tracking schema, version 1 (SQLite).
CREATE TABLE experiments (
    experiment_id     VARCHAR(32)   NOT NULL PRIMARY KEY,
    name              VARCHAR(500)  NOT NULL UNIQUE,
    lifecycle_stage   VARCHAR(16)   NOT NULL,
    creation_time     BIGINT        NOT NULL,
    last_update_time  BIGINT        NOT NULL
);

CREATE TABLE experiment_tags (
    experiment_id  VARCHAR(32)    NOT NULL REFERENCES experiments (experiment_id),
    key            VARCHAR(250)   NOT NULL,
    value          VARCHAR(5000)  NOT NULL,
    PRIMARY KEY (experiment_id, key)
);

CREATE TABLE runs (
    run_id           VARCHAR(32)   NOT NULL PRIMARY KEY,
    experiment_id    VARCHAR(32)   NOT NULL REFERENCES experiments (experiment_id),
    name             VARCHAR(250)  NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    start_time       BIGINT        NOT NULL,
    end_time         BIGINT,
    user_id          VARCHAR(256)  NOT NULL,
    source           VARCHAR(500)  NOT NULL,
    parent_run_id    VARCHAR(32)   REFERENCES runs (run_id),
    lifecycle_stage  VARCHAR(16)   NOT NULL
);
CREATE INDEX runs_experiment_start ON runs (experiment_id, start_time);
CREATE INDEX runs_parent ON runs (parent_run_id);

CREATE TABLE params (
    run_id  VARCHAR(32)    NOT NULL REFERENCES runs (run_id),
    key     VARCHAR(250)   NOT NULL,
    value   VARCHAR(6000)  NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX params_key_value ON params (key, value);

CREATE TABLE tags (
    run_id  VARCHAR(32)    NOT NULL REFERENCES runs (run_id),
    key     VARCHAR(250)   NOT NULL,
    value   VARCHAR(5000)  NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX tags_key_value ON tags (key, value);

-- One row per (run, metric key): the metric history refers to it by a small integer, which keeps history rows
-- short and their index cheap to maintain.
CREATE TABLE metric_series (
    series_id  INTEGER PRIMARY KEY,
    run_id     VARCHAR(32)   NOT NULL REFERENCES runs (run_id),
    key        VARCHAR(250)  NOT NULL,
    UNIQUE (run_id, key)
);

-- Full history, append-only; an exact repeat of a point (same step, timestamp and value) is kept once, as in
-- MLflow. NaN is stored as value 0 with is_nan = 1 (SQLite has no NaN). The primary key serves a series' history by step.
CREATE TABLE metrics (
    series_id  BIGINT            NOT NULL,
    step       BIGINT            NOT NULL,
    timestamp  BIGINT            NOT NULL,
    value      DOUBLE PRECISION  NOT NULL,
    is_nan     SMALLINT          NOT NULL,
    PRIMARY KEY (series_id, step, timestamp, value, is_nan)
) WITHOUT ROWID;

-- The latest value per run and key: the one with the greatest (step, timestamp, value).
CREATE TABLE latest_metrics (
    run_id     VARCHAR(32)       NOT NULL REFERENCES runs (run_id),
    key        VARCHAR(250)      NOT NULL,
    value      DOUBLE PRECISION  NOT NULL,
    is_nan     SMALLINT          NOT NULL,
    timestamp  BIGINT            NOT NULL,
    step       BIGINT            NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value);

CREATE TABLE datasets (
    experiment_id  VARCHAR(32)    NOT NULL REFERENCES experiments (experiment_id),
    name           VARCHAR(500)   NOT NULL,
    digest         VARCHAR(64)    NOT NULL,
    source_type    VARCHAR(64)    NOT NULL,
    source         VARCHAR(2000)  NOT NULL,
    schema_json    TEXT,
    PRIMARY KEY (experiment_id, name, digest)
);

CREATE TABLE inputs (
    run_id          VARCHAR(32)   NOT NULL REFERENCES runs (run_id),
    experiment_id   VARCHAR(32)   NOT NULL,
    dataset_name    VARCHAR(500)  NOT NULL,
    dataset_digest  VARCHAR(64)   NOT NULL,
    context         VARCHAR(250)  NOT NULL,
    PRIMARY KEY (run_id, dataset_name, dataset_digest, context)
);

-- Artifacts are content-addressed blobs; this table maps a run's paths to them.
CREATE TABLE artifacts (
    run_id   VARCHAR(32)    NOT NULL REFERENCES runs (run_id),
    path     VARCHAR(1024)  NOT NULL,
    size     BIGINT         NOT NULL,
    sha256   VARCHAR(64)    NOT NULL,
    PRIMARY KEY (run_id, path)
);
