/** A colour map's legend: the gradient with its values at five ticks (text, so it is read out too). */
import { colorAt, formatMapValue, legendTicks, tableOf, type ColorScale } from '../../page/insightGrid';

export function ColorLegend({ scale, label, id }: { scale: ColorScale; label: string; id?: string }) {
  const table = tableOf(scale.name);
  const stops = Array.from({ length: 11 }, (_, index) => {
    const [r, g, b] = colorAt(table, index / 10);
    return `rgb(${r}, ${g}, ${b}) ${index * 10}%`;
  });
  const ticks = legendTicks(scale);
  return (
    <figure className="insight-legend" id={id} aria-label={`Colour legend: ${label}, from ${formatMapValue(scale.min)} to ${formatMapValue(scale.max)}`}>
      <div className="insight-legend-bar" style={{ background: `linear-gradient(to right, ${stops.join(', ')})` }} aria-hidden="true" />
      <ol className="insight-legend-ticks">
        {ticks.map((tick, index) => (
          <li key={index} style={{ left: `${(index / (ticks.length - 1)) * 100}%` }}>
            {formatMapValue(tick)}
          </li>
        ))}
      </ol>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
