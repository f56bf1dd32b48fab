// decode.mjs decodes Mapbox Vector Tiles with @mapbox/vector-tile, an
// decoder independent of orb, and prints one JSON array with one entry per
// file: its layers, and per feature id, type, properties, the polygons as
// grouped by classifyRings, and each ring's point count and signed area
// (surveyor's formula in tile coordinates, y down: > 0 = outer ring in MVT 2.1),
// and the coordinates of point features.
//
// Usage: node tiles/testdata/decode.mjs FILE...
// Its packages come from tools/node (npm ci --prefix tools/node).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeDir = path.join(here, '..', '..', 'tools', 'node');
const require = createRequire(path.join(nodeDir, 'package.json'));
const { VectorTile, VectorTileFeature, classifyRings } = await import(require.resolve('@mapbox/vector-tile'));
const { PbfReader } = await import(require.resolve('pbf'));

function signedArea(ring) {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    a += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  }
  return a / 2;
}

const out = [];
for (const file of process.argv.slice(2)) {
  const tile = new VectorTile(new PbfReader(readFileSync(file)));
  const layers = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const rings = f.loadGeometry(); // closePath repeats the first point
      const polygons = f.type === 3 ? classifyRings(rings).length : 0;
      features.push({
        id: f.id,
        type: VectorTileFeature.types[f.type],
        properties: f.properties,
        polygons,
        rings: rings.map((r) => ({ points: r.length, area: signedArea(r) })),
        // a point feature's coordinates, [[x, y], ...] in tile units
        coords: f.type === 1 ? rings.flat().map((p) => [p.x, p.y]) : undefined,
      });
    }
    layers[name] = { version: layer.version, extent: layer.extent, features };
  }
  out.push({ file: path.basename(file), layers });
}
process.stdout.write(JSON.stringify(out));
