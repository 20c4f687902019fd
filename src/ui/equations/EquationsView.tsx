/**
 * The equations panel's content (presentational): each formula of the algorithm's update rendered by
 * KaTeX, with its terms in a definition list (symbol and what it is, then the current value as text),
 * and the "what to try" list. Hovering or focusing a term that a chart plots calls onHighlight with that
 * chart's title (null when it leaves). Static-renderable (the unit tests render it to HTML in Node).
 */
import { useId } from 'react';
import katex from 'katex';
import { ALGORITHMS, type AlgorithmId } from '../../rl/algorithm';
import type { AnnotatedEquation, TermValue } from './equationModel';

const rendered = new Map<string, string>();

/** KaTeX HTML (+ MathML for screen readers) of a display formula, rendered once per formula. */
export function renderTex(tex: string): string {
  let html = rendered.get(tex);
  if (html === undefined) {
    html = katex.renderToString(tex, { displayMode: true, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore' });
    rendered.set(tex, html);
  }
  return html;
}

export interface EquationsViewProps {
  algorithm: AlgorithmId;
  equations: readonly AnnotatedEquation[];
  whatToTry: readonly string[];
  /** "Values from episode 12 of …", or what to wait for. */
  source: string;
  onHighlight: (chart: string | null) => void;
}

export function EquationsView({ algorithm, equations, whatToTry, source, onHighlight }: EquationsViewProps) {
  const prefix = useId();
  return (
    <div className="equations-body">
      <p className="hint" data-testid="equations-source">
        {ALGORITHMS[algorithm].label}&apos;s update. {source}
      </p>
      <div className="equation-list">
        {equations.map((equation) => {
          const captionId = `${prefix}-${equation.id}`;
          return (
            <figure key={equation.id} className="equation" aria-labelledby={captionId}>
              <figcaption id={captionId}>{equation.title}</figcaption>
              <div className="equation-tex" dangerouslySetInnerHTML={{ __html: renderTex(equation.tex) }} />
              {equation.note && <p className="equation-note">{equation.note}</p>}
              <dl className="equation-terms">
                {equation.terms.map((term, index) => (
                  <Term key={`${term.name}-${index}`} term={term} id={`${captionId}-${index}`} onHighlight={onHighlight} />
                ))}
              </dl>
            </figure>
          );
        })}
      </div>
      <h3 className="equations-subhead">What to try</h3>
      <ul className="what-to-try" aria-label={`What to try with ${ALGORITHMS[algorithm].label}`}>
        {whatToTry.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

function Term({ term, id, onHighlight }: { term: TermValue; id: string; onHighlight: (chart: string | null) => void }) {
  const chart = term.chart;
  const handlers =
    chart === null
      ? {}
      : {
          tabIndex: 0,
          title: `Highlights the chart “${chart}”`,
          onMouseEnter: () => onHighlight(chart),
          onMouseLeave: () => onHighlight(null),
          onFocus: () => onHighlight(chart),
          onBlur: () => onHighlight(null),
        };
  return (
    <div className={chart === null ? 'equation-term' : 'equation-term charted'} data-chart={chart ?? undefined} {...handlers}>
      <dt id={`${id}-term`}>{term.name}</dt>
      <dd aria-labelledby={`${id}-term`} data-value={term.value === null ? '' : String(term.value)}>
        <span className="term-value">{term.text}</span>
        {chart !== null && <span className="visually-hidden"> (chart: {chart})</span>}
      </dd>
    </div>
  );
}
