import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// actions.js copies the Java enum's continuable codes; this test reads both sources so the copy cannot drift.
const javaSource = readFileSync(new URL('../../../src/main/java/org/chatrelay/persistence/EndReason.java', import.meta.url), 'utf8');
const actionsSource = readFileSync(new URL('../actions.js', import.meta.url), 'utf8');

/** The enum's constants with their flags, e.g. `LENGTH(        true,        false, true),`. */
function javaReasons() {
  const constants = [...javaSource.matchAll(/^\s*([A-Z_]+)\(\s*(true|false),\s*(true|false),\s*(true|false)\s*\)[,;]/gm)];
  return constants.map(([, name, continuable]) => ({ code: name.toLowerCase(), continuable: continuable === 'true' }));
}

function jsContinuable() {
  const list = actionsSource.match(/const CONTINUABLE = new Set\(\[([^\]]*)\]\)/);
  assert.ok(list, 'actions.js declares CONTINUABLE as new Set([...])');
  return [...list[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
}

describe('the continuable end reasons', () => {
  it('are read from EndReason.java, all eight of them with their flags', () => {
    assert.deepEqual(javaReasons().map((r) => r.code),
      ['completed', 'length', 'user_stop', 'client_gone', 'upstream_error', 'upstream_cut', 'timeout', 'interrupted']);
  });

  it('in actions.js are the ones EndReason.java marks continuable', () => {
    const java = javaReasons().filter((r) => r.continuable).map((r) => r.code).sort();
    assert.deepEqual([...jsContinuable()].sort(), java);
  });
});
