#!/usr/bin/env bash
# Installs the Debian packages the tests need (Chromium for browser tests,
# poppler-utils to render PDF pages), when missing and when we may (root).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# WeasyPrint (board report PDF): Pango, HarfBuzz and fonts
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fonts-liberation; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Let op: ontbrekende systeempakketten: ${missing[*]} (installeer met: sudo apt-get install ${missing[*]})." >&2
  exit 0
fi
echo "Systeempakketten installeren: ${missing[*]}" >&2
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
