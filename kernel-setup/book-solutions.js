// @ts-check
// The exercises' tested solutions as the book shows them (and as the browser test types them): read from
// notebooks/solutions/NN-name.ts WITHOUT running them. Each file exports `solutions`, an object literal keyed by
// exercise id ('01.3') whose entries are `{ answer, wrong: [...], explanation }` (notebooks/solutions/types.ts);
// `npm run exercises` proves that every `answer` passes its check.
//
//   const { solutions, problems } = readSolutions('notebooks/solutions');
//   solutions.get('01.3').code        // the file's imports and helpers that the answer uses, then the answer
//   solutions.get('01.1').answer      // '0.7' — the answer's source text
//   solutions.get('01.1').wrong       // ['0.3', '0.5', '70']
//   solutions.get('01.1').explanation // the explanation string
//   solutionCode(solutions.get('01.3'), 'myStratifiedHoldout')   // runnable code ending in checkExercise('01.3', …)
//
// Parsed with the TypeScript compiler's parser (a devDependency, like the book's marked and katex).
'use strict';
const fs = require('fs');
const path = require('path');

/**
 * One exercise's solution as source text.
 * @typedef {{ id: string, file: string, answer: string, wrong: string[], explanation: string, helpers: string[] }} SolutionText
 *   answer: the `answer` expression as written; helpers: the file's imports (only the names used) and top-level
 *   declarations that the answer needs, directly or through another helper, in file order
 * @typedef {{ local: string, text: string, kind: 'default' | 'namespace' | 'named' }} ImportedName
 */

/** @returns {typeof import('typescript')} */
function loadTypeScript() {
  const root = path.resolve(__dirname, '..');
  return require(require.resolve('typescript', { paths: [root] }));
}

/**
 * Remove the indentation of `text`'s continuation lines by the indentation of the line it starts on, so a
 * multi-line expression reads as written at the margin.
 * @param {string} text
 * @param {number} indent
 */
function dedent(text, indent) {
  const lines = text.split('\n');
  return [lines[0], ...lines.slice(1).map((l) => {
    const lead = /** @type {RegExpMatchArray} */ (l.match(/^[ \t]*/))[0].length;
    return l.slice(Math.min(lead, indent));
  })].join('\n');
}

/**
 * Read one solutions file. Returns the solutions (in file order) and problems (a solution the book cannot show).
 * @param {string} file
 * @returns {{ solutions: SolutionText[], problems: string[] }}
 */
