// The traveller paths the e2e project plays in Chromium (test/e2e/traveller-paths.ts),
// checked here without a browser: each has its own name, and together they take every
// traveller transition the generator finds.
import { describe, expect, it } from 'vitest';
import { serialize, travellerPaths } from './e2e/traveller-paths.js';

const { paths, states, transitions } = travellerPaths();

describe('the e2e traveller paths', () => {
  it('each have their own name', () => {
    const names = paths.map((path) => path.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('reach every traveller state the generator finds', () => {
    const reached = new Set(paths.flatMap((path) => path.steps.map((step) => serialize(step.state))));
    expect(reached.size).toBe(states);
    expect(transitions).toBeGreaterThan(paths.length);
  });
});
