#!/usr/bin/env bash
# Cuts the font the minutes PDF embeds (assets/fonts/minutes-sans-sc.otf) from Debian's Noto Sans CJK.
# Run once by hand; the result is committed, so neither CI nor the server needs fontTools or the
# 40 MB collection. pdfkit wants OTF/TTF (WOFF2 gave multi-megabyte PDFs, see docs toolchain.md)
# and the full 16 MB face costs over a second per document, hence the cut.
#
#   apt-get install fonts-noto-cjk python3-fonttools && scripts/make-pdf-font.sh
#
# Coverage: every GB2312 character, the whole CJK Unified Ideographs block and Extension A (rare
# name characters such as 喆 堃 䶮 fall outside GB2312), the face's ideographs beyond the BMP
# (Extensions B–G: the national Table of General Standard Chinese Characters, 通用规范汉字表,
# used for names since 2013, has some 200 of them, such as 𫖮 𬌗 𬭚), Latin-1, general, currency
# and CJK punctuation, full-width forms, circled numbers. Glyph hints and OpenType layout tables are dropped: the PDF
# is set horizontally, and pdfkit re-subsets the face per document anyway.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SOURCE=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
FACE=2 # index of "Noto Sans CJK SC" in the collection
OUT=assets/fonts/minutes-sans-sc.otf
PY=/usr/bin/python3 # Debian's python3-fonttools, not a pyenv interpreter
# fontTools stamps head.modified with this instead of the time of the run: the same inputs give the same bytes.
export SOURCE_DATE_EPOCH=1643241600 # 2022-01-27, the date of Debian's fonts-noto-cjk 1:20220127

[ -f "$SOURCE" ] || { echo "missing $SOURCE: apt-get install fonts-noto-cjk" >&2; exit 1; }
"$PY" -c 'import fontTools' 2>/dev/null || { echo "apt-get install python3-fonttools" >&2; exit 1; }

unicodes=$(mktemp)
trap 'rm -f "$unicodes"' EXIT
# GB2312 from Python's own codec (rows 0xA1–0xF7, cells 0xA1–0xFE), one code point per line.
"$PY" - >"$unicodes" <<'PY'
seen = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            ch = bytes([hi, lo]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        seen.add(ord(ch))
for cp in sorted(seen):
    print("U+%04X" % cp)
PY
cat >>"$unicodes" <<'RANGES'
U+0020-007E
U+00A0-00FF
U+2000-206F
U+20A0-20CF
U+2100-214F
U+2190-21FF
U+2460-24FF
U+2500-257F
U+25A0-25FF
U+3000-303F
U+3400-4DBF
U+4E00-9FFF
U+FE30-FE4F
U+FF00-FFEF
U+20000-3134F
RANGES

"$PY" -m fontTools.subset "$SOURCE" --font-number="$FACE" \
  --unicodes-file="$unicodes" \
  --layout-features='' --no-hinting --desubroutinize \
  --name-IDs='*' --name-languages='*' \
  --drop-tables+=vhea,vmtx,VORG,BASE,JSTF,DSIG \
  --output-file="$OUT"

"$PY" - "$OUT" <<'PY'
import sys
from fontTools.ttLib import TTFont
cmap = TTFont(sys.argv[1]).getBestCmap()
missing = [c for c in "喆堃䶮毖谰耪锨𫖮𬌗𬭚议事纪要。，、；：？！「」『』（）€" if ord(c) not in cmap]
if missing:
    sys.exit("subset lacks " + "".join(missing))
print("%s: %d code points" % (sys.argv[1], len(cmap)))
PY
ls -l "$OUT"
