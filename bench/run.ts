/**
 * `npm run bench`: training speed of SAC Playground on this machine, not a test.
 *   - Node (tfjs wasm and cpu): training steps/s (act + env + one SAC update) at hidden 64 and 256,
 *     kernels per update, the pendulum alone, steps and seconds to swing up on fixed seeds;
 *   - the page's worker in headless Chromium on the production build (webgl, wasm, cpu; bench/browser.ts);
 *   - the lecture's PyTorch SAC at the same settings, when Debian's python3-torch is installed.
 *   - every algorithm (SAC, DDPG, TD3, PPO, TRPO) with its defaults: env steps/s including updates and
 *     kernels/update in Node (bench/algorithms.ts), and env steps/s in the page's worker (`#algo=`).
 * Prints a Markdown table and writes it to bench/results/latest.md (and latest.json; with --only-algorithms,
 * algorithms.md and algorithms.json).
 * Flags: --quick (shorter timings, one swing-up seed), --no-browser, --no-node, --no-pytorch,
 * --only-algorithms (just the every-algorithm rows, Node and page: about 2 minutes).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { runBrowserBench, type BrowserResults } from './browser';
import { measureAlgorithmRates, type AlgorithmRate } from './algorithms';
import { runNodeBench, type NodeResults } from './node';
import { runPytorchReference, type PytorchRate } from './pytorch';
import { PYTORCH_RECORDED, RLTOOLS_WASM, ratioText, type ReferenceFigure } from './referenceFigures';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const onlyAlgorithms = args.has('--only-algorithms');
const log = (line: string): void => console.log(`  ${line}`);
// tfjs prints a "use tfjs-node" banner in Node; keep the bench output readable.
const originalWarn = console.warn;
console.warn = (...parts: unknown[]) => {
  if (!String(parts[0] ?? '').includes('tfjs-node')) originalWarn(...parts);
};

const seconds = quick ? 3 : 8;
const swingUpSeeds = quick ? [500] : [500, 1, 2];

async function main(): Promise<void> {
  const started = Date.now();
  console.log('PyTorch reference (lecture SAC, 1 thread)…');
  const pytorch: Record<number, PytorchRate | null> = {};
  if (!args.has('--no-pytorch') && !onlyAlgorithms) {
    pytorch[64] = await runPytorchReference(64, quick ? 600 : 1500);
    pytorch[256] = await runPytorchReference(256, quick ? 100 : 300);
    log(pytorch[64] ? `hidden 64: ${pytorch[64].updatesPerSecond.toFixed(1)}/s, hidden 256: ${pytorch[256]?.updatesPerSecond.toFixed(1)}/s` : 'not available (apt-get install python3-torch)');
  }
  let node: NodeResults | null = null;
  let algorithms: AlgorithmRate[] = [];
  if (!args.has('--no-node')) {
    console.log('Node, every algorithm…');
    algorithms = await measureAlgorithmRates({ seconds, quick, log });
    if (!onlyAlgorithms) {
      console.log('Node, SAC by backend…');
      node = await runNodeBench({ seconds, swingUpSeeds, log });
    }
  }
  let browser: BrowserResults | null = null;
  if (!args.has('--no-browser')) {
    console.log('Browser worker (production build, headless Chromium)…');
    browser = await runBrowserBench({ seconds, swingUpSeed: 500, log, longUpdates: quick ? 5000 : 50_000, onlyAlgorithms });
  }
  const report = renderReport({ node, algorithms, browser, pytorch, minutes: (Date.now() - started) / 60000 });
  console.log(`\n${report}`);
  await mkdir('bench/results', { recursive: true });
  // --only-algorithms keeps the full run's latest.* and writes its own files.
  const name = onlyAlgorithms ? 'algorithms' : 'latest';
  await writeFile(`bench/results/${name}.md`, report);
  await writeFile(`bench/results/${name}.json`, `${JSON.stringify({ date: new Date().toISOString(), node, algorithms, browser, pytorch }, null, 2)}\n`);
  console.log(`written to bench/results/${name}.md and ${name}.json`);
}

function fixed(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** The every-algorithm table: Node rows (bench/algorithms.ts) beside the page worker's (`#algo=`). */
function renderAlgorithms(algorithms: AlgorithmRate[], browser: BrowserResults | null, pytorch: ReferenceFigure): string[] {
  if (algorithms.length === 0 && (browser?.algorithms.length ?? 0) === 0) return [];
  const nodeSac = algorithms.find((row) => row.key === 'sac')?.envStepsPerSecond ?? null;
  const pageSac = browser?.algorithms.find((row) => row.key === 'sac')?.envStepsPerSecond ?? null;
  const lines = [
    'Every algorithm with its defaults (zoo settings; the lecture\'s for SAC), hidden 64: env steps per second *including the updates* (DDPG/TD3 after their 10,000 random warm-up steps; PPO/TRPO over whole rollouts with their update phases). × SAC = / SAC on tfjs wasm in the same place; SAC (kernels) is SAC on its hand-written WebAssembly engine, what the measured auto backend picks on this machine.',
    '',
    `× ${RLTOOLS_WASM.name} and × ${pytorch.name}: the page worker's figure (Node's where the page has none) over theirs (SAC, hidden 64, batch 64; see the sources below the tables).`,
    '',
    `| algorithm | computes on | Node env steps/s | × SAC | updates/s | tfjs kernels/update | page worker env steps/s | × SAC | × ${RLTOOLS_WASM.name} | × ${pytorch.name} |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const keys = [...new Set([...algorithms.map((row) => row.key), ...(browser?.algorithms ?? []).map((row) => row.key)])];
  for (const id of keys) {
    const node = algorithms.find((row) => row.key === id);
    const page = browser?.algorithms.find((row) => row.key === id);
    const kernels = node === undefined ? '—' : node.engine.startsWith('tfjs') ? fixed(node.kernelsPerUpdate, 0) : `${fixed(node.kernelsPerUpdate, 0)} (no tfjs)`;
    const pageCell = page === undefined ? '—' : page.envStepsPerSecond === null ? `— (${page.note ?? 'not measured'})` : fixed(page.envStepsPerSecond, 0);
    const compared = page?.envStepsPerSecond ?? node?.envStepsPerSecond ?? null;
    lines.push(
      `| ${node?.label ?? id.toUpperCase()} | ${node?.engine ?? '—'} | ${fixed(node?.envStepsPerSecond, 0)} | ${node && nodeSac ? fixed(node.envStepsPerSecond / nodeSac, 1) : '—'} | ${fixed(node?.updatesPerSecond, 0)} | ${kernels} | ${pageCell} | ${page?.envStepsPerSecond && pageSac ? fixed(page.envStepsPerSecond / pageSac, 1) : '—'} | ${ratioText(compared, RLTOOLS_WASM.envStepsPerSecond)} | ${ratioText(compared, pytorch.envStepsPerSecond)} |`,
    );
  }
  lines.push('');
  return lines;
}

function renderReport(r: { node: NodeResults | null; algorithms: AlgorithmRate[]; browser: BrowserResults | null; pytorch: Record<number, PytorchRate | null>; minutes: number }): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `### Benchmark (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, no GPU)`,
    '',
    // Other jobs on a shared machine slow every row: the 1-minute load average at the end says how busy it was.
    `Load average at the end of the run: ${loadavg()[0]?.toFixed(1) ?? '—'} (${cpus().length} cores).`,
    '',
    ...renderAlgorithms(r.algorithms, r.browser, pytorchFigure(r.pytorch)),
  ];
  const sources = referenceSources(pytorchFigure(r.pytorch));
  if (onlyAlgorithms) return `${[...lines, ...sources, `Command: \`npm run bench -- --only-algorithms${quick ? ' --quick' : ''}\` (${fixed(r.minutes)} min).`].join('\n')}\n`;
  lines.push(
    'Training steps per second: each step = act + env step + one SAC update (batch 64). Ratio = / PyTorch at the same hidden size (measured in this run when python3-torch is installed; otherwise hidden 64 is compared with the recorded figure named below). × RLtools WASM at hidden 64 only (its figure is for hidden 64).',
    '',
    '| where | backend | hidden 64 | × PyTorch | × RLtools WASM | hidden 256 | × PyTorch | kernels/update |',
    '|---|---|---|---|---|---|---|---|',
  );
  const torch64 = r.pytorch[64]?.updatesPerSecond ?? PYTORCH_RECORDED.envStepsPerSecond;
  const torch256 = r.pytorch[256]?.updatesPerSecond ?? null;
  const ratio = (value: number | undefined, reference: number | null): string => (value && reference ? fixed(value / reference, 2) : '—');
  if (r.pytorch[64]) lines.push(`| PyTorch ${r.pytorch[64].torch} (1 thread, this run) | cpu | ${fixed(torch64)} | 1.00 | ${ratioText(torch64, RLTOOLS_WASM.envStepsPerSecond)} | ${fixed(torch256)} | 1.00 | — |`);
  const rows: Array<{ where: string; backend: string; h64?: number; h256?: number; kernels?: number }> = [];
  for (const source of [
    { where: 'Node 20', rates: r.node?.rates ?? [] },
    { where: 'Chromium worker', rates: r.browser?.rates ?? [] },
  ]) {
    for (const backend of ['kernels', 'wasm', 'webgl', 'cpu']) {
      const h64 = source.rates.find((x) => x.backend === backend && x.hiddenSize === 64);
      const h256 = source.rates.find((x) => x.backend === backend && x.hiddenSize === 256);
      if (h64 || h256) rows.push({ where: source.where, backend, h64: h64?.updatesPerSecond, h256: h256?.updatesPerSecond, kernels: h64?.kernelsPerUpdate });
    }
  }
  for (const row of rows) {
    lines.push(`| ${row.where} | ${row.backend} | ${fixed(row.h64)} | ${ratio(row.h64, torch64)} | ${ratioText(row.h64, RLTOOLS_WASM.envStepsPerSecond)} | ${fixed(row.h256)} | ${ratio(row.h256, torch256)} | ${row.backend === 'kernels' ? '0 (no tfjs)' : fixed(row.kernels, 0)} |`);
  }
  if (r.browser?.renderer) lines.push('', `WebGL renderer in the worker: ${r.browser.renderer}.`);
  if (r.browser && r.browser.concurrent.length > 0) {
    const single = r.browser.concurrent.find((row) => row.runs === 1)?.envStepsPerSecond ?? null;
    lines.push(
      '',
      'Concurrent runs in the page (a seed group, `?maxConcurrent=N`, one worker per run, SAC on its hand-written kernels, hidden 64): env steps per wall-clock second, all runs together.',
      '',
      '| runs at once | env steps/s in all | × one run |',
      '|---|---|---|',
    );
    for (const row of r.browser.concurrent) lines.push(`| ${row.runs} | ${fixed(row.envStepsPerSecond)} | ${single ? fixed(row.envStepsPerSecond / single, 2) : '—'} |`);
  }
  lines.push('', '| swing-up (last-10 mean > −200), lecture defaults | steps | seconds |', '|---|---|---|');
  for (const result of r.node?.swingUps ?? []) lines.push(`| Node ${result.backend}, seed ${result.seed} | ${result.steps ?? 'not within 20,000'} | ${fixed(result.seconds)} |`);
  for (const result of r.browser?.swingUps ?? []) lines.push(`| page (${result.backend}), seed ${result.seed}, from pressing Start | ${result.steps ?? 'not within limit'} | ${fixed(result.seconds)} |`);
  if (r.node) lines.push('', `Pendulum alone (Node): ${fixed(r.node.envStepsPerSecond / 1e6, 2)} M steps/s.`);
  if (r.browser?.memory) {
    const m = r.browser.memory;
    lines.push(`Memory over one long run in the page (${m.backend}): the worker's tf.memory().numTensors ${m.tensorsAfter1k} after 1,000 updates, ${m.tensorsAfterLong} after ${m.longUpdates.toLocaleString('en')}; the page's JS heap (after GC) ${fixed(m.heapAfter1kMiB)} MiB → ${fixed(m.heapAfterLongMiB)} MiB (it keeps every episode's metrics for the charts and CSV).`);
  }
  if (r.browser?.bundle) lines.push(`First paint: main-thread bundle ${fixed(r.browser.bundle.mainGzipKiB)} KiB gzip; loaded after it: ${fixed(r.browser.bundle.lazyGzipKiB)} KiB (the equations panel's KaTeX); tfjs only in the worker chunk, ${fixed(r.browser.bundle.workerGzipKiB)} KiB gzip.`);
  lines.push('', ...sources);
  const flags = [quick ? '--quick' : '', onlyAlgorithms ? '--only-algorithms' : ''].filter((flag) => flag !== '').join(' ');
  lines.push('', `Command: \`npm run bench${flags ? ` -- ${flags}` : ''}\` (${fixed(r.minutes)} min).`);
  return `${lines.join('\n')}\n`;
}

/** PyTorch measured in this run at hidden 64 when it could be, else the recorded figure. */
function pytorchFigure(pytorch: Record<number, PytorchRate | null>): ReferenceFigure {
  const measured = pytorch[64];
  if (!measured) return PYTORCH_RECORDED;
  return { name: 'PyTorch', envStepsPerSecond: measured.updatesPerSecond, source: `the lecture's PyTorch SAC (torch ${measured.torch}, 1 thread) measured in this run by bench/pytorch_reference.py` };
}

/** The sentences naming what each ratio column compares with. */
function referenceSources(pytorch: ReferenceFigure): string[] {
  return [
    `× ${RLTOOLS_WASM.name} = / ${RLTOOLS_WASM.envStepsPerSecond} env steps/s: ${RLTOOLS_WASM.source}.`,
    `× ${pytorch.name} = / ${pytorch.envStepsPerSecond.toFixed(0)} env steps/s: ${pytorch.source}.`,
    '',
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
