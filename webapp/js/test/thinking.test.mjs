import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { thoughtFor, thinkingFor } from '../thinking.js';

// The same words as Transcript.MessageView.thoughtFor() in the server-rendered page.
describe('thoughtFor', () => {
  it('gives whole seconds from one second on, rounded half up', () => {
    assert.equal(thoughtFor(12_400), 'Thought for 12 s');
    assert.equal(thoughtFor(2_500), 'Thought for 3 s');
    assert.equal(thoughtFor(1_000), 'Thought for 1 s');
  });
  it('gives tenths under a second, with the same rounding as the server', () => {
    assert.equal(thoughtFor(0), 'Thought for 0.0 s');
    assert.equal(thoughtFor(340), 'Thought for 0.3 s');
    assert.equal(thoughtFor(950), 'Thought for 1.0 s');
  });
});

describe('thinkingFor', () => {
  it('counts whole elapsed seconds while the model thinks', () => {
    assert.equal(thinkingFor(0), 'Thinking… 0 s');
    assert.equal(thinkingFor(2_999), 'Thinking… 2 s');
  });
});
