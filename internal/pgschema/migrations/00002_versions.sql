-- The version store (store/pgstore): versions, their layers and grids, the
-- active pointer and the files of each version, in chunks.
--
-- A version's dataset is kept as store's layers encoding (store.EncodeDataset,
-- the bytes of a data directory's layers.bin) in gridmap.file_chunks under the
-- name layers.bin, so Load returns exactly what Publish was given; the grids
-- table holds the same grids as PostGIS geometry for SQL and QGIS (gridmap
-- reads it never). Published files (the point index index.bin, the tiles
-- tiles.pmtiles) are chunks too. Chunks keep each value far below bytea's
-- 1 GB limit and are stored uncompressed (the encodings are dense).

-- +goose Up
CREATE TABLE gridmap.versions (
    num      integer PRIMARY KEY CHECK (num > 0),
    id       text GENERATED ALWAYS AS ('v' || num) STORED UNIQUE,
    created  timestamptz NOT NULL,
    manifest jsonb NOT NULL
);
COMMENT ON TABLE gridmap.versions IS 'one row per published version vN: its manifest (layers, who, sources, report, note, attribution)';

CREATE TABLE gridmap.active (
    one       boolean PRIMARY KEY DEFAULT true CHECK (one),
    version   integer NOT NULL REFERENCES gridmap.versions (num),
    activated timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE gridmap.active IS 'the active version (one row); a change is notified on channel gridmap_active';

CREATE TABLE gridmap.layers (
    version  integer NOT NULL REFERENCES gridmap.versions (num) ON DELETE CASCADE,
    ord      integer NOT NULL,
    name     text NOT NULL,
    parent   text,
    grids    integer NOT NULL,
    vertices bigint NOT NULL,
    partial  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (version, name)
);
COMMENT ON TABLE gridmap.layers IS 'the layers of each version, coarse to fine (ord); partial: its grids need not tile their parents';

CREATE TABLE gridmap.grids (
    gid        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version    integer NOT NULL REFERENCES gridmap.versions (num) ON DELETE CASCADE,
    layer      text NOT NULL,
    code       text NOT NULL,
    name       text NOT NULL,
    level      text,
    parent     text,
    properties jsonb,
    geom       geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX grids_version_layer_code ON gridmap.grids (version, layer, code);
CREATE INDEX grids_geom ON gridmap.grids USING gist (geom);
COMMENT ON TABLE gridmap.grids IS 'the grids of every version (WGS84 lon/lat); gridmap.active_grids holds the active version''s';

CREATE VIEW gridmap.active_grids AS
    SELECT g.gid, g.version, g.layer, g.code, g.name, g.level, g.parent, g.properties, g.geom
    FROM gridmap.grids g JOIN gridmap.active a ON g.version = a.version;
COMMENT ON VIEW gridmap.active_grids IS 'the grids of the active version, for QGIS and SQL';

CREATE TABLE gridmap.files (
    version integer NOT NULL REFERENCES gridmap.versions (num) ON DELETE CASCADE,
    name    text NOT NULL,
    size    bigint NOT NULL,
    sha256  bytea NOT NULL,
    written timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (version, name)
);
COMMENT ON TABLE gridmap.files IS 'the files of each version: its layers (layers.bin) and its published files (index.bin, tiles.pmtiles); content in gridmap.file_chunks';

CREATE TABLE gridmap.file_chunks (
    version integer NOT NULL REFERENCES gridmap.versions (num) ON DELETE CASCADE,
    name    text NOT NULL,
    seq     integer NOT NULL,
    chunk   bytea NOT NULL,
    PRIMARY KEY (version, name, seq)
);
ALTER TABLE gridmap.file_chunks ALTER COLUMN chunk SET STORAGE EXTERNAL;

-- +goose Down
DROP TABLE gridmap.file_chunks;
DROP TABLE gridmap.files;
DROP VIEW gridmap.active_grids;
DROP TABLE gridmap.grids;
DROP TABLE gridmap.layers;
DROP TABLE gridmap.active;
DROP TABLE gridmap.versions;
