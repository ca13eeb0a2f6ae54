-- Human-feedback schema, version 1.
CREATE TABLE llm_predictions (
    prediction_id   VARCHAR(256)  NOT NULL PRIMARY KEY,
    request_id      VARCHAR(256),
    model_version   VARCHAR(256)  NOT NULL,
    prompt_version  VARCHAR(256),
    prompt          TEXT          NOT NULL,
    completion      TEXT          NOT NULL,
    created_at      BIGINT        NOT NULL
);
CREATE INDEX llm_predictions_model ON llm_predictions (model_version);
CREATE INDEX llm_predictions_request ON llm_predictions (request_id);

CREATE TABLE llm_feedback (
    feedback_id          VARCHAR(32)       NOT NULL PRIMARY KEY,
    kind                 VARCHAR(16)       NOT NULL,
    prediction_id        VARCHAR(256),
    other_prediction_id  VARCHAR(256),
    request_id           VARCHAR(256),
    model_version        VARCHAR(256)      NOT NULL,
    other_model_version  VARCHAR(256),
    prompt_version       VARCHAR(256),
    rating               DOUBLE PRECISION,
    content              TEXT,
    preference           VARCHAR(4),
    source_type          VARCHAR(16)       NOT NULL,
    source_id            VARCHAR(256)      NOT NULL,
    rationale            TEXT,
    created_at           BIGINT            NOT NULL,
    overrides            VARCHAR(32)       REFERENCES llm_feedback (feedback_id),
    valid                SMALLINT          NOT NULL
);
CREATE INDEX llm_feedback_prediction ON llm_feedback (prediction_id);
CREATE INDEX llm_feedback_other_prediction ON llm_feedback (other_prediction_id);
CREATE INDEX llm_feedback_model_time ON llm_feedback (model_version, created_at);
-- A judgement is overridden at most once, so overrides form chains, never trees.
CREATE UNIQUE INDEX llm_feedback_overrides ON llm_feedback (overrides);
