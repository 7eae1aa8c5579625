/**
 * `npm run bench:load -- [--sessions 200] [--duration 60] [--data FILE]`
 *
 * A load test on loopback: many signed-in sessions at once, each looping over a mix of page
 * reads and writes (a new person in the register, a profile edit) for a fixed time. Any error —
 * a 5xx, a refused connection, an unexpected status — is counted; the run fails unless there
 * are none. Figures go to bench/results/<date>-load.json and bench/README.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { HttpClient, startServerProcess } from '../../test/scripts/server-process.js'
import { BENCH_PASSWORD, datasetPath, generate } from './generate.js'
import { percentile } from './percentile.js'

export interface LoadResult {
  sessions: number
  durationS: number
  requests: number
  reads: number
  writes: number
  errors: number
  errorSamples: string[]
  rps: number
  p50: number
  p99: number
  peakRssMiB: number
}


export async function runLoad(opts: { sessions: number; durationS: number; data?: string; record?: boolean }): Promise<LoadResult> {
  const source = opts.data ?? datasetPath('province')
  if (!fs.existsSync(source)) await generate('province', source)
  // Work on a copy: the writes must not change the shared dataset.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-load-'))
  const dbPath = path.join(dir, 'load.sqlite')
  fs.copyFileSync(source, dbPath)
  const server = await startServerProcess({ DB_PATH: dbPath, LOG_LEVEL: 'warn', LOGIN_RATE_PER_MINUTE: '100000', LOGIN_MAX_FAILURES: '100' }, 60_000)
  const latencies: number[] = []
  const errors: string[] = []
  let reads = 0
  let writes = 0
  let peak = 0
  const sampler = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))
      if (m) peak = Math.max(peak, Number(m[1]) / 1024)
    } catch {
      /* the process is gone */
    }
  }, 200)
  try {
    const roles = ['politics', 'admin', 'leader', 'dept', 'unit']
    const clients: HttpClient[] = []
    // Sign in a few at a time: argon2 is deliberately slow, and this is set-up, not the test.
    for (let i = 0; i < opts.sessions; i += 10) {
      const batch = Array.from({ length: Math.min(10, opts.sessions - i) }, async (_, j) => {
        const c = new HttpClient(server.base)
        await c.login(roles[(i + j) % roles.length]!, BENCH_PASSWORD)
        return c
      })
      clients.push(...(await Promise.all(batch)))
    }
    const readPaths = ['/', '/people', '/people?q=nguyen', '/units', '/issues', '/dialogues', '/account']
    const deadline = Date.now() + opts.durationS * 1000
    let seq = 0
    const session = async (c: HttpClient, n: number) => {
      while (Date.now() < deadline) {
        const t0 = performance.now()
        try {
          if (n % 5 === 0 && (seq++ % 4 === 0)) {
            // A write: a new person in the register (political staff and admins may).
            const form = await c.get('/people/new')
            if (form.status !== 200) throw new Error(`GET /people/new ${form.status}`)
            const unitId = /<option value="(\d+)"[^>]*>/.exec(form.body.slice(form.body.indexOf('name="unitId"')))?.[1] ?? '1'
            const res = await c.post('/people/new', {
              staffNo: `LD${n}-${seq}`, fullName: `Cán bộ thử tải ${n} ${seq}`, sex: 'M', birthYear: '1996', rank: 'thuong_uy', branch: 'professional',
              unitId, party: 'none', youthUnion: 'member', status: 'serving',
            })
            if (res.status !== 303) throw new Error(`POST /people/new ${res.status}`)
            writes++
          } else {
            const p = readPaths[(n + seq++) % readPaths.length]!
            const res = await c.get(p)
            if (res.status !== 200 && !(res.status === 404 && (p.startsWith('/issues') || p.startsWith('/dialogues')))) throw new Error(`GET ${p} ${res.status}`)
            reads++
          }
          latencies.push(performance.now() - t0)
        } catch (e) {
          errors.push((e as Error).message)
        }
      }
    }
    // Only political staff and admins write; the rest read.
    await Promise.all(clients.map((c, i) => session(c, i % 5 === 0 ? i : i * 5 + 1)))
  } finally {
    clearInterval(sampler)
    await server.kill()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  latencies.sort((a, b) => a - b)
  const requests = latencies.length
  const result: LoadResult = {
    sessions: opts.sessions,
    durationS: opts.durationS,
    requests,
    reads,
    writes,
    errors: errors.length,
    errorSamples: [...new Set(errors)].slice(0, 5),
    rps: Math.round(requests / opts.durationS),
    p50: Math.round(percentile(latencies, 0.5)),
    p99: Math.round(percentile(latencies, 0.99)),
    peakRssMiB: Math.round(peak),
  }
  if (opts.record) {
    const file = path.join('bench', 'results', `${new Date().toISOString().slice(0, 10)}-load.json`)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: `${os.cpus().length} × ${os.cpus()[0]?.model}`, ...result }, null, 2) + '\n')
    const readme = path.join('bench', 'README.md')
    const [start, end] = ['<!-- load:start -->', '<!-- load:end -->']
    const block = `${start}\nLoad test (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): ${result.sessions} signed-in sessions for ${result.durationS} s, ${result.requests} requests (${result.reads} reads, ${result.writes} writes), ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, **${result.errors} errors**, server peak memory ${result.peakRssMiB} MiB.\n${end}`
    let text = fs.readFileSync(readme, 'utf8')
    const a = text.indexOf(start)
    const b = text.indexOf(end)
    text = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : text.trimEnd() + '\n\n' + block + '\n'
    fs.writeFileSync(readme, text)
  }
  return result
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2)
  const get = (name: string, dflt: number) => {
    const i = argv.indexOf(name)
    return i >= 0 ? Number(argv[i + 1]) : dflt
  }
  const dataIdx = argv.indexOf('--data')
  const r = await runLoad({ sessions: get('--sessions', 200), durationS: get('--duration', 60), data: dataIdx >= 0 ? argv[dataIdx + 1] : undefined, record: true })
  console.log(JSON.stringify(r, null, 2))
  if (r.errors > 0) {
    console.error(`LOAD TEST FAILED: ${r.errors} errors`)
    process.exit(1)
  }
}
