/**
 * Vietnamese and English messages. Each feature keeps its own messages file; they are merged
 * here. test/domain/i18n.test.ts checks that both languages have the same keys and that every
 * key a template or route uses exists.
 */
import { common } from './common.js'
import { registry } from './registry.js'

export const LOCALES = ['vi', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export type Dict = Record<string, string>
export interface MessageSet {
  vi: Dict
  en: Dict
}

const merged: Record<Locale, Dict> = { vi: {}, en: {} }
for (const set of [common, ...registry]) {
  Object.assign(merged.vi, set.vi)
  Object.assign(merged.en, set.en)
}
export const messages: Readonly<Record<Locale, Dict>> = merged

export function isLocale(v: unknown): v is Locale {
  return v === 'vi' || v === 'en'
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string

/** A translator for one locale. An unknown key shows itself, so a gap is visible, never blank. */
export function translator(locale: Locale): Translate {
  const dict = messages[locale]
  return (key, vars) => {
    const text = dict[key] ?? key
    if (!vars) return text
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
  }
}

const SLOT = '\u0000'

/**
 * A message with one variable {n}, translated once, as a function of the value: for the rows of a
 * long list, where t() with variables per row (a regex replace each time) showed in the profiles.
 */
export function perRow(t: Translate, key: string): (n: string) => string {
  const text = t(key, { n: SLOT })
  const i = text.indexOf(SLOT)
  if (i < 0) return () => text
  const before = text.slice(0, i)
  const after = text.slice(i + 1)
  return (n) => before + n + after
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** 'YYYY-MM-DD' (or a timestamp) → dd/mm/yyyy in Vietnamese, "5 Jul 2025" in English. */
export function formatDate(locale: Locale, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'string') {
    // Pages print the same few hundred days over and over (a list's raised and due dates): each
    // is formatted once per language, not split and joined again on every row of every request.
    const memo = DATE_MEMO[locale]
    let s = memo.get(value)
    if (s === undefined) {
      if (memo.size >= 20_000) memo.clear()
      memo.set(value, (s = formatIso(locale, value.slice(0, 10))))
    }
    return s
  }
  return formatIso(locale, localIso(value))
}

const DATE_MEMO: Record<Locale, Map<string, string>> = { vi: new Map(), en: new Map() }

function formatIso(locale: Locale, iso: string): string {
  const [y, m, d] = iso.split('-')
  if (!y || !m || !d) return iso
  if (locale === 'vi') return `${d}/${m}/${y}`
  return `${Number(d)} ${MONTHS_EN[Number(m) - 1]} ${y}`
}

/** A timestamp → date and time, 24-hour clock, in the server's local time. */
export function formatDateTime(locale: Locale, ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return ''
  const dt = new Date(ms)
  const hh = String(dt.getHours()).padStart(2, '0')
  const mm = String(dt.getMinutes()).padStart(2, '0')
  return `${formatDate(locale, ms)} ${hh}:${mm}`
}

/** Integers with the locale's grouping: 3.512 in Vietnamese, 3,512 in English. */
export function formatNumber(locale: Locale, n: number): string {
  // Small integers need no grouping (most numbers on a page); the formatters are made once (toLocaleString makes one per call).
  if (Number.isInteger(n) && n > -1000 && n < 1000) return String(n)
  return NUMBER_FORMATS[locale].format(n)
}
const NUMBER_FORMATS = { vi: new Intl.NumberFormat('vi-VN'), en: new Intl.NumberFormat('en-GB') }

/** Today's local date as 'YYYY-MM-DD'. */
export function localIso(ms: number = Date.now()): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
