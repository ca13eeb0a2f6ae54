-- Model registry schema, version 1 (SQLite).
CREATE TABLE registered_models (
    name               VARCHAR(256)   NOT NULL PRIMARY KEY,
    description        VARCHAR(5000),
    creation_time      BIGINT         NOT NULL,
    last_updated_time  BIGINT         NOT NULL
);

CREATE TABLE registered_model_tags (
    name   VARCHAR(256)   NOT NULL REFERENCES registered_models (name),
    key    VARCHAR(250)   NOT NULL,
    value  VARCHAR(5000)  NOT NULL,
    PRIMARY KEY (name, key)
);

-- A version's content is immutable: the package is stored under its descriptor's SHA-256.
CREATE TABLE model_versions (
    name               VARCHAR(256)   NOT NULL REFERENCES registered_models (name),
    version            BIGINT         NOT NULL,
    source             VARCHAR(1200),
    run_id             VARCHAR(64),
    status             VARCHAR(32)    NOT NULL,
    description        VARCHAR(5000),
    creation_time      BIGINT         NOT NULL,
    last_updated_time  BIGINT         NOT NULL,
    created_by         VARCHAR(256)   NOT NULL,
    package_sha256     VARCHAR(64)    NOT NULL,
    signature_json     TEXT           NOT NULL,
    metrics_json       TEXT           NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE INDEX model_versions_package ON model_versions (package_sha256);
CREATE INDEX model_versions_run ON model_versions (run_id);

CREATE TABLE model_version_tags (
    name     VARCHAR(256)   NOT NULL,
    version  BIGINT         NOT NULL,
    key      VARCHAR(250)   NOT NULL,
    value    VARCHAR(5000)  NOT NULL,
    PRIMARY KEY (name, version, key),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE TABLE model_aliases (
    name     VARCHAR(256)  NOT NULL REFERENCES registered_models (name),
    alias    VARCHAR(255)  NOT NULL,
    version  BIGINT        NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

-- Lineage: the datasets a version was trained or evaluated on.
CREATE TABLE model_version_datasets (
    name          VARCHAR(256)  NOT NULL,
    version       BIGINT        NOT NULL,
    dataset_name  VARCHAR(500)  NOT NULL,
    digest        VARCHAR(64)   NOT NULL,
    context       VARCHAR(250)  NOT NULL,
    PRIMARY KEY (name, version, dataset_name, digest, context),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);
CREATE INDEX model_version_datasets_digest ON model_version_datasets (digest);

CREATE TABLE alias_policies (
    name         VARCHAR(256)  NOT NULL REFERENCES registered_models (name),
    alias        VARCHAR(255)  NOT NULL,
    policy_json  TEXT          NOT NULL,
    PRIMARY KEY (name, alias)
);

CREATE TABLE approval_requests (
    request_id    VARCHAR(32)    NOT NULL PRIMARY KEY,
    name          VARCHAR(256)   NOT NULL,
    version       BIGINT         NOT NULL,
    alias         VARCHAR(255)   NOT NULL,
    status        VARCHAR(16)    NOT NULL,
    requested_by  VARCHAR(256)   NOT NULL,
    requested_at  BIGINT         NOT NULL,
    reason        VARCHAR(5000)  NOT NULL,
    decided_by    VARCHAR(256),
    decided_at    BIGINT,
    comment       VARCHAR(5000)
);
CREATE INDEX approval_requests_model ON approval_requests (name, status);

-- Append-only: triggers refuse every change to a written entry.
CREATE TABLE audit_log (
    entry_id     INTEGER        PRIMARY KEY,
    name         VARCHAR(256)   NOT NULL,
    version      BIGINT,
    action       VARCHAR(64)    NOT NULL,
    actor        VARCHAR(256)   NOT NULL,
    time         BIGINT         NOT NULL,
    before_json  TEXT,
    after_json   TEXT
);
CREATE INDEX audit_log_model ON audit_log (name, entry_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
