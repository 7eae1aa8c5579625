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
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { BENCH_PASSWORD, datasetPath, generate, type Scale } from './generate.js'

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

export interface PageResult {
  name: string
  path: string
  role: string
  status: number
  rps: number
  p50: number
  p99: number
  sql: number
  shareOfCeiling: number
  errors: number
  note?: string
}

interface Server {
  base: string
  child: ChildProcess
  startupMs: number
  peakRssMiB: () => number
  stop: () => Promise<void>
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

async function startServer(dbPath: string, runtime: 'dist' | 'tsx'): Promise<Server> {
  const t0 = performance.now()
  const entry = runtime === 'dist' ? ['dist/server/server.js'] : ['--import', 'tsx', 'server/server.ts']
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
async function signIn(base: string, username: string): Promise<string> {
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
  const server = await startServer(dbPath, args.runtime)
  console.log(`Server up in ${server.startupMs.toFixed(0)} ms at ${server.base} on ${dbPath}`)
  const results: PageResult[] = []
  try {
    const cookies: Record<string, string> = { anonymous: '' }
    for (const role of ['admin', 'leader', 'politics', 'dept', 'unit', 'nation']) cookies[role] = await signIn(server.base, role)
    const meta = (await (await fetch(server.base + '/healthz')).json()) as { status: string }
    if (meta.status !== 'ok') throw new Error('health check failed')

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
      { name: 'roll-up (province)', path: '/rollup/2/2026-Q3', role: 'politics', optional: true },
      { name: 'summary (province)', path: '/summary', role: 'leader', optional: true },
      { name: 'summary (nation)', path: '/summary', role: 'nation', optional: true },
      { name: 'summary (province, 36 months)', path: '/summary?from=2000-01', role: 'leader', optional: true },
      { name: 'summary (nation, border areas)', path: '/summary?area=border', role: 'nation', optional: true },
      { name: 'search', path: '/search?q=nha+o', role: 'politics', optional: true },
    ]

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
      const r = await load(server.base + page.path, cookie, args.duration)
      const errors = r.errors + r.non2xx + r.timeouts
      if (page.path === '/healthz') ceiling = r.requests.average
      const result: PageResult = {
        ...page,
        status,
        rps: Math.round(r.requests.average),
        p50: r.latency.p50,
        p99: r.latency.p99,
        sql,
        shareOfCeiling: ceiling ? Math.round((r.requests.average / ceiling) * 1000) / 10 : 100,
        errors,
      }
      results.push(result)
      console.log(`${page.name.padEnd(32)} ${String(result.rps).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  sql ${sql}  ${result.shareOfCeiling}% of ceiling${errors ? `  ERRORS ${errors}` : ''}`)
      if (errors) throw new Error(`${page.name}: ${errors} errors under load`)
    }

    // The budget's export is the whole database (nation: 1,000,000 concerns on the national
    // data); a province's export shows whether a row's cost depends on the database's size.
    const csv = { nation: await measureCsv(server, cookies.nation!), province: await measureCsv(server, cookies.politics!) }
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
    }
    const outFile = args.out ?? path.join('bench', 'results', `${record.date.slice(0, 10)}-${args.scale}${args.quick ? '-quick' : ''}.json`)
    fs.mkdirSync(path.dirname(outFile), { recursive: true })
    fs.writeFileSync(outFile, JSON.stringify(record, null, 2) + '\n')
    if (!args.noReadme) writeReadme(record)
    console.log(`\nStart-up ${record.startupMs} ms, peak memory ${record.peakRssMiB} MiB. Results: ${outFile}, bench/README.md`)
    return { file: outFile, results }
  } finally {
    await server.stop()
  }
}

/** Download the whole concern export, timing rows per second and sampling the server's memory. */
async function measureCsv(server: Server, cookie: string): Promise<{ rows: number; rowsPerS: number; rssStartMiB: number; rssMaxMiB: number } | null> {
  const pid = server.child.pid!
  const rssStart = readKb(pid, 'VmRSS') / 1024
  let rssMax = rssStart
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, readKb(pid, 'VmRSS') / 1024)
  }, 50)
  try {
    const t0 = performance.now()
    const res = await fetch(server.base + '/issues.csv', { headers: { cookie } })
    if (res.status === 404) return null
    if (res.status !== 200) throw new Error(`/issues.csv answered ${res.status}`)
    let rows = 0
    let quoted = false // a line break inside a quoted cell does not end a record
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] === 34) quoted = !quoted
        else if (chunk[i] === 10 && !quoted) rows++
      }
    }
    const seconds = (performance.now() - t0) / 1000
    rows = Math.max(0, rows - 1) // the header line
    console.log(`/issues.csv: ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s; server memory ${rssStart.toFixed(0)} → max ${rssMax.toFixed(0)} MiB`)
    return { rows, rowsPerS: Math.round(rows / seconds), rssStartMiB: Math.round(rssStart), rssMaxMiB: Math.round(rssMax) }
  } finally {
    clearInterval(sampler)
  }
}

function writeReadme(record: { date: string; scale: string; quick: boolean; machine: string; startupMs: number; peakRssMiB: number; durationPerPageS: number; csv: unknown; pages: PageResult[] }) {
  const file = path.join('bench', 'README.md')
  const start = '<!-- results:start -->'
  const end = '<!-- results:end -->'
  const lines = [
    start,
    `Latest run: ${record.date.slice(0, 16).replace('T', ' ')} UTC, scale **${record.scale}**${record.quick ? ' (quick)' : ''}, ${record.durationPerPageS} s per page at concurrency 10.`,
    `Machine: ${record.machine}. Start-up ${record.startupMs} ms; server peak memory ${record.peakRssMiB} MiB.`,
    '',
    '| page | role | req/s | p50 ms | p99 ms | SQL statements | % of ceiling |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...record.pages.map((p) => (p.note ? `| ${p.name} (\`${p.path}\`) | ${p.role} | — | — | — | — | ${p.note} |` : `| ${p.name} (\`${p.path}\`) | ${p.role} | ${p.rps} | ${p.p50} | ${p.p99} | ${p.sql} | ${p.shareOfCeiling} |`)),
    '',
    record.csv ? `CSV export: ${JSON.stringify(record.csv)}` : 'CSV export: not built yet.',
    end,
  ]
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
