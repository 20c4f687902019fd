/** The physics panel's input: parsing and validation (the worker's ranges), descriptions, sweeps. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PHYSICS, PHYSICS_KEYS, PHYSICS_RANGES, physicsProblem } from '../../src/rl/env/physics';
import { describePhysics, draftOf, parsePhysicsDraft, physicsLabel, SWEEPS } from '../../src/page/insightPhysics';

describe('physics input', () => {
  it('accepts in-range values (g = 20), with comma decimals and spaces', () => {
    expect(parsePhysicsDraft({ ...draftOf(DEFAULT_PHYSICS), gravity: '20' })).toEqual({ physics: { ...DEFAULT_PHYSICS, gravity: 20 } });
    expect(parsePhysicsDraft({ ...draftOf(DEFAULT_PHYSICS), length: ' 0,5 ' })).toEqual({ physics: { ...DEFAULT_PHYSICS, length: 0.5 } });
    expect(parsePhysicsDraft(draftOf(DEFAULT_PHYSICS))).toEqual({ physics: DEFAULT_PHYSICS });
  });

  it('refuses out-of-range values (g = 100) naming the setting and its range', () => {
    const result = parsePhysicsDraft({ ...draftOf(DEFAULT_PHYSICS), gravity: '100' });
    expect(result).toEqual({ problem: 'Gravity g must be from 0.5 to 30 m/s²; 100 is out of range. Nothing was changed.' });
    expect(parsePhysicsDraft({ ...draftOf(DEFAULT_PHYSICS), mass: '0.05' })).toEqual({ problem: 'Mass m must be from 0.1 to 10 kg; 0.05 is out of range. Nothing was changed.' });
    expect(parsePhysicsDraft({ ...draftOf(DEFAULT_PHYSICS), maxSpeed: 'fast' })).toEqual({ problem: 'Max speed must be a number from 1 to 30 rad/s; "fast" is not a number.' });
    expect(parsePhysicsDraft({ ...draftOf(DEFAULT_PHYSICS), maxTorque: '' })).toHaveProperty('problem');
  });

  it('the page accepts exactly what the worker accepts, at and just beyond each bound', () => {
    for (const key of PHYSICS_KEYS) {
      const { min, max } = PHYSICS_RANGES[key];
      for (const value of [min, max, min - 0.01, max + 0.01]) {
        const pageOk = 'physics' in parsePhysicsDraft({ ...draftOf(DEFAULT_PHYSICS), [key]: String(value) });
        const workerOk = physicsProblem({ ...DEFAULT_PHYSICS, [key]: value }) === null;
        expect(pageOk, `${key} = ${value}`).toBe(workerOk);
      }
    }
  });

  it('labels and descriptions', () => {
    expect(physicsLabel('gravity')).toBe('Gravity g (m/s²)');
    expect(describePhysics(DEFAULT_PHYSICS)).toContain("Gymnasium's defaults");
    expect(describePhysics({ ...DEFAULT_PHYSICS, gravity: 20, maxSpeed: 12 })).toBe('Gravity g 20 m/s², Max speed 12 rad/s');
  });

  it('every sweep has 8 increasing values, all in range, Gymnasium default among them (g from 2 to 20)', () => {
    expect(SWEEPS.gravity[0]).toBe(2);
    expect(SWEEPS.gravity.at(-1)).toBe(20);
    for (const key of PHYSICS_KEYS) {
      const values = SWEEPS[key];
      expect(values).toHaveLength(8);
      expect(values).toContain(DEFAULT_PHYSICS[key]);
      for (let index = 1; index < values.length; index += 1) expect(values[index]).toBeGreaterThan(values[index - 1] as number);
      for (const value of values) expect(physicsProblem({ ...DEFAULT_PHYSICS, [key]: value })).toBeNull();
    }
  });
});
