/** The SVG chart builders: a named image with axis labels and ticks, bars in proportion, every text escaped. */
import t from 'tap'
import { barChart, esc, niceScale } from '../../server/domain/charts.js'

t.test('niceScale: a round top at or above the maximum, ticks from 0 in 1-2-5 steps', async (t) => {
  t.same(niceScale(0), { top: 1, step: 1, values: [0, 1] }, 'nothing to show: 0–1')
  t.same(niceScale(7), { top: 8, step: 2, values: [0, 2, 4, 6, 8] })
  t.same(niceScale(100), { top: 100, step: 50, values: [0, 50, 100] })
  const s = niceScale(934)
  t.ok(s.top >= 934 && s.top < 934 * 2, 'top just above the maximum')
  t.ok([100, 200, 250, 500].includes(s.step), `a round step (${s.step})`)
  t.equal(s.values[0], 0)
  t.equal(s.values[s.values.length - 1], s.top)
  t.equal(niceScale(3).step, 1, 'counts never get fractional ticks')
})

t.test('barChart: accessible, labelled, proportional and escaped', async (t) => {
  const svg = barChart({
    id: 'c1',
    title: 'Kiến nghị <theo> tháng & "năm"',
    desc: 'Mô tả',
    xLabel: 'Tháng',
    yLabel: 'Số kiến nghị',
    categories: ['01/26', '02/26', '03/26'],
    series: [
      { name: 'Tiếp nhận', values: [10, 20, 0], cls: 'c1' },
      { name: 'Được trả lời', values: [5, 20, 1], cls: 'c2' },
    ],
  })
  t.match(svg, /^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/, 'an image named by its title and description')
  t.match(svg, /<title id="c1-title">Kiến nghị &lt;theo&gt; tháng &amp; &quot;năm&quot;<\/title>/, 'the title, escaped')
  t.match(svg, /<desc id="c1-desc">Mô tả<\/desc>/)
  t.match(svg, />Tháng<\/text>/, 'x axis label')
  t.match(svg, />Số kiến nghị<\/text>/, 'y axis label')
  t.notMatch(svg, /<script|<foreignObject|href=/, 'nothing active, nothing loaded from outside')
  const bars = [...svg.matchAll(/<rect class="bar (c\d)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"><title>([^<]*)<\/title>/g)]
  t.equal(bars.length, 6, 'one bar per category and series')
  const h = (i: number) => Number(bars[i]![3])
  t.equal(h(2), h(3), '20 and 20 are the same height')
  t.ok(Math.abs(h(0) * 2 - h(2)) < 0.2, '10 is half of 20')
  t.equal(h(4), 0, 'zero has no height')
  t.equal(bars[1]![4], '01/26: Được trả lời 5', 'each bar says what it is')
  t.match(svg, /<text class="legend"[^>]*>Tiếp nhận<\/text>/, 'a legend for two series')
  const single = barChart({ id: 'c2', title: 'x', desc: 'y', xLabel: 'a', yLabel: 'b', categories: [], series: [{ name: 'Một', values: [], cls: 'c3' }] })
  t.notMatch(single, /class="legend"/, 'no legend for one series')
  t.match(single, /<\/svg>$/, 'an empty chart is still a whole image')
  t.equal(esc(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;')
})

t.test('barChart formats tick values with the locale\'s grouping', async (t) => {
  const svg = barChart({ id: 'c3', title: 't', desc: 'd', xLabel: 'x', yLabel: 'y', categories: ['a'], series: [{ name: 's', values: [12000], cls: 'c1' }], format: (n) => n.toLocaleString('vi-VN') })
  t.match(svg, />15\.000<\/text>|>12\.000<\/text>|>10\.000<\/text>/, 'Vietnamese thousands separator on the axis')
})
