// @ts-check
// What the Chinese edition's tools read in a markdown cell (kernel-setup/i18n.js): code spans and fenced blocks, math,
// link targets, headings and JupyterLab's anchors for them, and link rewriting for notebooks/zh/.
'use strict';

/**
 * A markdown text cut into pieces: fenced code blocks and code spans (`code`), everything else (`text`).
 * Code follows CommonMark's rules closely enough for course prose: a fence is a line starting with ``` or ~~~ (up to
 * three spaces in) and ends at a line with at least as many of the same character; a code span opens with a run of
 * n backticks and closes at the next run of exactly n.
 * @param {string} md
 * @returns {{ kind: 'text' | 'fence' | 'span', text: string }[]}
 */
function segments(md) {
  /** @type {{ kind: 'text' | 'fence' | 'span', text: string }[]} */
  const out = [];
  let text = '';
  const pushText = () => { if (text) out.push({ kind: 'text', text }); text = ''; };
  const lines = md.split(/(?<=\n)/);
  let i = 0;
  /** @type {string[]} */
  let para = [];
  const flushPara = () => {
    const p = para.join('');
    para = [];
    let pos = 0;
    while (pos < p.length) {
      const open = p.indexOf('`', pos);
      if (open < 0) { text += p.slice(pos); break; }
      let n = 0;
      while (p[open + n] === '`') n++;
      // The closing run: exactly n backticks.
      const re = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
      re.lastIndex = open + n;
      const close = re.exec(p);
      if (!close) { text += p.slice(pos, open + n); pos = open + n; continue; }
      text += p.slice(pos, open);
      pushText();
      out.push({ kind: 'span', text: p.slice(open, close.index + n) });
      pos = close.index + n;
    }
  };
  while (i < lines.length) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]);
    if (!m) { para.push(lines[i]); i++; continue; }
    flushPara();
    pushText();
    const fence = m[1];
    let block = lines[i++];
    while (i < lines.length) {
      block += lines[i];
      const end = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[i]);
      i++;
      if (end) break;
    }
    out.push({ kind: 'fence', text: block });
  }
  flushPara();
  pushText();
  return out;
}

/** The prose of a markdown text with its code replaced by a space (for the glossary and link rules). */
function withoutCode(/** @type {string} */ md) {
  return segments(md).map((s) => (s.kind === 'text' ? s.text : ' ')).join('');
}

const MATH = /\$\$[\s\S]+?\$\$|(?<![\\$])\$(?!\s)(?:\\\$|[^$\n])+?(?<!\s)\$(?!\d)/g;

/**
 * The code (spans and fenced blocks), math ($…$ and $$…$$, outside code) and link targets of a markdown text, and its
 * prose without them (what the glossary reads).
 * @param {string} md
 */
function analyse(md) {
  const segs = segments(md);
  const code = segs.filter((s) => s.kind !== 'text').map((s) => s.text.trim());
  const text = segs.map((s) => (s.kind === 'text' ? s.text : ' ')).join('');
  const math = text.match(MATH) || [];
  const noMath = text.replace(MATH, ' ');
  const links = linkTargets(noMath);
  const prose = noMath.replace(/\]\(\s*(<[^>]*>|[^\s)]*)[^)]*\)/g, '] ').replace(/<[^>]+>/g, ' ').replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, ' ');
  return { code, math, links, prose };
}

/**
 * Link targets in markdown prose (code removed first): inline links and images `[t](target "title")`, reference
 * definitions `[x]: target`, and HTML `href`/`src` attributes.
 * @param {string} text
 * @returns {string[]}
 */
function linkTargets(text) {
  /** @type {string[]} */
  const out = [];
  for (const m of text.matchAll(/\]\(\s*(<[^>]*>|[^\s)]+)/g)) out.push(m[1].replace(/^<|>$/g, ''));
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)) out.push(m[1].replace(/^<|>$/g, ''));
  for (const m of text.matchAll(/\b(?:href|src)\s*=\s*("[^"]*"|'[^']*')/gi)) out.push(m[1].slice(1, -1));
  return out;
}

/**
 * Rewrite the link targets in the prose of a markdown text (code untouched) with `fn`.
 * @param {string} md
 * @param {(target: string) => string} fn
 */
function rewriteLinks(md, fn) {
  return segments(md).map((s) => {
    if (s.kind !== 'text') return s.text;
    return s.text
      .replace(/(\]\(\s*)(<[^>]*>|[^\s)]+)/g, (_, pre, t) => pre + (t.startsWith('<') ? `<${fn(t.slice(1, -1))}>` : fn(t)))
      .replace(/^( {0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S+)/gm, (_, pre, t) => pre + (t.startsWith('<') ? `<${fn(t.slice(1, -1))}>` : fn(t)))
      .replace(/\b(href|src)(\s*=\s*)("[^"]*"|'[^']*')/gi, (_, attr, eq, q) => `${attr}${eq}${q[0]}${fn(q.slice(1, -1))}${q[0]}`);
  }).join('');
}

/**
 * ATX headings (`## Title`) outside fenced code: level, text and line number.
 * @param {string} md
 * @returns {{ level: number, text: string, line: number }[]}
 */
function headings(md) {
  /** @type {{ level: number, text: string, line: number }[]} */
  const out = [];
  /** @type {string | null} */
  let fence = null;
  md.split('\n').forEach((l, line) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(l);
    if (fence !== null) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && /^ {0,3}[`~]+\s*$/.test(l)) fence = null;
      return;
    }
    if (f) { fence = f[1]; return; }
    const m = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(l);
    if (m) out.push({ level: m[1].length, text: m[2], line });
  });
  return out;
}

/**
 * The anchor JupyterLab gives a heading: the rendered heading's text with each space replaced by '-'
 * (@jupyterlab/rendermime createHeaderId: `textContent.replace(/ /g, '-')`). Markdown's inline markup is removed
 * the way rendering does (links keep their text, code spans their code, emphasis marks and HTML tags go; math is
 * kept as typed, as JupyterLab sets the ids before typesetting).
 * @param {string} text
 */
function jupyterAnchor(text) {
  const plain = segments(text).map((s) => {
    if (s.kind !== 'text') return s.text.replace(/^`+\s?|\s?`+$/g, '');
    return s.text
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/(\*{1,3}|(?<![\p{L}\p{N}])_{1,3}|_{1,3}(?![\p{L}\p{N}]))/gu, '')
      .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
  }).join('');
  return plain.trim().replace(/ /g, '-');
}

/**
 * Give each heading of `zh` the anchor of the English heading at the same position, as `<a id="…"></a>` at the start
 * of its text, so a link to the English section (`02-losses.ipynb#2.-Cross-entropy`) finds the Chinese one too
 * (JupyterLab finds any element whose id matches a fragment). Headings whose anchors already agree are left alone;
 * when the two cells' headings differ in number the text is returned unchanged (the check reports it).
 * @param {string} en
 * @param {string} zh
 */
function addEnglishAnchors(en, zh) {
  const eh = headings(en);
  const zhh = headings(zh);
  if (eh.length !== zhh.length || eh.length === 0) return zh;
  const lines = zh.split('\n');
  zhh.forEach((h, k) => {
    const id = jupyterAnchor(eh[k].text);
    if (!id || id === jupyterAnchor(h.text)) return;
    const safe = id.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    lines[h.line] = lines[h.line].replace(/^( {0,3}#{1,6}[ \t]+)/, `$1<a id="${safe}"></a>`);
  });
  return lines.join('\n');
}

module.exports = { segments, withoutCode, analyse, linkTargets, rewriteLinks, headings, jupyterAnchor, addEnglishAnchors };
