#!/usr/bin/env bash
# Turn a varatlas workbook (e.g. from `varatlas needs --format xlsx --out needs.xlsx`) into a PDF with
# LibreOffice headless, so a person can look at the printed tables 4 and 5. Not part of CI.
#   apt-get install -y --no-install-recommends libreoffice-calc-nogui
#   scripts/workbook-to-pdf.sh needs.xlsx [out-dir]
set -euo pipefail
workbook=${1:?usage: scripts/workbook-to-pdf.sh WORKBOOK.xlsx [OUT-DIR]}
out=${2:-$(dirname "$workbook")}
command -v soffice >/dev/null || { echo "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui" >&2; exit 1; }
soffice --headless --norestore --convert-to pdf --outdir "$out" "$workbook"
echo "wrote $out/$(basename "${workbook%.*}").pdf"
