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
  return barChartSvg(barChartModel(spec))
}

/**
 * A bar chart's figures with every text escaped and every coordinate written out: all that
 * depends on the numbers, computed once (a page may keep it as long as its figures stand), so
 * drawing it (barChartSvg) only joins strings.
 */
export interface BarChartModel {
  width: number
  height: number
  left: number
  right: number
  top: number
  plotW: number
  plotH: number
  /** Escaped id, title, description and axis labels. */
  id: string
  title: string
  desc: string
  xLabel: string
  yLabel: string
  /** Value axis: each tick's y and escaped label. */
  ticks: { y: string; label: string }[]
  /** One per category: its bars (class, x, y, width, height, escaped tooltip) and its label under the axis (null when every other one is shown). */
  groups: { bars: { cls: string; x: string; y: string; w: string; h: string; tip: string }[]; label: { x: string; text: string } | null }[]
  /** Legend entries (several series only): class, x and escaped name. */
  legend: { cls: string; x: number; name: string }[]
}

export function barChartModel(spec: BarChartSpec): BarChartModel {
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
  const names = spec.series.map((s) => ({ cls: esc(s.cls), name: esc(s.name) }))
  const groups = spec.categories.map((cat, i) => {
    const gx = left + i * groupW + (groupW - barW * spec.series.length) / 2
    const c = esc(cat)
    const bars = spec.series.map((s, k) => {
      const v = s.values[i] ?? 0
      const h = Math.max(0, top + plotH - y(v))
      return { cls: names[k]!.cls, x: (gx + k * barW).toFixed(1), y: (top + plotH - h).toFixed(1), w: (barW - 1).toFixed(1), h: h.toFixed(1), tip: `${c}: ${names[k]!.name} ${esc(fmt(v))}` }
    })
    // Category labels: all of them when they fit, else every other one.
    const every = n > 14 ? 2 : 1
    return { bars, label: i % every === 0 ? { x: (left + i * groupW + groupW / 2).toFixed(1), text: c } : null }
  })
  const legend: BarChartModel['legend'] = []
  if (spec.series.length > 1) {
    let lx = left
    spec.series.forEach((s, k) => {
      legend.push({ cls: names[k]!.cls, x: lx, name: names[k]!.name })
      lx += 24 + s.name.length * 7
    })
  }
  return {
    width,
    height,
    left,
    right,
    top,
    plotW,
    plotH,
    id: esc(spec.id),
    title: esc(spec.title),
    desc: esc(spec.desc),
    xLabel: esc(spec.xLabel),
    yLabel: esc(spec.yLabel),
    ticks: scale.values.map((v) => ({ y: y(v).toFixed(1), label: esc(fmt(v)) })),
    groups,
    legend,
  }
}

/** The SVG of a chart model. */
export function barChartSvg(m: BarChartModel): string {
  const { width, height, left, right, top, plotW, plotH } = m
  let out = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${m.id}-title ${m.id}-desc" preserveAspectRatio="xMinYMin meet">`
  out += `<title id="${m.id}-title">${m.title}</title><desc id="${m.id}-desc">${m.desc}</desc>`
  // Grid lines and the value axis.
  for (const t of m.ticks) {
    out += `<line class="grid" x1="${left}" x2="${width - right}" y1="${t.y}" y2="${t.y}"/><text class="tick" x="${left - 6}" y="${t.y}" text-anchor="end" dominant-baseline="middle">${t.label}</text>`
  }
  out += `<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}"/><line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}"/>`
  // Bars, each with its own tooltip title, then the group's label.
  const labelY = top + plotH + 14
  for (const g of m.groups) {
    for (const b of g.bars) out += `<rect class="bar ${b.cls}" x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}"><title>${b.tip}</title></rect>`
    if (g.label) out += `<text class="tick" x="${g.label.x}" y="${labelY}" text-anchor="middle">${g.label.text}</text>`
  }
  out += `<text class="axis-label" x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">${m.xLabel}</text>`
  out += `<text class="axis-label" transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${m.yLabel}</text>`
  for (const s of m.legend) out += `<rect class="bar ${s.cls}" x="${s.x}" y="8" width="12" height="12"/><text class="legend" x="${s.x + 16}" y="18">${s.name}</text>`
  return out + '</svg>'
}
