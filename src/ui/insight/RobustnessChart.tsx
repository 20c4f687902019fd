/** The robustness sweep's result: mean return (with min and max) against the swept setting's value, a small chart.js line chart. */
import { useEffect, useRef } from 'react';
import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { physicsLabel, type PhysicsKey } from '../../page/insightPhysics';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, Filler);

export interface RobustnessChartProps {
  parameter: PhysicsKey;
  values: readonly number[];
  meanReturn: readonly number[];
  minReturn: readonly number[];
  maxReturn: readonly number[];
}

export function RobustnessChart({ parameter, values, meanReturn, minReturn, maxReturn }: RobustnessChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const points = (series: readonly number[]) => values.map((x, index) => ({ x, y: series[index] ?? Number.NaN }));
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'max', data: points(maxReturn), borderColor: 'rgba(37, 99, 235, 0.35)', backgroundColor: 'rgba(37, 99, 235, 0.12)', borderWidth: 1, pointRadius: 0, fill: '+1' },
          { label: 'min', data: points(minReturn), borderColor: 'rgba(37, 99, 235, 0.35)', borderWidth: 1, pointRadius: 0, fill: false },
          { label: 'mean return', data: points(meanReturn), borderColor: '#2563eb', backgroundColor: '#2563eb', borderWidth: 2, pointRadius: 3, fill: false },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: physicsLabel(parameter) } },
          y: { type: 'linear', title: { display: true, text: 'Return (10 episodes)' } },
        },
        plugins: { legend: { display: true, labels: { boxWidth: 12 } } },
      },
    });
    return () => chart.destroy();
  }, [parameter, values, meanReturn, minReturn, maxReturn]);

  const summary = values.map((value, index) => `${value}: ${(meanReturn[index] ?? Number.NaN).toFixed(1)}`).join(', ');
  return (
    <div className="robustness-chart">
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={`Robustness: mean return against ${physicsLabel(parameter)}: ${summary}`}
        data-points={values.length}
      />
    </div>
  );
}
