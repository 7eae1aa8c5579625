/**
 * `npm run bench -- [--scale province|national] [--quick] [--duration S]`
 *
 * Starts the app in production mode on a generated dataset (a child process, so the load
 * generator does not share its event loop), signs in as a user of each role, and for each page
 * measures: requests/s, p50/p99 latency at concurrency 10, SQL statements per request (from the
 * x-sql-statements header, in a sequential pass), and the server's peak memory. A trivial route
 * of the same server is the ceiling; each page's throughput is reported as a share of it.
 * Results: bench/results/<date>-<scale>.json and the table in bench/README.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { BENCH_PASSWORD, datasetPath, generate, type Scale } from './generate.js'
import { percentile } from './percentile.js'
import { periodContaining } from '../../server/domain/periods.js'
import { optimizeSearchIndexes } from '../../server/features/search/maintenance.js'
import { openDatabase } from '../../server/plugins/db.js'

interface Args {
  scale: Scale
  quick: boolean
  duration: number
  out: string | null
  /** A dataset file other than bench/data/<scale>.sqlite (generated there when missing). */
  data: string | null
  /** Leave bench/README.md alone (the harness's own test). */
  noReadme: boolean
  /** dist: build with tsc and run compiled JavaScript, as `npm start` does; tsx: run the sources. */
  runtime: 'dist' | 'tsx'
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { scale: 'province', quick: false, duration: 10, out: null, data: null, noReadme: false, runtime: 'dist' }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--scale') args.scale = argv[++i] as Scale
    else if (a === '--quick') args.quick = true
    else if (a === '--duration') args.duration = Number(argv[++i])
    else if (a === '--out') args.out = argv[++i] ?? null
    else if (a === '--data') args.data = argv[++i] ?? null
    else if (a === '--no-readme') args.noReadme = true
    else if (a === '--runtime') args.runtime = argv[++i] === 'tsx' ? 'tsx' : 'dist'
    else throw new Error(`unknown argument ${a}`)
  }
  if (!['province', 'national'].includes(args.scale)) throw new Error('--scale is province or national')
  if (args.quick && !argv.includes('--duration')) args.duration = 2
  if (!(args.duration > 0)) throw new Error('--duration must be a positive number of seconds')
  return args
}

/** What the bench records of one page or one write step. */
interface Measured {
  name: string
  path: string
  role: string
  rps: number
  p50: number
  p99: number
  sql: number
  shareOfCeiling: number
  errors: number
}

export interface PageResult extends Measured {
  status: number
  note?: string
  /** The trivial route's req/s measured just before and just after this page (the mean): the share's denominator. */
  ceilingRps?: number
  /** The server's CPU time per request under the load (user + system, all its threads). */
  cpuMs?: number
}

export interface Server {
  base: string
  child: ChildProcess
  startupMs: number
  peakRssMiB: () => number
  stop: () => Promise<void>
}

/** User + system CPU seconds a process has used so far (all its threads: the garbage collector's too). */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function readKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