function readSolutionFile(file) {
  const ts = loadTypeScript();
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const name = path.basename(file);
  /** @type {string[]} */
  const problems = [];
  /** @type {SolutionText[]} */
  const solutions = [];
  const indentOf = (/** @type {import('typescript').Node} */ node) => {
    const { character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const lineStart = node.getStart(sf) - character;
    return /** @type {RegExpMatchArray} */ (text.slice(lineStart).match(/^[ \t]*/))[0].length;
  };
  const source = (/** @type {import('typescript').Node} */ node) => dedent(node.getText(sf), indentOf(node));

  // Top-level declarations a solution may use: name → { text, names it uses }.
  /** @type {Map<string, { order: number, text: string, uses: Set<string> }>} */
  const decls = new Map();
  /** @type {{ module: string, names: ImportedName[], order: number }[]} */
  const imports = [];
  /** @type {import('typescript').ObjectLiteralExpression | null} */
  let table = null;

  /**
   * Identifiers a node refers to (over-approximated: every identifier that is not a property name after a dot or a key).
   * @param {import('typescript').Node} node
   */
  const usedNames = (node) => {
    /** @type {Set<string>} */
    const names = new Set();
    /** @param {import('typescript').Node} n */
    const visit = (n) => {
      if (ts.isIdentifier(n)) {
        const p = n.parent;
        const isMember = p && ts.isPropertyAccessExpression(p) && p.name === n;
        const isKey = p && (ts.isPropertyAssignment(p) || ts.isPropertySignature(p)) && p.name === n;
        if (!isMember && !isKey) names.add(n.text);
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return names;
  };

  sf.statements.forEach((st, order) => {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      if (!clause || clause.isTypeOnly) return;
      /** @type {ImportedName[]} */
      const names = [];
      if (clause.name) names.push({ local: clause.name.text, text: clause.name.text, kind: 'default' });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) names.push({ local: nb.name.text, text: `* as ${nb.name.text}`, kind: 'namespace' });
      else if (nb) for (const el of nb.elements) if (!el.isTypeOnly) names.push({ local: el.name.text, text: el.getText(sf), kind: 'named' });
      imports.push({ module: st.moduleSpecifier.text, names, order });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === 'solutions' && d.initializer && ts.isObjectLiteralExpression(d.initializer)) {
          table = d.initializer;
        } else if (ts.isIdentifier(d.name)) {
          decls.set(d.name.text, { order, text: source(st).replace(/^export\s+/, ''), uses: usedNames(d) });
        }
      }
    } else if (ts.isFunctionDeclaration(st) && st.name) {
      decls.set(st.name.text, { order, text: source(st).replace(/^export\s+/, ''), uses: usedNames(st) });
    }
  });
  if (!table) return { solutions, problems: [`${name}: no \`export const solutions = { … }\` object literal`] };

  /**
   * A string written as literals joined by + (what an explanation is); null when it is computed.
   * @param {import('typescript').Expression} e
   * @returns {string | null}
   */
  const literal = (e) => {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isParenthesizedExpression(e)) return literal(e.expression);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const a = literal(e.left);
      const b = literal(e.right);
      return a === null || b === null ? null : a + b;
    }
    return null;
  };

  for (const prop of /** @type {import('typescript').ObjectLiteralExpression} */ (table).properties) {
    if (!ts.isPropertyAssignment(prop) || !(ts.isStringLiteral(prop.name) || ts.isNumericLiteral(prop.name) || ts.isIdentifier(prop.name))) {
      problems.push(`${name}: an entry of \`solutions\` that is not \`'NN.k': { … }\` (${prop.getText(sf).slice(0, 60)})`);
      continue;
    }
    const id = prop.name.text;
    if (!ts.isObjectLiteralExpression(prop.initializer)) {
      problems.push(`${name}: solution '${id}' is not an object literal { answer, wrong, explanation }`);
      continue;
    }
    /** @type {Record<string, import('typescript').Expression>} */
    const fields = {};
    for (const f of prop.initializer.properties) {
      if (ts.isPropertyAssignment(f) && (ts.isIdentifier(f.name) || ts.isStringLiteral(f.name))) fields[f.name.text] = f.initializer;
    }
    const answer = fields.answer;
    const wrong = fields.wrong;
    const explanationNode = fields.explanation;
    if (!answer) { problems.push(`${name}: solution '${id}' has no \`answer\``); continue; }
    const explanation = explanationNode ? literal(explanationNode) : null;
    if (explanation === null) {
      problems.push(`${name}: the explanation of '${id}' must be a string literal (or literals joined by +) for the book to show it`);
      continue;
    }
    // The helpers the answer needs, transitively.
    /** @type {Set<string>} */
    const needed = new Set();
    const queue = [...usedNames(answer)];
    while (queue.length) {
      const n = /** @type {string} */ (queue.pop());
      if (needed.has(n)) continue;
      needed.add(n);
      const d = decls.get(n);
      if (d) queue.push(...d.uses);
    }
    /** @type {{ order: number, text: string }[]} */
    const parts = [];
    for (const imp of imports) {
      const names = imp.names.filter((n) => needed.has(n.local));
      if (!names.length) continue;
      const def = names.find((n) => n.kind === 'default');
      const star = names.find((n) => n.kind === 'namespace');
      const named = names.filter((n) => n.kind === 'named');
      const head = [def && def.text, star && star.text, named.length ? `{ ${named.map((n) => n.text).join(', ')} }` : ''].filter(Boolean);
      parts.push({ order: imp.order, text: `import ${head.join(', ')} from '${imp.module}';` });
    }
    for (const [n, d] of decls) if (needed.has(n) && !parts.some((p) => p.text === d.text)) parts.push({ order: d.order, text: d.text });
    parts.sort((a, b) => a.order - b.order);
    solutions.push({
      id, file: name, answer: source(answer), explanation,
      wrong: wrong && ts.isArrayLiteralExpression(wrong) ? wrong.elements.map((w) => source(w)) : [],
      helpers: parts.map((p) => p.text),
    });
  }
  return { solutions, problems };
}

/**
 * Every solutions file (NN-name.ts) of a folder, by exercise id. A solution filed under another notebook's number,
 * or the same id twice, is a problem.
 * @param {string} dir
 * @returns {{ solutions: Map<string, SolutionText>, problems: string[] }}
 */
function readSolutions(dir) {
  /** @type {Map<string, SolutionText>} */
  const solutions = new Map();
  /** @type {string[]} */
  const problems = [];
  if (!fs.existsSync(dir)) return { solutions, problems };
  for (const file of fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort()) {
    const r = readSolutionFile(path.join(dir, file));
    problems.push(...r.problems);
    for (const s of r.solutions) {
      if (!s.id.startsWith(file.slice(0, 2))) problems.push(`${file}: solution '${s.id}' belongs to notebook ${s.id.slice(0, 2)}`);
      else if (solutions.has(s.id)) problems.push(`${file}: solution '${s.id}' is given twice`);
      else solutions.set(s.id, s);
    }
  }
  return { solutions, problems };
}

/**
 * The solution as code a learner can put in place of the stub: the helpers, then the answer bound to the stub's
 * name (`name`, e.g. 'myStratifiedHoldout'; 'answer' when the stub passes something else) and the check.
 * @param {SolutionText} s
 * @param {string} [name]
 */
function solutionCode(s, name = 'answer') {
  const helpers = s.helpers.length ? `${s.helpers.join('\n\n')}\n\n` : '';
  return `${helpers}const ${name} = ${s.answer};\ncheckExercise('${s.id}', ${name});`;
}

/**
 * The exercise ids a code cell checks (calls `checkExercise('NN.k', x)`), with the name of the answer it passes when
 * that is a plain identifier. Same pattern as src/exercises/verify.ts's exerciseCallsIn.
 * @param {string} code
 * @returns {{ id: string, name: string | null }[]}
 */
function exerciseCalls(code) {
  return [...code.matchAll(/checkExercise\(\s*['"]([0-9]{2}\.[0-9]+)['"]\s*(?:,\s*([A-Za-z_$][\w$]*)\s*[,)])?/g)]
    .map((m) => ({ id: /** @type {string} */ (m[1]), name: m[2] || null }));
}

module.exports = { readSolutionFile, readSolutions, solutionCode, exerciseCalls, dedent };
