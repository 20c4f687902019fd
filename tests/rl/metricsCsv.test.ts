/** Metrics CSV columns come from the algorithm's descriptor; SAC keeps the columns metrics.csv always had. */
import { describe, expect, it } from 'vitest';
import { SAC_DESCRIPTOR, type AlgorithmDescriptor } from '../../src/rl/algorithm';
import { metricsColumns, metricsToCsv, runsMetricsToCsv } from '../../src/rl/metricsCsv';
import type { EpisodeMetrics } from '../../src/rl/types';

const episode = (n: number): EpisodeMetrics => ({
  episode: n, step: n * 200, score: -1000 - n, avg100: -1000, avg10: -1001,
  alpha: 0.5, criticLoss: 1.5, actorLoss: -2, alphaLoss: 0.01, entropy: 0.7, qMean: -30,
  updates: 200, updatesPerSecond: 150.5, wallSeconds: n * 1.25,
});

describe('metrics CSV', () => {
  it("SAC's columns are those of metrics.csv before descriptors existed", () => {
    // Written out by hand (the header of every metrics.csv so far), not derived from the descriptor.
    expect(metricsColumns(SAC_DESCRIPTOR).join(',')).toBe(
      'episode,step,score,avg100,avg10,alpha,criticLoss,actorLoss,alphaLoss,entropy,qMean,updates,updatesPerSecond,wallSeconds',
    );
    expect(metricsToCsv([episode(1)])).toBe(
      'episode,step,score,avg100,avg10,alpha,criticLoss,actorLoss,alphaLoss,entropy,qMean,updates,updatesPerSecond,wallSeconds\n' +
        '1,200,-1001,-1000,-1001,0.5,1.5,-2,0.01,0.7,-30,200,150.5,1.25\n',
    );
  });

  it("follows another algorithm's descriptor, and writes NaN for a metric an episode lacks", () => {
    const other: AlgorithmDescriptor = { ...SAC_DESCRIPTOR, metrics: [{ key: 'noiseScale', label: 'σ', chart: 'Noise', smoothed: false, description: '' }] };
    expect(metricsToCsv([episode(2)], other)).toBe(
      'episode,step,score,avg100,avg10,noiseScale,updates,updatesPerSecond,wallSeconds\n2,400,-1002,-1000,-1001,NaN,200,150.5,2.5\n',
    );
  });

  it('puts several runs in one file with a quoted run column', () => {
    const csv = runsMetricsToCsv([
      { name: 'SAC · seed 1', descriptor: SAC_DESCRIPTOR, episodes: [episode(1), episode(2)] },
      { name: 'lr "3e-4", fast', descriptor: SAC_DESCRIPTOR, episodes: [episode(1)] },
    ]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(`run,${metricsColumns(SAC_DESCRIPTOR).join(',')}`);
    expect(lines).toHaveLength(4);
    expect(lines[1]?.startsWith('SAC · seed 1,1,200,')).toBe(true);
    expect(lines[3]?.startsWith('"lr ""3e-4"", fast",1,200,')).toBe(true);
  });
});
