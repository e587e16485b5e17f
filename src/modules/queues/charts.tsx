// Server-rendered SVG bar charts: no script, no inline style (CSP), colours and text from
// classes in public/app.css. Each chart has role="img" with a title and a description, and
// the page puts the same figures in a <table> beside it. The drawing keeps a left-to-right
// layout in every language (the table beside it follows the page's direction).
import type { ComponentChildren } from 'preact';

export interface Series {
  key: string;
  label: string;
  /** One value per category, same order as `labels`. */
  values: number[];
}

export interface BarChartProps {
  id: string;
  title: string;
  desc: string;
  labels: string[];
  series: Series[];
  /** How a value is printed at the end of its bar. */
  format?: (v: number) => string;
}

const ROW = 22;
const GAP = 10;
const LABEL_W = 170;
const CHART_W = 640;
const BAR_W = CHART_W - LABEL_W - 60;

/** Horizontal grouped bars: one group per label, one bar per series. */
export function BarChart(p: BarChartProps): ComponentChildren {
  const max = Math.max(1, ...p.series.flatMap((s) => s.values));
  const groupH = p.series.length * ROW + GAP;
  const legendH = p.series.length > 1 ? ROW + GAP : 0;
  const height = legendH + p.labels.length * groupH + GAP;
  const fmt = p.format ?? ((v: number) => String(v));
  return (
    <svg class="app-chart" dir="ltr" role="img" aria-labelledby={`${p.id}-title ${p.id}-desc`} viewBox={`0 0 ${CHART_W} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title id={`${p.id}-title`}>{p.title}</title>
      <desc id={`${p.id}-desc`}>{p.desc}</desc>
      {p.series.length > 1 ? (
        <g class="app-chart__legend" aria-hidden="true">
          {p.series.map((s, i) => (
            <g>
              <rect class={`app-chart__bar app-chart__bar--${i}`} x={LABEL_W + i * 160} y={4} width={14} height={14} />
              <text class="app-chart__text" x={LABEL_W + i * 160 + 20} y={16}>
                {s.label}
              </text>
            </g>
          ))}
        </g>
      ) : null}
      <g aria-hidden="true">
        {p.labels.map((label, li) => {
          const y0 = legendH + li * groupH;
          return (
            <g>
              <text class="app-chart__text app-chart__label" x={LABEL_W - 8} y={y0 + (p.series.length * ROW) / 2 + 5} text-anchor="end">
                {label.length > 24 ? `${label.slice(0, 23)}…` : label}
              </text>
              {p.series.map((s, si) => {
                const v = s.values[li] ?? 0;
                const w = Math.round((v / max) * BAR_W);
                const y = y0 + si * ROW;
                return (
                  <g>
                    <rect class={`app-chart__bar app-chart__bar--${si}`} x={LABEL_W} y={y + 3} width={Math.max(w, v > 0 ? 2 : 0)} height={ROW - 6} />
                    <text class="app-chart__text" x={LABEL_W + w + 6} y={y + ROW / 2 + 5}>
                      {fmt(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line class="app-chart__axis" x1={LABEL_W} y1={legendH} x2={LABEL_W} y2={height - GAP / 2} />
      </g>
    </svg>
  );
}
