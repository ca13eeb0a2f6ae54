-- Prompt templates with immutable versions and aliases; the audit log now says whether an entry concerns a model or
-- a prompt (PostgreSQL).
ALTER TABLE audit_log ADD COLUMN subject VARCHAR(16) NOT NULL DEFAULT 'MODEL';
CREATE INDEX audit_log_subject ON audit_log (subject, name, entry_id);

CREATE TABLE prompts (
    name               VARCHAR(256)   NOT NULL PRIMARY KEY,
    description        VARCHAR(5000),
    creation_time      BIGINT         NOT NULL,
    last_updated_time  BIGINT         NOT NULL,
    -- numbers are never reused within a prompt, even after a version is deleted
    next_version       BIGINT         NOT NULL
);

CREATE TABLE prompt_tags (
    name   VARCHAR(256)   NOT NULL REFERENCES prompts (name),
    key    VARCHAR(250)   NOT NULL,
    value  VARCHAR(5000)  NOT NULL,
    PRIMARY KEY (name, key)
);

CREATE TABLE prompt_versions (
    name            VARCHAR(256)   NOT NULL REFERENCES prompts (name),
    version         BIGINT         NOT NULL,
    template_json   TEXT           NOT NULL,
    digest          VARCHAR(64)    NOT NULL,
    commit_message  VARCHAR(5000),
    created_by      VARCHAR(256)   NOT NULL,
    creation_time   BIGINT         NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE prompt_version_tags (
    name     VARCHAR(256)   NOT NULL,
    version  BIGINT         NOT NULL,
    key      VARCHAR(250)   NOT NULL,
    value    VARCHAR(5000)  NOT NULL,
    PRIMARY KEY (name, version, key),
    FOREIGN KEY (name, version) REFERENCES prompt_versions (name, version)
);

CREATE TABLE prompt_aliases (
    name     VARCHAR(256)  NOT NULL REFERENCES prompts (name),
    alias    VARCHAR(255)  NOT NULL,
    version  BIGINT        NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES prompt_versions (name, version)
);
CREATE FUNCTION prompt_versions_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'prompt versions are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prompt_versions_no_update BEFORE UPDATE ON prompt_versions
    FOR EACH ROW EXECUTE FUNCTION prompt_versions_immutable();
