"""
Builds src/ui/fonts/kubeplay-glyphs.woff2: the two status glyphs the Argo Rollouts plugin prints
that common monospace fonts lack, so the terminal draws them everywhere instead of an empty box:
U+0965 (॥, Paused; from Noto Sans Devanagari) and U+29C9 (⧉, ReplicaSet; from Noto Sans Math).
Both fonts are under the SIL Open Font License 1.1 (src/ui/fonts/OFL.txt); the subset is renamed,
as the licence asks of a modified font. Each glyph is centred in a monospace cell (0.6 em, the
advance of DejaVu Sans Mono and Menlo) and scaled down if wider, so the plugin's columns stay aligned.

The output is committed; run this only to change it (needs Debian's python3-fonttools and python3-brotli):
  npm pack @fontsource/noto-sans-devanagari@5.3.0 @fontsource/noto-sans-math@5.3.0
  for f in fontsource-*.tgz; do tar xzf "$f" --one-top-level; done
  /usr/bin/python3 scripts/glyphs-font.py fontsource-noto-sans-devanagari-5.3.0 fontsource-noto-sans-math-5.3.0
"""
import sys
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

UPM = 1000
CELL = 600
FAMILY = 'Kubeplay Glyphs'
SOURCES = [
    (0x0965, 'files/noto-sans-devanagari-devanagari-400-normal.woff2'),
    (0x29C9, 'files/noto-sans-math-latin-400-normal.woff2'),
]


def glyph(font_dir, codepoint, path):
    src = TTFont(f'{font_dir}/package/{path}')
    assert src['head'].unitsPerEm == UPM
    gs = src.getGlyphSet()
    name = src.getBestCmap()[codepoint]
    rec = DecomposingRecordingPen(gs)
    gs[name].draw(rec)
    bounds = BoundsPen(gs)
    rec.replay(bounds)
    x0, _, x1, _ = bounds.bounds
    scale = min(1.0, (CELL - 60) / (x1 - x0))
    dx = (CELL - (x1 - x0) * scale) / 2 - x0 * scale
    pen = TTGlyphPen(None)
    rec.replay(TransformPen(pen, (scale, 0, 0, scale, dx, 0)))
    return pen.glyph()


def main(dev_dir, math_dir):
    names = {0x0965: 'danda2', 0x29C9: 'squares2'}
    glyphs = {'.notdef': TTGlyphPen(None).glyph()}
    for (cp, path), d in zip(SOURCES, [dev_dir, math_dir]):
        glyphs[names[cp]] = glyph(d, cp, path)
    order = list(glyphs)
    fb = FontBuilder(UPM, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({cp: names[cp] for cp, _ in SOURCES})
    fb.setupGlyf(glyphs)
    metrics = {}
    for n, g in glyphs.items():
        g.recalcBounds(fb.font['glyf'])
        metrics[n] = (CELL, getattr(g, 'xMin', 0))
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=1069, descent=-293)
    fb.setupNameTable({'familyName': FAMILY, 'styleName': 'Regular',
                       'copyright': 'Copyright 2022 The Noto Project Authors (github.com/notofonts/devanagari, github.com/notofonts/math)',
                       'licenseDescription': 'SIL Open Font License 1.1'})
    fb.setupOS2(sTypoAscender=1069, sTypoDescender=-293, usWinAscent=1069, usWinDescent=293)
    fb.setupPost(isFixedPitch=1)
    fb.font.flavor = 'woff2'
    fb.save('src/ui/fonts/kubeplay-glyphs.woff2')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
