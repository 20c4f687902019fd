/**
 * The compare table under the charts: one row per visible run or group, with its algorithm (rows and figures from
 * src/page/compare.ts; nothing is recomputed here), sortable by its column headers (aria-sort), and the
 * exports: every visible run's per-episode metrics as one CSV (a `run` column) or as JSON.
 */
import { useMemo, useState } from 'react';
import { compareRows, sortRows, type CompareColumn, type CompareRow } from '../../page/compare';
import { runsInOrder, type PlaygroundState } from '../../store/index';
import { useCommands } from '../commandsContext';
import { formatDecimal, formatDuration, formatInteger } from '../format';
import { useThrottledSelector } from '../useThrottledSelector';

interface ColumnSpec {
  column: CompareColumn | null;
  label: string;
  title?: string;
}

const COLUMNS: readonly ColumnSpec[] = [
  { column: 'name', label: 'Run' },
  { column: 'algorithm', label: 'Algorithm' },
  { column: null, label: 'Settings that differ', title: 'Between the rows shown; across algorithms, only the settings they all have' },
  { column: null, label: 'Seeds' },
  { column: 'swingUpStep', label: 'Steps to swing-up', title: 'First env step at which the last-10 mean exceeded −200 (group: median, range, and how many seeds got there)' },
  { column: 'best100', label: 'Best 100-ep. mean', title: 'Group: mean over its seeds' },
  { column: 'final100', label: 'Final 100-ep. mean', title: 'Group: mean over its seeds' },
  { column: 'updatesPerSecond', label: 'Updates/s' },
  { column: 'wallSeconds', label: 'Wall time', title: 'Time spent training (group: its longest seed)' },
];

const TABLE_REFRESH_MS = 500;

/** The store fields the table is made from, as one object that changes only when one of them does. */
let lastSource: Pick<PlaygroundState, 'runs' | 'runOrder' | 'groups'> | null = null;
function selectTableSource(state: PlaygroundState): Pick<PlaygroundState, 'runs' | 'runOrder' | 'groups'> {
  if (!lastSource || lastSource.runs !== state.runs || lastSource.runOrder !== state.runOrder || lastSource.groups !== state.groups) {
    lastSource = { runs: state.runs, runOrder: state.runOrder, groups: state.groups };
  }
  return lastSource;
}

type Sort = { column: CompareColumn; direction: 'ascending' | 'descending' } | null;

function swingUpCell(row: CompareRow): string {
  if (row.kind === 'run' || !row.swingUpGroup) return row.swingUpStep === null ? '—' : formatInteger(row.swingUpStep);
  const group = row.swingUpGroup;
  const seeds = `${group.reached} of ${group.total} seeds`;
  if (group.median === null) return `— (${seeds})`;
  const range = group.min !== null && group.max !== null && group.min !== group.max ? ` (${formatInteger(group.min)}–${formatInteger(group.max)})` : '';
  return `${formatInteger(group.median)}${range} · ${seeds}`;
}

export function CompareTable() {
  const commands = useCommands();
  // The figures change with every metrics batch of every run; twice a second is enough for a table.
  const { runs, runOrder, groups } = useThrottledSelector(selectTableSource, TABLE_REFRESH_MS);
  const [sort, setSort] = useState<Sort>(null);
  const rows = useMemo(() => {
    const all = compareRows(runsInOrder({ runs, runOrder }), groups);
    return sort ? sortRows(all, sort.column, sort.direction) : all;
  }, [runs, runOrder, groups, sort]);

  const sortBy = (column: CompareColumn): void =>
    setSort((current) => ({ column, direction: current?.column === column && current.direction === 'ascending' ? 'descending' : 'ascending' }));

  return (
    <section className="card compare" aria-labelledby="compare-title">
      <div className="card-head">
        <h2 id="compare-title">Compare</h2>
        <div className="button-row">
          <button type="button" onClick={() => commands.exportCompareCsv()} disabled={rows.length === 0} title="Per-episode metrics of every visible run, one file, a run column first">
            Export CSV
          </button>
          <button type="button" onClick={() => commands.exportCompareJson()} disabled={rows.length === 0} title="Records and per-episode metrics of every visible run">
            Export JSON
          </button>
        </div>
      </div>
      <div className="table-scroll">
        <table className="compare-table">
          <caption>Compare runs</caption>
          <thead>
            <tr>
              {COLUMNS.map((spec) => {
                const sorted = spec.column !== null && sort?.column === spec.column ? sort.direction : undefined;
                return (
                  <th key={spec.label} scope="col" aria-sort={spec.column === null ? undefined : (sorted ?? 'none')} title={spec.title}>
                    {spec.column === null ? (
                      spec.label
                    ) : (
                      <button type="button" className="sort-button" onClick={() => spec.column && sortBy(spec.column)}>
                        {spec.label}
                        <span aria-hidden="true">{sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}</span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length} className="hint">
                  No visible run.
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={`${row.kind}:${row.id}`} data-kind={row.kind}>
                <th scope="row">
                  <span className="swatch" style={{ background: row.color }} aria-hidden="true" /> {row.name}
                  {row.kind === 'group' && <span className="sub"> (group)</span>}
                </th>
                <td>{row.algorithm}</td>
                <td>{row.settings.length > 0 ? row.settings.join(', ') : '—'}</td>
                <td>{row.seeds.join(', ')}</td>
                <td>{swingUpCell(row)}</td>
                <td>{formatDecimal(row.best100, 1)}</td>
                <td>{formatDecimal(row.final100, 1)}</td>
                <td>{formatDecimal(row.updatesPerSecond, 0)}</td>
                <td>{formatDuration(row.wallSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
