#!/usr/bin/env bash
# Installs what the tests need when it is missing: Debian's chromium (browser
# test), GDAL (GeoPackage imports) and the pinned node packages of tools/node (independent tile decoder).
# Runs apt-get update only when something has to be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# GDAL's ogr2ogr: the importer reads GeoPackage, FileGDB and KML through it,
# and the multi-layer import tests skip without it
command -v ogr2ogr >/dev/null 2>&1 || need+=(gdal-bin)
# a CJK font, so that the browser test's screenshots show the Chinese names
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  echo "test-deps: installing ${need[*]} from Debian"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d tools/node/node_modules/@mapbox/vector-tile ]; then
  echo "test-deps: npm ci in tools/node"
  npm ci --prefix tools/node --no-audit --no-fund --silent
fi
