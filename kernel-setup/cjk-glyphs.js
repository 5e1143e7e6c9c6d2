// @ts-check
// Is Chinese drawn, or a row of empty boxes? A Chromium without a CJK font draws every Chinese character as the
// fallback glyph (.notdef) — the same as a code point no font has. `cjkGlyphsDrawn` runs in the page (pass it to
// Playwright's page.evaluate): it draws the Chinese text of the first heading that has some, and the same number of
// unassigned code points, on a canvas in the heading's font, and compares the pixels. Equal pixels: boxes.
'use strict';

/**
 * In the page: the first Chinese run (up to 6 characters) of the first h1–h3 that has one, and whether it is drawn
 * with real glyphs. `probe` replaces that text (the self-test passes unassigned code points, which must read as boxes).
 * @param {string} [probe]
 * @returns {{ text: string, drawn: boolean, font: string }}
 */
function cjkGlyphsDrawn(probe) {
  const heading = [...document.querySelectorAll('h1, h2, h3')].find((e) => /[\u4e00-\u9fff]/.test(e.textContent || ''));
  const text = probe ?? (((heading && heading.textContent) || '').match(/[\u4e00-\u9fff]+/) || [''])[0].slice(0, 6);
  const family = heading ? getComputedStyle(heading).fontFamily : 'sans-serif';
  const font = `32px ${family}`;
  /** @param {string} s */
  const ink = (s) => {
    const canvas = document.createElement('canvas');
    canvas.width = 260;
    canvas.height = 48;
    const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    g.font = font;
    g.fillStyle = '#000';
    g.fillText(s, 2, 36);
    return canvas.toDataURL();
  };
  const missing = '\u{10FFFD}'.repeat([...text].length);
  return { text, drawn: text.length > 0 && ink(text) !== ink(missing), font };
}

/** What to do when Chinese is drawn as boxes. */
const CJK_FONT_HINT = 'install a CJK font (Debian/Ubuntu: apt install fonts-wqy-microhei or fonts-noto-cjk; macOS and Windows have one)';

module.exports = { cjkGlyphsDrawn, CJK_FONT_HINT };
