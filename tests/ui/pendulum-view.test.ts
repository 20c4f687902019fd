import { describe, expect, it } from 'vitest';
import { interpolatePendulum, type PendulumFrame } from '../../src/store/pendulumFrame';
import { drawPendulum } from '../../src/ui/drawPendulum';

/** A 2D context that records every method call (enough for a pure drawing function). */
function recordingContext(): { ctx: CanvasRenderingContext2D; calls: Array<{ name: string; args: unknown[] }> } {
  const calls: Array<{ name: string; args: unknown[] }> = [];
  const properties: Record<string, unknown> = {};
  const ctx = new Proxy(properties, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      if (name in target) return target[name];
      return (...args: unknown[]) => {
        calls.push({ name, args });
      };
    },
    set(target, name, value) {
      if (typeof name === 'string') target[name] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const VIEW = { width: 400, height: 340 };
const CENTER_X = 200;
const CENTER_Y = 340 / 2 + 6;
const LENGTH = 340 * 0.36;

function fullCircles(calls: Array<{ name: string; args: unknown[] }>): Array<[number, number, number]> {
  return calls
    .filter((call) => call.name === 'arc' && call.args[3] === 0 && Math.abs(Number(call.args[4]) - 2 * Math.PI) < 1e-9)
    .map((call) => [Number(call.args[0]), Number(call.args[1]), Number(call.args[2])]);
}

describe('drawPendulum', () => {
  it('draws the bob straight up at θ = 0 and to the left for small positive θ (counter-clockwise)', () => {
    const upright = recordingContext();
    drawPendulum(upright.ctx, { theta: 0, thetaDot: 0, torque: 0 }, VIEW);
    const bobUp = fullCircles(upright.calls).find(([x, y]) => Math.abs(x - CENTER_X) < 1e-6 && Math.abs(y - (CENTER_Y - LENGTH)) < 1e-6);
    expect(bobUp).toBeDefined();

    const tilted = recordingContext();
    drawPendulum(tilted.ctx, { theta: Math.PI / 2, thetaDot: 0, torque: 0 }, VIEW);
    const bobLeft = fullCircles(tilted.calls).find(([x, y]) => Math.abs(x - (CENTER_X - LENGTH)) < 1e-6 && Math.abs(y - CENTER_Y) < 1e-6);
    expect(bobLeft).toBeDefined();
  });

  it('draws the torque arc with a sweep that grows with |torque| and a direction from its sign', () => {
    const sweepOf = (torque: number): { sweep: number; counterClockwise: boolean } | null => {
      const { ctx, calls } = recordingContext();
      drawPendulum(ctx, { theta: 0, thetaDot: 0, torque }, VIEW);
      const arc = calls.find((call) => call.name === 'arc' && call.args.length === 6);
      if (!arc) return null;
      return { sweep: Math.abs(Number(arc.args[4]) - Number(arc.args[3])), counterClockwise: arc.args[5] === true };
    };
    expect(sweepOf(0)).toBeNull();
    const small = sweepOf(0.5);
    const full = sweepOf(2);
    const negative = sweepOf(-2);
    expect(small?.counterClockwise).toBe(true);
    expect(negative?.counterClockwise).toBe(false);
    expect(full?.sweep).toBeCloseTo(Math.PI * 1.5, 9);
    expect(small?.sweep).toBeCloseTo((Math.PI * 1.5) / 4, 9);
    expect(sweepOf(5)?.sweep).toBeCloseTo(Math.PI * 1.5, 9); // clipped like the env
  });

  it('survives non-finite values (draws something, throws nothing)', () => {
    const { ctx, calls } = recordingContext();
    expect(() => drawPendulum(ctx, { theta: Number.NaN, thetaDot: 0, torque: Number.POSITIVE_INFINITY }, VIEW)).not.toThrow();
    expect(calls.length).toBeGreaterThan(5);
  });
});

describe('interpolatePendulum', () => {
  const frame = (theta: number, step: number, receivedAt: number, source: 'train' | 'test' = 'train'): PendulumFrame => ({
    theta, thetaDot: 0, torque: theta, stepInEpisode: step, source, receivedAt,
  });

  it('moves from the previous to the latest frame over the interval between them', () => {
    const previous = frame(0, 10, 1000);
    const latest = frame(1, 11, 1050);
    expect(interpolatePendulum(previous, latest, 1050).state.theta).toBeCloseTo(0, 9);
    expect(interpolatePendulum(previous, latest, 1075).state.theta).toBeCloseTo(0.5, 9);
    const end = interpolatePendulum(previous, latest, 1200);
    expect(end.state.theta).toBe(1);
    expect(end.settled).toBe(true);
  });

  it('jumps across an episode reset, a source change or a long gap', () => {
    expect(interpolatePendulum(frame(3, 199, 1000), frame(0, 0, 1050), 1060).state.theta).toBe(0);
    expect(interpolatePendulum(frame(3, 10, 1000, 'train'), frame(0, 11, 1050, 'test'), 1060).state.theta).toBe(0);
    expect(interpolatePendulum(frame(3, 10, 0), frame(0, 11, 5000), 5010).state.theta).toBe(0);
    expect(interpolatePendulum(null, frame(2, 1, 0), 10).state.theta).toBe(2);
  });
});
