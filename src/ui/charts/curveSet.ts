/**
 * What the charts draw, as plain data derived from the runs store: every visible run outside a group
 * as its own curve, and every group with visible members as one group curve (mean, band, thin members).
 * Kept separate from chart.js so it can be tested in Node and compared cheaply (a string key) to decide
 * when a chart must be rebuilt rather than appended to.
 */
import type { AlgorithmId } from '../../rl/algorithm';
import type { RunId } from '../../worker/protocol';
import type { GroupRecord, RunRecord } from '../../store/runTypes';

export interface RunCurve {
  kind: 'run';
  runId: RunId;
  /** Its algorithm: a chart draws only the metrics this algorithm reports. */
  algorithm: AlgorithmId;
  name: string;
  color: string;
}

export interface GroupCurve {
  kind: 'group';
  groupId: string;
  /** The members' algorithm (a group is one configuration on several seeds). */
  algorithm: AlgorithmId;
  name: string;
  color: string;
  members: RunCurve[];
}

export type Curve = RunCurve | GroupCurve;

export interface CurveSet {
  curves: Curve[];
  algorithms: AlgorithmId[];
}

export interface CurveSource {
  runs: Readonly<Record<RunId, RunRecord>>;
  runOrder: readonly RunId[];
  groups: Readonly<Record<string, GroupRecord>>;
}

export function curveSetOf(source: CurveSource): CurveSet {
  const curves: Curve[] = [];
  const groupCurves = new Map<string, GroupCurve>();
  const algorithms = new Set<AlgorithmId>();
  for (const runId of source.runOrder) {
    const run = source.runs[runId];
    if (!run || !run.visible) continue;
    algorithms.add(run.algorithm);
    const curve: RunCurve = { kind: 'run', runId, algorithm: run.algorithm, name: run.name, color: run.color };
    const group = run.groupId === null ? undefined : source.groups[run.groupId];
    if (!group) {
      curves.push(curve);
      continue;
    }
    let groupCurve = groupCurves.get(group.id);
    if (!groupCurve) {
      groupCurve = { kind: 'group', groupId: group.id, algorithm: run.algorithm, name: group.name, color: group.color, members: [] };
      groupCurves.set(group.id, groupCurve);
      curves.push(groupCurve);
    }
    groupCurve.members.push(curve);
  }
  return { curves, algorithms: [...algorithms].sort() };
}

/** A string that changes exactly when the drawn set changes (names and colours included). */
export function curveSetKey(set: CurveSet): string {
  return JSON.stringify(set);
}

/** Names of what is drawn, for the chart's accessible description: "A; B (group of 3)". */
export function describeCurves(set: CurveSet): string {
  return set.curves
    .map((curve) => (curve.kind === 'run' ? curve.name : `${curve.name} (group of ${curve.members.length})`))
    .join('; ');
}
