/**
 * The reorganisation form: one form whose fields depend on the kind of event. Parsed by hand
 * (several fields are repeated: the units merged or dissolved, the units receiving functions),
 * into an EventInput for the plan, field errors as message keys, the values to re-render, and
 * the per-item overrides of the preview (`o:person:12` → successor index).
 */
import { parseDateInput } from '../../domain/date-input.js'
import { UNIT_KINDS } from '../../domain/ranks.js'
import { isEventKind, type EventInput, type EventKind, type NewUnitSpec, type Overrides, type Target } from '../../domain/reorg.js'

export type Body = Record<string, unknown>

/** Up to this many parts in a split. */
export const SPLIT_PARTS = 3

// Control characters other than tab and newline have no place in a form field.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

function str(body: Body, key: string): string {
  const v = body[key]
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s.normalize('NFC').replace(CONTROL, '').trim() : ''
}

function list(body: Body, key: string): string[] {
  const v = body[key]
  const arr = Array.isArray(v) ? v : v === undefined ? [] : [v]
  return arr.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter((x) => x !== '')
}

const isId = (s: string) => /^\d{1,12}$/.test(s)
const CODE = /^[A-Z0-9][A-Z0-9._-]{0,29}$/

export interface Parsed {
  kind: EventKind | null
  input: EventInput | null
  errors: Record<string, string>
  /** What was typed, to re-render the form (repeated fields joined by commas). */
  values: Record<string, string>
  /** Every posted field and value (repeated ones repeated), to carry through the preview as hidden inputs. */
  carry: [string, string][]
}

const FIELDS = [
  'kind', 'date', 'decisionNo', 'note', 'unitId', 'parentId', 'code', 'nameVi', 'nameEn', 'unitKind', 'border', 'island', 'ethnic', 'into', 'heir', 'heirId',
  ...Array.from({ length: SPLIT_PARTS }, (_, i) => ['existing', 'code', 'nameVi', 'nameEn', 'unitKind', 'parentId'].map((f) => `p${i}_${f}`)).flat(),
]
const MULTI = ['from', 'to']

/** Parse the event form. Errors are message keys; the route translates them. */
export function parseEventForm(body: Body): Parsed {
  const errors: Record<string, string> = {}
  const values: Record<string, string> = {}
  const carry: [string, string][] = []
  for (const f of FIELDS) {
    const v = str(body, f)
    values[f] = v
    if (v !== '') carry.push([f, v])
  }
  for (const f of MULTI) {
    const l = list(body, f)
    values[f] = l.join(',')
    for (const v of l) carry.push([f, v])
  }
  const kindText = values.kind!
  const kind = isEventKind(kindText) ? kindText : null
  if (!kind) errors.kind = 'err.choice'
  const date = parseDateInput(values.date!)
  if (!values.date) errors.date = 'err.required'
  else if (!date) errors.date = 'err.date'
  if (!values.decisionNo) errors.decisionNo = 'err.required'
  else if (values.decisionNo.length > 100) errors.decisionNo = 'err.tooLong'
  if (values.note!.length > 2000) errors.note = 'err.tooLong'

  const id = (key: string): number | null => {
    const v = values[key] ?? ''
    if (!v) {
      errors[key] = 'err.required'
      return null
    }
    if (!isId(v)) {
      errors[key] = 'err.invalid'
      return null
    }
    return Number(v)
  }
  const ids = (key: string): number[] => {
    const l = list(body, key)
    if (l.length === 0) errors[key] = 'err.required'
    if (l.some((x) => !isId(x))) errors[key] = 'err.invalid'
    return [...new Set(l.filter(isId).map(Number))]
  }
  const names = (prefix: string) => {
    const code = (values[prefix + 'code'] ?? '').toUpperCase()
    if (!code) errors[prefix + 'code'] = 'err.required'
    else if (!CODE.test(code)) errors[prefix + 'code'] = 'units.err.code'
    for (const f of ['nameVi', 'nameEn']) {
      const v = values[prefix + f] ?? ''
      if (!v) errors[prefix + f] = 'err.required'
      else if (v.length > 200) errors[prefix + f] = 'err.tooLong'
    }
    return { code, nameVi: values[prefix + 'nameVi'] ?? '', nameEn: values[prefix + 'nameEn'] ?? '' }
  }
  const newUnit = (prefix: string): NewUnitSpec | null => {
    const n = names(prefix)
    const k = values[prefix + 'unitKind'] ?? ''
    if (!(UNIT_KINDS as readonly string[]).includes(k) || k === 'province') errors[prefix + 'unitKind'] = 'err.choice'
    const parentId = id(prefix + 'parentId')
    const flag = (f: string) => ['on', '1', 'true'].includes(values[f] ?? '')
    return parentId === null ? null : { ...n, kind: k, parentId, border: prefix === '' && flag('border'), island: prefix === '' && flag('island'), ethnic: prefix === '' && flag('ethnic') }
  }

  let input: EventInput | null = null
  const base = { date: date ?? '', decisionNo: values.decisionNo!, note: values.note! }
  switch (kind) {
    case 'establish': {
      const unit = newUnit('')
      if (unit) input = { ...base, kind, unit }
      break
    }
    case 'rename': {
      const unitId = id('unitId')
      const n = names('')
      if (unitId !== null) input = { ...base, kind, unitId, ...n }
      break
    }
    case 'move': {
      const unitId = id('unitId')
      const parentId = id('parentId')
      if (unitId !== null && parentId !== null) input = { ...base, kind, unitId, parentId }
      break
    }
    case 'merge': {
      const from = ids('from')
      const into = values.into ?? ''
      let target: Target | null = null
      if (into === 'new') {
        const u = newUnit('')
        if (u) target = { newUnit: u }
      } else if (isId(into)) target = { existingId: Number(into) }
      else errors.into = 'err.choice'
      if (target) input = { ...base, kind, from, into: target }
      break
    }
    case 'split': {
      const from = id('unitId')
      const into: Target[] = []
      for (let i = 0; i < SPLIT_PARTS; i++) {
        const p = `p${i}_`
        const existing = values[p + 'existing'] ?? ''
        const typed = ['code', 'nameVi', 'nameEn'].some((f) => (values[p + f] ?? '') !== '')
        if (isId(existing)) into.push({ existingId: Number(existing) })
        else if (typed || i < 2) {
          const u = newUnit(p)
          if (u) into.push({ newUnit: u })
        }
      }
      const heir = Number(values.heir || '0')
      if (from !== null) input = { ...base, kind, from, into, heirIndex: Number.isInteger(heir) ? heir : 0 }
      break
    }
    case 'dissolve': {
      const from = ids('from')
      const to = ids('to')
      const heirId = id('heirId')
      if (heirId !== null) input = { ...base, kind, from, to, heirId }
      break
    }
    default:
      break
  }
  if (Object.keys(errors).length > 0) input = null
  return { kind, input, errors, values, carry }
}

/** The preview's per-item overrides: fields `o:<entity>:<id>` holding a successor index. */
export function parseOverrides(body: Body): Map<string, number> {
  const out = new Map<string, number>()
  for (const [k, v] of Object.entries(body)) {
    const m = /^o:(person|account|concern|report|dialogue|unit):(\d{1,12})$/.exec(k)
    const s = Array.isArray(v) ? v[0] : v
    if (m && typeof s === 'string' && /^\d{1,2}$/.test(s)) out.set(`${m[1]}:${m[2]}`, Number(s))
  }
  return out as Overrides as Map<string, number>
}
