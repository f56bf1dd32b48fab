#!/usr/bin/env bash
# vendor-web.sh refreshes the browser libraries under static/vendor/ from the
# npm registry at pinned, exact versions. The page loads nothing from the
# internet: everything it needs is copied here and embedded into the binary.
#
# Usage: scripts/vendor-web.sh            (from anywhere inside the repository)
set -euo pipefail

LEAFLET_VERSION=1.9.4
VECTORGRID_VERSION=1.3.0
SWAGGER_UI_VERSION=5.36.0 # swagger-ui-dist: the viewer of /api/docs

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact \
	"leaflet@${LEAFLET_VERSION}" "leaflet.vectorgrid@${VECTORGRID_VERSION}" \
	"swagger-ui-dist@${SWAGGER_UI_VERSION}" >/dev/null

installed_version() {
	node -p "require('./node_modules/$1/package.json').version"
}
for pkg in "leaflet:$LEAFLET_VERSION" "leaflet.vectorgrid:$VECTORGRID_VERSION" "swagger-ui-dist:$SWAGGER_UI_VERSION"; do
	name="${pkg%%:*}" want="${pkg#*:}"
	got="$(installed_version "$name")"
	if [[ "$got" != "$want" ]]; then
		echo "vendor-web: $name is $got, want $want" >&2
		exit 1
	fi
done

copy_license() { # copy_license <package dir> <target dir>
	local f
	for f in LICENSE LICENSE.md LICENSE.txt LICENCE; do
		if [[ -f "$1/$f" ]]; then
			cp "$1/$f" "$2/LICENSE"
			return 0
		fi
	done
	echo "vendor-web: no license file in $1" >&2
	exit 1
}

# leaflet.vectorgrid ships no LICENSE file: its licence (Beerware) is stated at
# the end of its README, and its bundled build includes pbf, vector-tile,
# geojson-vt and topojson (BSD/ISC), as that README lists.
readme_license() { # readme_license <package dir> <target file>
	{
		echo "Licence of $(basename "$1"), as stated in its README.md:"
		echo
		awk '/^----------/ { n++; next } n == 1' "$1/README.md"
		echo
		echo "Bundled third-party code, as listed in its README.md:"
		grep -E '^\* \[(geojson-vt|pbf|topojson|vector-tile)\]' "$1/README.md"
	} >"$2"
	if ! grep -q 'BEER-WARE' "$2"; then
		echo "vendor-web: licence text not found in $1/README.md" >&2
		exit 1
	fi
}

rm -rf "$dest"
mkdir -p "$dest/leaflet/images" "$dest/leaflet.vectorgrid" "$dest/swagger-ui"

src=node_modules/leaflet
cp "$src/dist/leaflet.js" "$src/dist/leaflet.css" "$dest/leaflet/"
cp "$src"/dist/images/*.png "$dest/leaflet/images/"
copy_license "$src" "$dest/leaflet"

src=node_modules/leaflet.vectorgrid
cp "$src/dist/Leaflet.VectorGrid.bundled.min.js" "$dest/leaflet.vectorgrid/"
readme_license "$src" "$dest/leaflet.vectorgrid/LICENSE"

# the bundle and its styles only (no source maps, no standalone preset, no
# demo page); the reference to the source map is cut so that browser tools
# ask for nothing that is not there
src=node_modules/swagger-ui-dist
sed '$ s|//# sourceMappingURL=.*$||' "$src/swagger-ui-bundle.js" >"$dest/swagger-ui/swagger-ui-bundle.js"
sed '$ s|/\*# sourceMappingURL=[^*]*\*/||' "$src/swagger-ui.css" >"$dest/swagger-ui/swagger-ui.css"
copy_license "$src" "$dest/swagger-ui"
cp "$src/NOTICE" "$dest/swagger-ui/NOTICE"

{
	echo "# Vendored by scripts/vendor-web.sh from the npm registry; do not edit by hand."
	echo "leaflet $(installed_version leaflet)"
	echo "leaflet.vectorgrid $(installed_version leaflet.vectorgrid)"
	echo "swagger-ui-dist $(installed_version swagger-ui-dist)"
} >"$dest/VERSIONS"

echo "vendor-web: wrote $dest"