export async function startServer(dbPath: string, runtime: 'dist' | 'tsx', nodeArgs: string[] = []): Promise<Server> {
  const t0 = performance.now()
  const entry = [...nodeArgs, ...(runtime === 'dist' ? ['dist/server/server.js'] : ['--import', 'tsx', 'server/server.ts'])]
  const child = spawn(process.execPath, entry, {
    env: {
      ...process.env,
      MODE: 'production',
      NODE_ENV: 'production',
      DB_PATH: dbPath,
      PORT: '0',
      HOST: '127.0.0.1',
      SESSION_SECRET: 'bench-secret-'.padEnd(48, 'x'),
      // Request logging off: the figures are the app's own cost, not pino's.
      LOG_LEVEL: 'warn',
      SQL_COUNT_HEADER: 'true',
      // The bench signs in many times from one address.
      LOGIN_MAX_FAILURES: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const base = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s:\n' + out)), 60_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString()
      process.stderr.write(d)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  const startupMs = performance.now() - t0
  return {
    base,
    child,
    startupMs,
    peakRssMiB: () => readKb(child.pid!, 'VmHWM') / 1024,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit')
        child.on('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** Sign in through the real form; returns the cookie header for later requests. */
export async function signIn(base: string, username: string): Promise<string> {
  const page = await fetch(base + '/login')
  const jar = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const eq = pair!.indexOf('=')
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
  }
  keep(page)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1]
  if (!csrf) throw new Error('no CSRF token on the login page')
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const res = await fetch(base + '/login', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ username, password: BENCH_PASSWORD, _csrf: csrf }).toString(),
  })
  keep(res)
  if (res.status !== 303) throw new Error(`sign-in as ${username} failed with ${res.status}`)
  return cookie()
}

/** A sequential pass: status and SQL statements of one request (after a warm-up request). */
async function probe(base: string, p: string, cookie: string): Promise<{ status: number; sql: number }> {
  await fetch(base + p, { headers: { cookie }, redirect: 'manual' }).then((r) => r.arrayBuffer())
  const res = await fetch(base + p, { headers: { cookie }, redirect: 'manual' })
  await res.arrayBuffer()
  return { status: res.status, sql: Number(res.headers.get('x-sql-statements') ?? -1) }
}

function load(url: string, cookie: string, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 10, duration, headers: cookie ? { cookie } : {} }, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

interface PageSpec {
  name: string
  path: string
  role: string
  /** Pages of features not built yet answer 404; they are reported, not failed. */
  optional?: boolean
}

/**
 * The dataset as the app's nightly merge leaves it (server/features/search/maintenance.ts): each
 * run's write mix adds a few thousand concerns in ten seconds, far more than a day's, and the
 * minutely merge has no time to fold them, so without this every run measured search over more
 * small segments than the last (22 after four runs: a province's /search 0.6 → 1.0 ms).
 */
function nightlyMerge(dbPath: string): void {
  const db = openDatabase(dbPath)
  try {
    optimizeSearchIndexes(db)
    db.$client.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.$client.close()
  }
}

export async function runBench(args: Args): Promise<{ file: string; results: PageResult[] }> {
  const dbPath = args.data ?? datasetPath(args.scale)
  if (!fs.existsSync(dbPath)) {
    console.log(`No ${args.scale} dataset at ${dbPath}: generating it first.`)
    await generate(args.scale, dbPath)
  }
  if (args.runtime === 'dist') {
    console.log('Building (tsc) to run compiled JavaScript as npm start does…')
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
  }
  nightlyMerge(dbPath)
  const server = await startServer(dbPath, args.runtime)
  console.log(`Server up in ${server.startupMs.toFixed(0)} ms at ${server.base} on ${dbPath}`)
  const results: PageResult[] = []
  try {
    const cookies: Record<string, string> = { anonymous: '' }
    for (const role of ['admin', 'leader', 'politics', 'dept', 'unit', 'nation']) cookies[role] = await signIn(server.base, role)
    const meta = (await (await fetch(server.base + '/healthz')).json()) as { status: string }
    if (meta.status !== 'ok') throw new Error('health check failed')
    // The dataset's own province and current quarter (written beside it by bench:data), so both
    // scales measure the same page: the province's roll-up.
    const dataset = readDatasetMeta(dbPath)

    const pages: PageSpec[] = [
      { name: 'trivial route (ceiling)', path: '/healthz', role: 'anonymous' },
      { name: 'login page', path: '/login', role: 'anonymous' },
      ...['admin', 'leader', 'politics', 'dept', 'unit'].map((role) => ({ name: `home (${role})`, path: '/', role })),
      { name: 'units tree', path: '/units', role: 'politics' },
      { name: 'people, first page', path: '/people', role: 'politics' },
      { name: 'people, search', path: '/people?q=nguyen+van', role: 'politics' },
      { name: 'concerns, first page', path: '/issues', role: 'politics', optional: true },
      { name: 'concerns, three filters', path: '/issues?status=in_progress&overdue=1&group=officer', role: 'politics', optional: true },
      { name: 'concern page', path: '/issues/1', role: 'politics', optional: true },
      { name: 'dialogues, first page', path: '/dialogues', role: 'politics', optional: true },
      { name: 'dialogue page', path: '/dialogues/1', role: 'politics', optional: true },
      { name: 'reports (province)', path: '/reports', role: 'politics', optional: true },
      { name: 'roll-up (province)', path: `/rollup/${dataset.provinceId}/${dataset.currentQuarter}`, role: 'politics', optional: true },
      { name: 'report being drafted (province)', path: `/reports/${dataset.provinceId}/${dataset.runningQuarter}`, role: 'politics', optional: true },
      { name: 'summary (province)', path: '/summary', role: 'leader', optional: true },
      { name: 'summary (nation)', path: '/summary', role: 'nation', optional: true },
      { name: 'summary (province, 36 months)', path: '/summary?from=2000-01', role: 'leader', optional: true },
      { name: 'summary (nation, border areas)', path: '/summary?area=border', role: 'nation', optional: true },
      { name: 'search', path: '/search?q=nha+o', role: 'politics', optional: true },
    ]

    // The share's denominator is the trivial route measured again just before and just after each
    // page, the mean of the two: this machine's speed drifts (the trivial route was seen at 12,000
    // and at 25,000 req/s minutes apart, and its cost per request doubled within a minute), and a
    // ceiling from the start of a long run would compare pages with another machine; one taken on
    // one side only was off by as much as the drift within the page's own seconds.
    const ceilingSeconds = Math.min(args.duration, args.quick ? 0.5 : 2)
    let ceiling = 0
    for (const page of pages) {
      const cookie = cookies[page.role] ?? ''
      const { status, sql } = await probe(server.base, page.path, cookie)
      if (status !== 200) {
        if (status === 404 && page.optional) {
          results.push({ ...page, status, rps: 0, p50: 0, p99: 0, sql, shareOfCeiling: 0, errors: 0, note: 'not built yet' })
          console.log(`${page.name.padEnd(32)} ${page.path}: 404, not built yet`)
          continue
        }
        throw new Error(`${page.name} (${page.path}) as ${page.role} answered ${status}`)
      }
      const isCeiling = page.path === '/healthz'
      const before = isCeiling ? 0 : (await load(server.base + '/healthz', '', ceilingSeconds)).requests.average
      const cpu0 = cpuSeconds(server.child.pid!)
      const r = await load(server.base + page.path, cookie, args.duration)
      const cpuMs = ((cpuSeconds(server.child.pid!) - cpu0) * 1000) / Math.max(1, r.requests.total)
      const adjacent = isCeiling ? 0 : (before + (await load(server.base + '/healthz', '', ceilingSeconds)).requests.average) / 2
      const errors = r.errors + r.non2xx + r.timeouts
      if (isCeiling) ceiling = r.requests.average
      const denominator = isCeiling ? r.requests.average : adjacent
      const result: PageResult = {
        ...page,
        status,
        rps: Math.round(r.requests.average),
        p50: r.latency.p50,
        p99: r.latency.p99,
        sql,
        shareOfCeiling: denominator ? Math.round((r.requests.average / denominator) * 1000) / 10 : 0,
        errors,
        ceilingRps: Math.round(denominator),
        cpuMs: Math.round(cpuMs * 1000) / 1000,
      }
      results.push(result)
      console.log(
        `${page.name.padEnd(32)} ${String(result.rps).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  sql ${sql}  CPU ${result.cpuMs} ms/req  ${result.shareOfCeiling}% of ${result.ceilingRps}${errors ? `  ERRORS ${errors}` : ''}`,
      )
      if (errors) throw new Error(`${page.name}: ${errors} errors under load`)
    }

    const writeCeiling = (await load(server.base + '/healthz', '', ceilingSeconds)).requests.average
    const writes = await measureWrites(server.base, dbPath, cookies, args.duration, writeCeiling)
    // The budget's export is the whole database (nation: 1,000,000 concerns on the national
    // data); a province's export shows whether a row's cost depends on the database's size.
    // --quick reads the first seconds of each.
    const csvLimit = args.quick ? 5 : null
    const csv = { nation: await measureCsv(server, cookies.nation!, csvLimit), province: await measureCsv(server, cookies.politics!, csvLimit) }
    const record = {
      date: new Date().toISOString(),
      scale: args.scale,
      quick: args.quick,
      durationPerPageS: args.duration,
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}`,
      startupMs: Math.round(server.startupMs),
      peakRssMiB: Math.round(server.peakRssMiB()),
      csv,
      pages: results,
      writes,
    }
    const outFile = args.out ?? path.join('bench', 'results', `${record.date.slice(0, 10)}-${args.scale}${args.quick ? '-quick' : ''}.json`)
    fs.mkdirSync(path.dirname(outFile), { recursive: true })
    fs.writeFileSync(outFile, JSON.stringify(record, null, 2) + '\n')
    if (!args.noReadme) writeReadme()
    console.log(`\nStart-up ${record.startupMs} ms, peak memory ${record.peakRssMiB} MiB. Results: ${outFile}, bench/README.md`)
    return { file: outFile, results }
  } finally {
    await server.stop()
  }
}

export interface CsvResult {
  rows: number
  rowsPerS: number
  seconds: number
  /** True when only the first seconds of the export were read (--quick). */
  partial: boolean
  rssStartMiB: number
  rssMaxMiB: number
}

/** What bench:data wrote beside a dataset (FILE.json): the province's id and the current quarter. */
function readDatasetMeta(dbPath: string): { provinceId: number; currentQuarter: string; runningQuarter: string } {
  let m: { provinceId?: number; currentQuarter?: string; today?: string } = {}
  try {
    m = JSON.parse(fs.readFileSync(dbPath + '.json', 'utf8')) as typeof m
  } catch {
    // a dataset made elsewhere: the national layout's first province
  }
  const today = m.today ?? new Date().toISOString().slice(0, 10)
  // The quarter still running on the dataset's day: no report of it is submitted, so its page
  // shows the figures counted live from the records (computeStats), as a unit drafting it sees them.
  return { provinceId: m.provinceId ?? 2, currentQuarter: m.currentQuarter ?? '2026-Q3', runningQuarter: periodContaining('quarter', today).key }
}

/**
 * Download the concern export, timing rows per second and sampling the server's memory; with
 * `maxSeconds` stop reading after that long (the rate of a partial read is still the rate).
 */
async function measureCsv(server: Server, cookie: string, maxSeconds: number | null): Promise<CsvResult | null> {
  const pid = server.child.pid!
  const rssStart = readKb(pid, 'VmRSS') / 1024
  let rssMax = rssStart
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, readKb(pid, 'VmRSS') / 1024)
  }, 50)
  const t0 = performance.now()
  try {
    // node:http rather than fetch: a partial read must close the connection, as a browser's
    // cancelled download does (undici keeps it open, so the server's stream waits, paused, and
    // its shutdown waits for it).
    const result = await new Promise<{ status: number; rows: number; partial: boolean }>((resolve, reject) => {
      const req = http.get(server.base + '/issues.csv', { headers: { cookie } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume()
          resolve({ status: res.statusCode ?? 0, rows: 0, partial: false })
          return
        }
        let rows = 0
        let quoted = false // a line break inside a quoted cell does not end a record
        res.on('data', (chunk: Buffer) => {
          for (let i = 0; i < chunk.length; i++) {
            if (chunk[i] === 34) quoted = !quoted
            else if (chunk[i] === 10 && !quoted) rows++
          }
          if (maxSeconds !== null && performance.now() - t0 > maxSeconds * 1000) {
            req.destroy()
            resolve({ status: 200, rows, partial: true })
          }
        })
        res.on('end', () => resolve({ status: 200, rows, partial: false }))
        res.on('error', reject)
      })
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)))
    })
    if (result.status === 404) return null
    if (result.status !== 200) throw new Error(`/issues.csv answered ${result.status}`)
    const seconds = (performance.now() - t0) / 1000
    const rows = Math.max(0, result.rows - 1) // the header line
    const partial = result.partial
    console.log(`/issues.csv: ${rows} rows${partial ? ' (first seconds only)' : ''} in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s; server memory ${rssStart.toFixed(0)} → max ${rssMax.toFixed(0)} MiB`)
    return { rows, rowsPerS: Math.round(rows / seconds), seconds: Math.round(seconds * 10) / 10, partial, rssStartMiB: Math.round(rssStart), rssMaxMiB: Math.round(rssMax) }
  } finally {
    clearInterval(sampler)
  }
}

// ----- the write mix -------------------------------------------------------------------------------

/** Seconds of the concern write mix run before the measured ones, not recorded. */
const WRITE_WARMUP_S = 2

export interface WriteResult extends Measured {
  requests: number
}


class WriteLog {
  private times = new Map<string, number[]>()
  private sql = new Map<string, number[]>()
  errors = new Map<string, number>()
  add(kind: string, ms: number, sql: number) {
    this.times.set(kind, [...(this.times.get(kind) ?? []), ms])
    this.sql.set(kind, [...(this.sql.get(kind) ?? []), sql])
  }
  fail(kind: string) {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1)
  }
  result(kind: string, meta: { name: string; path: string; role: string }, seconds: number, ceiling: number): WriteResult {
    const t = [...(this.times.get(kind) ?? [])].sort((a, b) => a - b)
    const q = [...(this.sql.get(kind) ?? [])].sort((a, b) => a - b)
    const rps = t.length / seconds
    return {
      ...meta,
      requests: t.length,
      rps: Math.round(rps),
      p50: Math.round(percentile(t, 0.5) * 10) / 10,
      p99: Math.round(percentile(t, 0.99) * 10) / 10,
      sql: q.length ? q[Math.floor(q.length / 2)]! : -1,
      shareOfCeiling: ceiling ? Math.round((rps / ceiling) * 1000) / 10 : 0,
      errors: this.errors.get(kind) ?? 0,
    }
  }
}

/** POST a form (with the session's CSRF token); returns the status, the redirect target and the SQL count. */
async function post(base: string, p: string, cookie: string, form: Record<string, string>): Promise<{ status: number; location: string; sql: number; ms: number }> {
  const t0 = performance.now()
  const res = await fetch(base + p, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
  })
  await res.arrayBuffer()
  return { status: res.status, location: res.headers.get('location') ?? '', sql: Number(res.headers.get('x-sql-statements') ?? -1), ms: performance.now() - t0 }
}

async function csrfOf(base: string, p: string, cookie: string): Promise<string> {
  const html = await (await fetch(base + p, { headers: { cookie } })).text()
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error(`no CSRF token on ${p}`)
  return token
}

/**
 * The write mix, through the real forms as the roles that do these things, for `seconds` each:
 * (1) the commune leader records a concern and moves it through its lifecycle (start, answer,
 * close with the raiser's satisfaction), ten at a time; (2) the commune leader submits the
 * commune's ad-hoc report and political staff return it for revision, one after the other (a
 * report goes up once at a time). Each request's latency and SQL statements are recorded like the
 * pages'. What it leaves behind keeps a re-run working: closed concerns (a few thousand more of a
 * million) and one ad-hoc report, returned, with a longer history; the regular reports, the roll-up
 * and the summary's report counters are untouched.
 */
async function measureWrites(base: string, dbPath: string, cookies: Record<string, string>, seconds: number, ceiling: number): Promise<WriteResult[]> {
  const ro = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const unitId = ro.prepare(`SELECT unit_id FROM accounts WHERE username = 'unit'`).pluck().get() as number
    const categoryId = ro.prepare(`SELECT id FROM categories WHERE active = 1 ORDER BY id LIMIT 1`).pluck().get() as number
    const versionOf = ro.prepare(`SELECT version FROM reports WHERE unit_id = ? AND period = ? AND is_current = 1`).pluck()
    const unitCookie = cookies.unit!
    const politicsCookie = cookies.politics!
    const unitCsrf = await csrfOf(base, '/issues/new', unitCookie)
    const politicsCsrf = await csrfOf(base, '/reports', politicsCookie)
    let log = new WriteLog()
    const today = new Date().toISOString().slice(0, 10)

    // (1) Concerns, ten workers.
    let until = 0
    const step = async (kind: string, p: string, form: Record<string, string>) => {
      const r = await post(base, p, unitCookie, { _csrf: unitCsrf, ...form })
      if (r.status !== 303) {
        log.fail(kind)
        throw new Error(`${kind} (${p}) answered ${r.status}`)
      }
      log.add(kind, r.ms, r.sql)
      return r
    }
    const worker = async () => {
      while (performance.now() < until) {
        const created = await step('record', '/issues', {
          channel: 'briefing', dialogueId: '', raisedUnitId: String(unitId), responsibleUnitId: String(unitId), anonymous: 'on', raiserGroup: 'officer',
          categoryId: String(categoryId), summary: 'Đề nghị bổ sung phương tiện tuần tra (bench)', detail: '', priority: 'normal', scope: 'personal', raisedOn: today,
        })
        const id = /\/issues\/(\d+)$/.exec(created.location)?.[1]
        if (!id) throw new Error(`recording a concern redirected to ${created.location}`)
        await step('start', `/issues/${id}/act`, { version: '1', action: 'start', note: '' })
        await step('answer', `/issues/${id}/act`, { version: '2', action: 'answer', note: '', reply: 'Đơn vị đã xem xét và trả lời.', resolution: 'resolved' })
        await step('close', `/issues/${id}/act`, { version: '3', action: 'close', note: '', satisfaction: 'satisfied' })
      }
    }
    // A warm-up first, not recorded, as each page gets its probe request: the first writes prepare
    // the statements (an INSERT or UPDATE compiles every trigger body of its table) and fill the
    // caches, and those first seconds were most of the p99 of a ten-second run.
    until = performance.now() + Math.min(WRITE_WARMUP_S, seconds) * 1000
    await Promise.all(Array.from({ length: 10 }, worker))
    log = new WriteLog()
    until = performance.now() + seconds * 1000
    const t0 = performance.now()
    await Promise.all(Array.from({ length: 10 }, worker))
    const concernSeconds = (performance.now() - t0) / 1000

    // (2) The ad-hoc report: submit (commune leader), return (political staff), again.
    const period = `adhoc-${today.slice(0, 8)}01`
    const reportPath = `/reports/${unitId}/${period}`
    const content = {
      classification: 'stable', aspect_ideology: 'stable', aspect_discipline: 'stable', aspect_opinion: 'stable', tone: 'positive', rationale: '',
      s_situation: 'Tình hình đơn vị ổn định (bench).', s_results: '', s_opinion: '', s_issues: '', s_assessment: 'Ổn định.', s_tasks: '', s_proposals: '',
    }
    // Start it once (a first save) so it exists; a re-run finds it returned and goes on.
    if (versionOf.get(unitId, period) === undefined) await post(base, reportPath, unitCookie, { _csrf: unitCsrf, intent: 'save', version: '0', ...content })
    const until2 = performance.now() + seconds * 1000
    const t1 = performance.now()
    while (performance.now() < until2) {
      const v = versionOf.get(unitId, period) as number | undefined
      const sub = await post(base, reportPath, unitCookie, { _csrf: unitCsrf, intent: 'submit', version: String(v ?? 0), ...content })
      if (sub.status !== 303) {
        log.fail('submit')
        throw new Error(`submitting ${reportPath} answered ${sub.status}`)
      }
      log.add('submit', sub.ms, sub.sql)
      const back = await post(base, reportPath + '/review', politicsCookie, { _csrf: politicsCsrf, decision: 'return', comment: 'Đề nghị bổ sung (bench).', version: String(versionOf.get(unitId, period)) })
      if (back.status !== 303) {
        log.fail('return')
        throw new Error(`returning ${reportPath} answered ${back.status}`)
      }
      log.add('return', back.ms, back.sql)
    }
    const reportSeconds = (performance.now() - t1) / 1000
    const results = [
      log.result('record', { name: 'record a concern', path: 'POST /issues', role: 'unit' }, concernSeconds, ceiling),
      log.result('start', { name: 'start it', path: 'POST /issues/:id/act', role: 'unit' }, concernSeconds, ceiling),
      log.result('answer', { name: 'answer it', path: 'POST /issues/:id/act', role: 'unit' }, concernSeconds, ceiling),
      log.result('close', { name: 'close it', path: 'POST /issues/:id/act', role: 'unit' }, concernSeconds, ceiling),
      log.result('submit', { name: 'submit a report', path: 'POST /reports/:unit/:period', role: 'unit' }, reportSeconds, ceiling),
      log.result('return', { name: 'return it', path: 'POST /reports/:unit/:period/review', role: 'politics' }, reportSeconds, ceiling),
    ]
    for (const r of results) console.log(`${(r.name + ' (write)').padEnd(32)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  sql ${r.sql}  ${r.requests} requests`)
    return results
  } finally {
    ro.close()
  }
}

// ----- the README table ----------------------------------------------------------------------------

interface RunRecord {
  date: string
  scale: string
  quick: boolean
  machine: string
  startupMs: number
  peakRssMiB: number
  durationPerPageS: number
  /** The whole database's export (the nation account) and one province's (politics). */
  csv: { nation: CsvResult | null; province: CsvResult | null } | null
  pages: PageResult[]
  writes?: WriteResult[]
}

/** The latest result file of a scale (by the date recorded in it), or null. */
export function latestResult(scale: string, dir = path.join('bench', 'results')): RunRecord | null {
  if (!fs.existsSync(dir)) return null
  let best: RunRecord | null = null
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json')) continue
    try {
      const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as RunRecord
      if (r.scale === scale && Array.isArray(r.pages) && (!best || r.date > best.date)) best = r
    } catch {
      // not a result file
    }
  }
  return best
}

/**
 * A page whose cost grows with the total number of records: its national p50 is well above its
 * province p50 (more than twice, and by more than 2 ms, so timer noise on fast pages does not count).
 */
export function grows(province: { p50: number } | undefined, national: { p50: number } | undefined): boolean {
  return !!province && !!national && national.p50 > 2 * province.p50 && national.p50 - province.p50 > 2
}

/** The results table: province and national side by side, from the latest result file of each. */
export function readmeTable(province: RunRecord | null, national: RunRecord | null): string[] {
  const runLine = (r: RunRecord | null, scale: string) =>
    r
      ? `- ${scale}: ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.quick ? ' (quick)' : ''}, ${r.durationPerPageS} s per page at concurrency 10; start-up ${r.startupMs} ms; server peak memory ${r.peakRssMiB} MiB; ${r.machine}.`
      : `- ${scale}: no run yet.`
  // By name and role: a page's path may name the dataset's own ids (the roll-up's province).
  const key = (x: { name: string; role: string }) => `${x.name}|${x.role}`
  const cell = (x: PageResult | WriteResult | undefined) =>
    !x
      ? '— | — | — | — | — | —'
      : 'note' in x && x.note
        ? `— | — | — | — | — | ${x.note}`
        : `${x.rps} | ${x.p50} | ${x.p99} | ${x.sql} | ${'cpuMs' in x && x.cpuMs !== undefined ? x.cpuMs.toFixed(2) : '—'} | ${x.shareOfCeiling}`
  const rows = (list: (r: RunRecord) => (PageResult | WriteResult)[]) => {
    const p = province ? list(province) : []
    const n = national ? list(national) : []
    const names = [...new Map([...n, ...p].map((x) => [key(x), x])).values()]
    return names.map((x) => {
      const a = p.find((y) => key(y) === key(x))
      const b = n.find((y) => key(y) === key(x))
      const mark = grows(a, b) ? ' **↑ grows**' : ''
      const where = x.path.startsWith('POST ') ? x.path : `\`${x.path}\``
      return `| ${x.name} (${where})${mark} | ${x.role} | ${cell(a)} | ${cell(b)} |`
    })
  }
  const one = (c: CsvResult | null | undefined) =>
    c ? `${c.rows.toLocaleString('en')} rows${c.partial ? ' (first seconds)' : ''}, ${c.rowsPerS.toLocaleString('en')} rows/s, server memory ${c.rssStartMiB} → ${c.rssMaxMiB} MiB` : '—'
  const csv = (r: RunRecord | null) => (r?.csv ? `every concern (nation account) ${one(r.csv.nation)}; one province (politics) ${one(r.csv.province)}` : '—')
  return [
    'Latest result file of each scale:',
    runLine(province, 'province'),
    runLine(national, 'national'),
    '',
    'Each side: req/s | p50 ms | p99 ms | SQL statements per request | the server\'s CPU ms per request | % of the ceiling (the trivial route measured just before and just after the page, the mean: the machine\'s speed drifts). **↑ grows**: the national p50 is more than twice the province p50 (and 2 ms more): the page\'s cost grows with the total number of records.',
    '',
    '| page | role | province req/s | p50 | p99 | SQL | CPU | % | national req/s | p50 | p99 | SQL | CPU | % |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows((r) => r.pages),
    '',
    `Writes through the real forms (CSRF, as the role that does it): a concern recorded and taken through its lifecycle by ten clients at once, measured after ${WRITE_WARMUP_S} s of the same mix unrecorded (as each page is measured after a probe request); a report submitted and returned, one at a time.`,
    '',
    '| write | role | province req/s | p50 | p99 | SQL | CPU | % | national req/s | p50 | p99 | SQL | CPU | % |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows((r) => r.writes ?? []),
    '',
    `CSV export (/issues.csv) on the province dataset: ${csv(province)}.`,
    '',
    `CSV export (/issues.csv) on the national dataset: ${csv(national)}.`,
  ]
}

export function writeReadme(): void {
  const file = path.join('bench', 'README.md')
  const start = '<!-- results:start -->'
  const end = '<!-- results:end -->'
  const lines = [start, ...readmeTable(latestResult('province'), latestResult('national')), end]
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n' + start + '\n' + end + '\n'
  const a = text.indexOf(start)
  const b = text.indexOf(end)
  text = a >= 0 && b > a ? text.slice(0, a) + lines.join('\n') + text.slice(b + end.length) : text + '\n' + lines.join('\n') + '\n'
  fs.writeFileSync(file, text)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await runBench(parseArgs(process.argv.slice(2)))
  } catch (e) {
    console.error(`\nBENCH FAILED: ${(e as Error).message}`)
    process.exit(1)
  }
}
