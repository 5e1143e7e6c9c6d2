// @ts-check
// The book's search index: one document per section of each chapter (a heading and the prose under it, from the
// notebook's markdown), written as assets/search-index.js next to MiniSearch and the page script (book/search.js).
'use strict';
const fs = require('fs');
const path = require('path');

/** @typedef {{ id: string, page: string, anchor: string, chapter: string, heading: string, text: string }} SearchDoc */

/**
 * Split a markdown cell's source at its headings (outside fenced code): the text before the first heading, then one
 * piece per heading, in order.
 * @param {string} markdown
 * @returns {{ before: string, sections: string[] }}
 */
function splitAtHeadings(markdown) {
  /** @type {string[]} */
  const pieces = [''];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && /^#{1,6}\s/.test(line)) pieces.push('');
    pieces[pieces.length - 1] += `${line}\n`;
  }
  return { before: /** @type {string} */ (pieces[0]), sections: pieces.slice(1) };
}

/**
 * Markdown as searchable text: link targets, emphasis marks, table bars and heading marks dropped; math and code
 * kept as written (a learner may search `checkExercise` or `\sigma`).
 * @param {string} markdown
 */
function plainText(markdown) {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/[*_`|>]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Collects a chapter's sections while it is rendered: call `cell(markdown, headings)` for each markdown cell with the
 * headings (id, text) its rendering added, in order.
 * @param {string} page   the chapter's file, e.g. '02-losses.html'
 * @param {string} chapter   its title
 */
function sectionCollector(page, chapter) {
  /** @type {SearchDoc[]} */
  const docs = [];
  /** @type {SearchDoc | null} */
  let current = null;
  return {
    docs,
    /**
     * @param {string} markdown
     * @param {{ id: string, text: string }[]} headings
     */
    cell(markdown, headings) {
      const { before, sections } = splitAtHeadings(markdown);
      const add = (/** @type {string} */ text) => { if (current) current.text = `${current.text} ${plainText(text)}`.trim(); };
      if (sections.length !== headings.length) { // headings written as HTML, say: the whole cell goes to the section it starts in
        add(markdown);
        for (const h of headings) docs.push(current = { id: `${page}#${h.id}`, page, anchor: h.id, chapter, heading: h.text, text: '' });
        return;
      }
      add(before);
      headings.forEach((h, i) => {
        docs.push(current = { id: `${page}#${h.id}`, page, anchor: h.id, chapter, heading: h.text, text: '' });
        add(/** @type {string} */ (sections[i]));
      });
    },
  };
}

/**
 * Write MiniSearch, the page script and the documents into `assets`.
 * @param {string} assets
 * @param {SearchDoc[]} docs
 * @param {string} root   where node_modules is
 */
function writeSearchAssets(assets, docs, root, indexFile = 'search-index.js') {
  // The package's exports map lists its CommonJS and ES builds only: the browser (UMD) build sits beside them.
  const umd = path.join(path.dirname(require.resolve('minisearch', { paths: [root] })), '..', 'umd', 'index.js');
  fs.copyFileSync(umd, path.join(assets, 'minisearch.js'));
  fs.copyFileSync(path.join(__dirname, 'book', 'search.js'), path.join(assets, 'search.js'));
  const json = JSON.stringify(docs).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  fs.writeFileSync(path.join(assets, indexFile), `window.COURSE_SEARCH_DOCS = ${json};\n`);
}

/** The search box every page carries (book/search.js brings it to life). */
const SEARCH_BOX = '<div class="book-search"><input type="search" placeholder="Search · 搜索" aria-label="Search the book">' +
  '<ol class="search-results" hidden></ol></div>';
/**
 * The scripts that load the search, for a page whose shared assets are at `assets` (the Chinese pages in zh/ use
 * '../assets/') and whose language's index is `indexFile` (each language searches its own pages).
 */
const searchScripts = (assets = 'assets/', indexFile = 'search-index.js') =>
  `<script src="${assets}minisearch.js"></script>\n<script src="${assets}${indexFile}"></script>\n<script src="${assets}search.js"></script>\n`;
const SEARCH_SCRIPTS = searchScripts();

module.exports = { splitAtHeadings, plainText, sectionCollector, writeSearchAssets, SEARCH_BOX, SEARCH_SCRIPTS, searchScripts };
