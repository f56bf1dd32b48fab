-- gridmap's schema: every table of gridmap lives in the schema gridmap
-- (created by pgschema before goose runs, since goose keeps its own table
-- there); PostGIS for the grids' geometry.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS postgis;
COMMENT ON SCHEMA gridmap IS 'gridmap: versions, grids, published files, incidents and staff (migrated by gridmap migrate up)';

-- +goose Down
COMMENT ON SCHEMA gridmap IS NULL;
