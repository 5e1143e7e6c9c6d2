// The book's offline search (搜索): MiniSearch over every section of every chapter, built in the page from
// assets/search-index.js (a script, not a fetched JSON file, so it works from file:// too). Loaded on every page after
// assets/minisearch.js. Also `require`d by the book's build and tests for `courseTokenize`.
(function (root) {
  'use strict';

  /**
   * Lower-case words and numbers; a run of Chinese characters becomes each character pair (交叉熵 → 交叉, 叉熵),
   * or the character alone, so a Chinese query matches without a word segmenter.
   * @param {string} text
   * @returns {string[]}
   */
  function courseTokenize(text) {
    const tokens = [];
    for (const word of String(text).toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (!word) continue;
      for (const part of word.split(/(\p{Script=Han}+)/u)) {
        if (!part) continue;
        if (!/\p{Script=Han}/u.test(part)) {
          tokens.push(part);
          continue;
        }
        const chars = [...part];
        if (chars.length === 1) tokens.push(part);
        for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
      }
    }
    return tokens;
  }

  const OPTIONS = {
    fields: ['heading', 'text'],
    storeFields: ['page', 'anchor', 'chapter', 'heading'],
    tokenize: courseTokenize,
    searchOptions: {
      combineWith: 'AND', boost: { heading: 3 }, prefix: (/** @type {string} */ term) => !/\p{Script=Han}/u.test(term),
      fuzzy: (/** @type {string} */ term) => (term.length > 5 && !/\p{Script=Han}/u.test(term) ? 0.2 : false),
    },
  };

  /** @param {string} s */
  const escape = (s) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] || ch);

  function setUp() {
    const docs = root.COURSE_SEARCH_DOCS;
    const box = document.querySelector('.book-search');
    if (!docs || !root.MiniSearch || !box) return;
    const input = /** @type {HTMLInputElement} */ (box.querySelector('input'));
    const list = /** @type {HTMLOListElement} */ (box.querySelector('ol'));
    const index = new root.MiniSearch(OPTIONS);
    index.addAll(docs);
    const show = () => {
      const q = input.value.trim();
      const hits = q ? index.search(q).slice(0, 10) : [];
      list.innerHTML = hits.map((h) => `<li><a href="${escape(h.page)}#${escape(encodeURIComponent(h.anchor))}">` +
        `<span class="chapter">${escape(h.chapter)}</span> · ${escape(h.heading)}</a></li>`).join('') ||
        (q ? '<li class="none">no section matches · 没有结果</li>' : '');
      list.hidden = !q;
      box.setAttribute('data-results', String(hits.length));
    };
    input.addEventListener('input', show);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { input.value = ''; show(); }
      if (e.key === 'Enter') {
        const first = /** @type {HTMLAnchorElement | null} */ (list.querySelector('a'));
        if (first) first.click();
      }
    });
    box.setAttribute('data-ready', 'true');
  }

  if (typeof module === 'object' && module.exports) module.exports = { courseTokenize, OPTIONS };
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUp);
    else setUp();
  }
})(typeof globalThis !== 'undefined' ? /** @type {any} */ (globalThis) : this);
