-- Version numbers are never reused within a registered model, even after the highest version is deleted: the next
-- number is kept on the model itself.
ALTER TABLE registered_models ADD COLUMN next_version BIGINT NOT NULL DEFAULT 1;
UPDATE registered_models SET next_version = 1 + COALESCE(
    (SELECT MAX(v.version) FROM model_versions v WHERE v.name = registered_models.name), 0);
