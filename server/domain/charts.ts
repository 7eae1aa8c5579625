/**
 * Server-rendered SVG charts: plain functions returning an SVG string, every text escaped. Each
 * chart is an image with a name (role="img", aria-labelledby its <title> and <desc>), axis labels
 * and tick values, and colours from CSS classes (public/app.css) so it prints and follows the
 * page's palette. The numbers themselves are always also in a table beside the chart: the chart
 * is a picture of the table, not the only place to read them. Nothing is loaded from outside.
 */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escape text for SVG/HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESC[c]!)
}

/**
 * A "nice" axis: the top of the scale (≥ max) and the tick values from 0, at 1, 2 or 5 × 10^k
 * steps, about `ticks` of them. An empty or all-zero series gets the scale 0–1.
 */
export function niceScale(max: number, ticks = 4): { top: number; step: number; values: number[] } {
  if (!(max > 0)) return { top: 1, step: 1, values: [0, 1] }
  const raw = max / ticks
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  // Counts are whole numbers: never a step below 1.
  const s = Math.max(1, step)
  const top = Math.ceil(max / s) * s
  const values: number[] = []
  for (let v = 0; v <= top + s / 2; v += s) values.push(Math.round(v))
  return { top, step: s, values }
}

export interface Series {
  name: string
  values: number[]
  /** CSS class for the bars and the legend swatch: 'c1', 'c2', 'c3'. */
  cls: string
}

export interface BarChartSpec {
  /** A document-unique id: the title and description get `${id}-title`, `${id}-desc`. */
  id: string
  title: string
  /** A sentence for screen readers: what the chart shows (the table beside it has the figures). */
  desc: string
  xLabel: string
  yLabel: string
  /** One label per group (e.g. "07/2026"). */
  categories: string[]
  series: Series[]
  width?: number
  height?: number
  /** How numbers are written on the axis (the locale's grouping). */
  format?: (n: number) => string
}

/** A grouped bar chart: one group per category, one bar per series, a legend when there are several series. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 640
  const height = spec.height ?? 260
  const fmt = spec.format ?? ((n: number) => String(n))
  const left = 56
  const right = 12
  const top = spec.series.length > 1 ? 30 : 14
  const bottom = 52
  const plotW = width - left - right
  const plotH = height - top - bottom
  const max = Math.max(0, ...spec.series.flatMap((s) => s.values))
  const scale = niceScale(max)
  const y = (v: number) => top + plotH - (v / scale.top) * plotH
  const n = Math.max(1, spec.categories.length)
  const groupW = plotW / n
  const barW = Math.max(2, Math.min(28, (groupW * 0.75) / Math.max(1, spec.series.length)))
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${esc(spec.id)}-title ${esc(spec.id)}-desc" preserveAspectRatio="xMinYMin meet">`,
  )
  out.push(`<title id="${esc(spec.id)}-title">${esc(spec.title)}</title>`)
  out.push(`<desc id="${esc(spec.id)}-desc">${esc(spec.desc)}</desc>`)
  // Grid lines and the value axis.
  for (const v of scale.values) {
    const yy = y(v).toFixed(1)
    out.push(`<line class="grid" x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}"/>`)
    out.push(`<text class="tick" x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(fmt(v))}</text>`)
  }
  out.push(`<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}"/>`)
  out.push(`<line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}"/>`)
  // Bars, each with its own tooltip title.
  spec.categories.forEach((cat, i) => {
    const gx = left + i * groupW + (groupW - barW * spec.series.length) / 2
    spec.series.forEach((s, k) => {
      const v = s.values[i] ?? 0
      const h = Math.max(0, top + plotH - y(v))
      out.push(
        `<rect class="bar ${esc(s.cls)}" x="${(gx + k * barW).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(cat)}: ${esc(s.name)} ${esc(fmt(v))}</title></rect>`,
      )
    })
    // Category labels: all of them when they fit, else every other one.
    const every = n > 14 ? 2 : 1
    if (i % every === 0) out.push(`<text class="tick" x="${(left + i * groupW + groupW / 2).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle">${esc(cat)}</text>`)
  })
  // Axis labels.
  out.push(`<text class="axis-label" x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">${esc(spec.xLabel)}</text>`)
  out.push(`<text class="axis-label" transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`)
  // Legend.
  if (spec.series.length > 1) {
    let lx = left
    for (const s of spec.series) {
      out.push(`<rect class="bar ${esc(s.cls)}" x="${lx}" y="8" width="12" height="12"/>`)
      out.push(`<text class="legend" x="${lx + 16}" y="18">${esc(s.name)}</text>`)
      lx += 24 + s.name.length * 7
    }
  }
  out.push('</svg>')
  return out.join('')
}
