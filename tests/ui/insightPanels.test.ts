/**
 * Issue 9's UI pieces in Node: pointer gestures on the pendulum (pure), the phase-map drawing (a
 * recording 2D context), and the panels rendered to static HTML (labels tied to controls, button names,
 * legend values). The browser test (tests/e2e/insight.test.ts) drives them for real.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PlaygroundCommands } from '../../src/page/commands';
import { plotRectOf } from '../../src/page/insightGrid';
import { CommandsContext } from '../../src/ui/commandsContext';
import { pendulumGeometry } from '../../src/ui/drawPendulum';
import { ColorLegend } from '../../src/ui/insight/ColorLegend';
import { drawPhaseMap } from '../../src/ui/insight/drawPhaseMap';
import { InsightMapsView, InsightPanel } from '../../src/ui/insight/InsightPanel';
import { mapKeysOfAlgorithm } from '../../src/ui/insight/mapChoices';
import { PendulumTools } from '../../src/ui/insight/PendulumTools';
import { PhysicsPanel } from '../../src/ui/insight/PhysicsPanel';
import { angleAtPointer, bobPosition, flickSpeed, gesturePush, hitsBob } from '../../src/ui/insight/pushGesture';

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

const GEOMETRY = pendulumGeometry(400, 340); // pivot (200, 176), rod 122.4

describe('pushing the pendulum with the pointer', () => {
  it('bob position and the angle under the pointer (θ = 0 up, counter-clockwise positive)', () => {
    expect(GEOMETRY).toEqual({ cx: 200, cy: 176, length: 340 * 0.36, bobRadius: 340 * 0.36 * 0.1 });
    const up = bobPosition(GEOMETRY, 0);
    expect(up.x).toBeCloseTo(200, 9);
    expect(up.y).toBeCloseTo(176 - 122.4, 9);
    expect(angleAtPointer(GEOMETRY, 200, 0)).toBe(0);
    expect(angleAtPointer(GEOMETRY, 100, 176)).toBeCloseTo(Math.PI / 2, 12); // left: +π/2
    expect(angleAtPointer(GEOMETRY, 300, 176)).toBeCloseTo(-Math.PI / 2, 12);
    expect(Math.abs(angleAtPointer(GEOMETRY, 200, 300))).toBeCloseTo(Math.PI, 12);
    expect(hitsBob(GEOMETRY, 0, 205, 60)).toBe(true);
    expect(hitsBob(GEOMETRY, 0, 200, 176)).toBe(false);
  });

  it('flick speed over the last 120 ms, across ±π without a jump', () => {
    expect(flickSpeed([])).toBe(0);
    expect(flickSpeed([{ time: 0, angle: 0 }, { time: 100, angle: 0.5 }])).toBeCloseTo(5, 12);
    expect(flickSpeed([{ time: 0, angle: 2 }, { time: 300, angle: 0 }, { time: 400, angle: 0.2 }])).toBeCloseTo(2, 12); // older samples ignored
    expect(flickSpeed([{ time: 0, angle: Math.PI - 0.1 }, { time: 50, angle: -Math.PI + 0.1 }])).toBeCloseTo(4, 9); // 0.2 rad in 50 ms
  });

  it('a drag from the bob moves it (θ at release) and throws it with the flick, or leaves it at rest', () => {
    const start = bobPosition(GEOMETRY, 0);
    const left = bobPosition(GEOMETRY, Math.PI / 2);
    const slow = { startX: start.x, startY: start.y, onBob: true, samples: [{ time: 0, angle: 0 }, { time: 1000, angle: Math.PI / 2 }, { time: 1100, angle: Math.PI / 2 }] };
    const released = gesturePush(GEOMETRY, slow, left.x, left.y, { theta: 3, thetaDot: 1.5 }, 8);
    expect(released?.theta).toBeCloseTo(Math.PI / 2, 9);
    expect(released?.deltaThetaDot).toBeCloseTo(-1.5, 12); // at rest after the release
    const fast = { ...slow, samples: [{ time: 0, angle: Math.PI / 2 - 0.6 }, { time: 50, angle: Math.PI / 2 }] };
    expect(gesturePush(GEOMETRY, fast, left.x, left.y, { theta: 3, thetaDot: 0 }, 8)?.deltaThetaDot).toBeCloseTo(8, 9); // 12 rad/s, capped at max speed
  });

  it('a click beside the bob pushes to the side clicked; a swipe the way it went', () => {
    const click = (x: number) => gesturePush(GEOMETRY, { startX: x, startY: 300, onBob: false, samples: [] }, x, 300, { theta: 0, thetaDot: 0 }, 8);
    expect(click(50)).toEqual({ deltaThetaDot: 3 });
    expect(click(350)).toEqual({ deltaThetaDot: -3 });
    const swipe = gesturePush(GEOMETRY, { startX: 50, startY: 300, onBob: false, samples: [] }, 150, 300, { theta: Math.PI, thetaDot: 0 }, 8);
    expect(swipe).toEqual({ deltaThetaDot: 3 }); // right while hanging: counter-clockwise
  });
});

describe('drawing a phase map', () => {
  const geometry = { gridSize: 64, thetaRange: [-Math.PI, Math.PI] as [number, number], thetaDotRange: [-8, 8] as [number, number] };

  it('scales the grid image into the plot without smoothing, marks the target at (0, 0), draws the trajectory', () => {
    const { ctx, calls } = recordingContext();
    const image = { width: 64, height: 64 } as unknown as CanvasImageSource;
    const drawn = drawPhaseMap(ctx, { width: 452, height: 362, geometry, image, trajectory: [{ theta: 3, thetaDot: 1 }, { theta: 3.2, thetaDot: 1.5 }, { theta: 3.3, thetaDot: 2 }] });
    const plot = plotRectOf(452, 362);
    expect(calls.find((call) => call.name === 'drawImage')?.args).toEqual([image, plot.left, plot.top, plot.width, plot.height]);
    expect((ctx as unknown as { imageSmoothingEnabled: boolean }).imageSmoothingEnabled).toBe(false);
    expect(drawn).toBe(3);
    // θ = 3.2 wraps to 3.2 − 2π: the line is split there (two moveTo per stroke pass).
    expect(calls.filter((call) => call.name === 'moveTo' && call.args[1] !== plot.top + plot.height && call.args[0] !== plot.left - 4).length).toBeGreaterThanOrEqual(4);
    const ring = calls.find((call) => call.name === 'arc' && call.args[2] === 7);
    expect(ring?.args.slice(0, 2)).toEqual([plot.left + plot.width / 2, plot.top + plot.height / 2]);
    const labels = calls.filter((call) => call.name === 'fillText').map((call) => call.args[0]);
    expect(labels).toEqual(expect.arrayContaining(['−π', '0', 'π', 'θ (rad)', 'θ̇ (rad/s)', '8', '−8']));
  });

  it('says it is waiting when no map has come', () => {
    const { ctx, calls } = recordingContext();
    expect(drawPhaseMap(ctx, { width: 300, height: 260, geometry, image: null, trajectory: [], placeholder: 'Waiting for the first map…' })).toBe(0);
    expect(calls.some((call) => call.name === 'fillText' && call.args[0] === 'Waiting for the first map…')).toBe(true);
    expect(calls.some((call) => call.name === 'drawImage')).toBe(false);
  });
});

const commands = new Proxy({}, { get: () => () => null }) as PlaygroundCommands;
const render = (component: () => ReturnType<typeof createElement> | null): string =>
  renderToStaticMarkup(createElement(CommandsContext.Provider, { value: commands }, createElement(component)));

function labelFor(html: string, id: string): string | null {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return html.match(new RegExp(`<label[^>]*for="${escaped}"[^>]*>([\\s\\S]*?)</label>`))?.[1]?.replace(/<[^>]+>/g, '') ?? null;
}

describe('panels (static render)', () => {
  it('the legend shows its values and names the map', () => {
    const html = renderToStaticMarkup(createElement(ColorLegend, { scale: { name: 'diverging', min: -2, max: 2 }, label: 'Mean torque (N·m)' }));
    expect(html).toContain('aria-label="Colour legend: Mean torque (N·m), from −2 to 2"');
    for (const tick of ['−2', '−1', '0', '1', '2']) expect(html).toContain(`>${tick}</li>`);
  });

  it('maps panel: a labelled toggle; open, the Map choices of the run’s algorithm, Compare with run, the map canvas', () => {
    expect(render(InsightPanel)).toMatch(/<label for="([^"]+)" class="insight-toggle"><input id="\1" type="checkbox"\/>Show phase-space maps<\/label>/);
    const view = (algorithm: 'td3' | 'sac') =>
      render(() =>
        createElement(InsightMapsView, {
          available: mapKeysOfAlgorithm(algorithm), shownKey: 'policyMean', others: [['ui-sac', 'SAC run']],
          selected: { id: 'ui-td3', name: 'TD3 run' }, compare: { id: 'ui-sac', name: 'SAC run' }, compareIsSelected: false,
          onMapKey: () => undefined, onCompare: () => undefined,
        }),
      );
    const html = view('td3');
    expect(html).toContain('role="radiogroup" aria-label="Map"');
    expect(html).toMatch(/<input type="radio" name="insight-map" checked="" value="policyMean"\/>Mean torque<\/label>/);
    expect(html).toContain('State value');
    expect(html).not.toContain('Policy spread'); // TD3 has no spread
    const select = html.match(/<select id="([^"]+)"/)?.[1] ?? '';
    expect(labelFor(html, select)).toBe('Compare with run');
    expect(html).toContain('<option value="ui-sac" selected="">SAC run</option>');
    // Two maps side by side, each an image with its run's name.
    expect(html).toContain('class="insight-maps two"');
    expect(html).toContain('aria-label="Phase-space map: Mean torque of TD3 run"');
    expect(html).toContain('aria-label="Phase-space map: Mean torque of SAC run"');
    expect(html).toContain('aria-label="Value under the pointer (TD3 run)"');
    expect(view('sac')).toContain('Policy spread');
    expect(mapKeysOfAlgorithm('ppo')).toEqual(['policyMean', 'value', 'spread']);
  });

  it('pendulum tools: Push left / Push right named buttons, the push status, You drive', () => {
    const html = render(PendulumTools);
    expect(html).toMatch(/<button type="button"[^>]*>Push left<\/button>/);
    expect(html).toMatch(/<button type="button"[^>]*>Push right<\/button>/);
    expect(html).toContain('data-testid="push-status"');
    expect(html).toMatch(/<button type="button" aria-pressed="false"[^>]*>You drive<\/button>/);
    expect(html).toContain('id="pendulum-push-hint"');
  });

  it('physics panel: every setting labelled (slider + value box), defaults marked, the training checkbox, Robustness', () => {
    const html = render(PhysicsPanel);
    for (const [label, fallback] of [['Gravity g (m/s²)', '10'], ['Mass m (kg)', '1'], ['Length l (m)', '1'], ['Max torque (N·m)', '2'], ['Max speed (rad/s)', '8']] as const) {
      const id = html.match(new RegExp(`<label for="([^"]+)">${label.replace(/[()]/g, '\\$&')}</label>`))?.[1];
      expect(id, label).toBeDefined();
      expect(html).toMatch(new RegExp(`<input id="${id}" type="range"`));
      expect(html).toContain(`aria-label="${label} value"`);
      expect(html).toContain(`Gymnasium default ${fallback} `);
    }
    expect(html).toContain('Also for training from the next episode');
    expect(html).toMatch(/>Apply physics<\/button>/);
    expect(html).toMatch(/>Robustness<\/button>/);
    const sweep = html.match(/<select id="([^"]+)"/)?.[1] ?? '';
    expect(labelFor(html, sweep)).toBe('Sweep parameter');
  });
});
