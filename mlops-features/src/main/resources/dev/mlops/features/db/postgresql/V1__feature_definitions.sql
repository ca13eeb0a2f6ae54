-- Feature store definitions, version 1 (PostgreSQL).
-- Every change to an entity, feature view, feature service or on-demand transform adds a version; versions are
-- immutable, and the head table points at the current one (or marks the name deleted).
CREATE TABLE feature_definitions (
    kind          VARCHAR(32)    NOT NULL,
    name          VARCHAR(64)    NOT NULL,
    version       BIGINT         NOT NULL,
    entity        VARCHAR(64),
    owner         VARCHAR(256),
    description   VARCHAR(5000),
    spec_json     TEXT           NOT NULL,
    spec_sha256   VARCHAR(64)    NOT NULL,
    created_time  BIGINT         NOT NULL,
    created_by    VARCHAR(256)   NOT NULL,
    PRIMARY KEY (kind, name, version)
);
CREATE INDEX feature_definitions_entity ON feature_definitions (entity);
CREATE INDEX feature_definitions_owner ON feature_definitions (owner);

CREATE FUNCTION feature_definitions_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'feature definition versions are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER feature_definitions_no_update BEFORE UPDATE ON feature_definitions
    FOR EACH ROW EXECUTE FUNCTION feature_definitions_immutable();

CREATE TABLE feature_definition_heads (
    kind          VARCHAR(32)    NOT NULL,
    name          VARCHAR(64)    NOT NULL,
    version       BIGINT         NOT NULL,
    deleted       SMALLINT       NOT NULL,
    updated_time  BIGINT         NOT NULL,
    PRIMARY KEY (kind, name),
    FOREIGN KEY (kind, name, version) REFERENCES feature_definitions (kind, name, version)
);

CREATE TABLE feature_definition_tags (
    kind       VARCHAR(32)    NOT NULL,
    name       VARCHAR(64)    NOT NULL,
    version    BIGINT         NOT NULL,
    tag_key    VARCHAR(250)   NOT NULL,
    tag_value  VARCHAR(5000)  NOT NULL,
    PRIMARY KEY (kind, name, version, tag_key),
    FOREIGN KEY (kind, name, version) REFERENCES feature_definitions (kind, name, version)
);
CREATE INDEX feature_definition_tags_key ON feature_definition_tags (tag_key);

-- The columns a definition names (features, join keys, outputs), so that search can find a feature by name.
CREATE TABLE feature_definition_columns (
    kind         VARCHAR(32)   NOT NULL,
    name         VARCHAR(64)   NOT NULL,
    version      BIGINT        NOT NULL,
    column_name  VARCHAR(64)   NOT NULL,
    data_type    VARCHAR(16)   NOT NULL,
    PRIMARY KEY (kind, name, version, column_name),
    FOREIGN KEY (kind, name, version) REFERENCES feature_definitions (kind, name, version)
);
CREATE INDEX feature_definition_columns_name ON feature_definition_columns (column_name);

-- What a definition uses (a view's entity, a service's views, transforms and entities), so that nothing in use is
-- deleted and search can find every definition about an entity.
CREATE TABLE feature_definition_refs (
    kind      VARCHAR(32)   NOT NULL,
    name      VARCHAR(64)   NOT NULL,
    version   BIGINT        NOT NULL,
    ref_kind  VARCHAR(32)   NOT NULL,
    ref_name  VARCHAR(64)   NOT NULL,
    PRIMARY KEY (kind, name, version, ref_kind, ref_name),
    FOREIGN KEY (kind, name, version) REFERENCES feature_definitions (kind, name, version)
);
CREATE INDEX feature_definition_refs_target ON feature_definition_refs (ref_kind, ref_name);
