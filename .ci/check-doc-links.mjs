#!/usr/bin/env node
// Checks every relative link of README.md and docs/*.md: the file must exist and a #fragment must name a heading
// of the target (GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats).
// Usage: node .ci/check-doc-links.mjs   (from anywhere; exit code 1 and one line per broken link when any is)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function anchors(markdown) {
  const seen = new Map();
  const out = new Set();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1].trim().toLowerCase()
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

// Inline links and images outside code: [text](target) and ![alt](target); indented code blocks are skipped.
function links(markdown) {
  const out = [];
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) { fenced = !fenced; return; }
    if (fenced || /^ {4}/.test(line)) return;
    const text = line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) out.push({ target: m[1], line: i + 1 });
  });
  return out;
}

let broken = 0;
let checked = 0;
for (const file of files) {
  const source = readFileSync(join(root, file), 'utf8');
  for (const { target, line } of links(source)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    checked++;
    const [path, fragment] = target.split('#');
    const resolved = path === '' ? join(root, file) : resolve(dirname(join(root, file)), decodeURI(path));
    let problem = null;
    if (!existsSync(resolved)) {
      problem = 'no such file';
    } else if (fragment !== undefined) {
      if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) problem = 'a fragment on a non-Markdown target';
      else if (!anchors(readFileSync(resolved, 'utf8')).has(fragment)) problem = `no heading #${fragment}`;
    }
    if (problem) {
      broken++;
      console.log(`${file}:${line}: ${target}: ${problem}`);
    }
  }
}
// The README's "Follow one answer" names files and members as `relay/RelayStream.onText` (Java, under
// src/main/java/org/chatrelay/) or `webapp/WEB-INF/web.xml`: each file must exist and hold the member's name.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const follow = readme.split(/^## Follow one answer$/m)[1]?.split(/^## /m)[0] ?? '';
// A later `RelayStream.end` (no folder) means the file named before with that class name.
let named = 0;
const classes = new Map();
for (const [, token] of follow.matchAll(/`([A-Za-z][\w-]*\/[\w./-]*\w|[A-Z]\w*\.[a-zA-Z_]\w*)`/g)) {
  named++;
  let file = join(root, token);
  let member = null;
  if (!existsSync(file)) {
    const m = /^(.*?)(?:\.([a-zA-Z_]\w*))?$/.exec(token);
    const path = m[1].includes('/') ? m[1] : classes.get(m[1]) ?? m[1];
    file = join(root, 'src/main/java/org/chatrelay', `${path}.java`);
    member = m[2] ?? null;
    if (m[1].includes('/')) classes.set(m[1].split('/').pop(), m[1]);
  }
  let problem = null;
  if (!existsSync(file)) problem = 'no such file';
  else if (member && !new RegExp(`\\b${member}\\b`).test(readFileSync(file, 'utf8'))) problem = `no ${member} in it`;
  if (problem) {
    broken++;
    console.log(`README.md, "Follow one answer": ${token}: ${problem}`);
  }
}
console.log(`${checked} relative links in ${files.length} files and ${named} names in "Follow one answer", ${broken} broken`);
process.exit(broken ? 1 : 0);
