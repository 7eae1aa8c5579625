/**
 * `npm run bench:cpu -- [--data FILE] [--as ROLE] [--seconds S] [--prof] PATH [PATH ...]`
 *
 * What one page costs the server under load: starts the production server (compiled, as
 * `npm run bench` does) on a dataset, signs in as a bench account (or `--as anonymous`), then
 * for each path: a 1 s warm-up, then S seconds of autocannon at concurrency 10, and prints
 * requests/s, p50/p99 and the server's CPU time per request (read from /proc: user + system of
 * the server process over the run, divided by the requests it answered). CPU per request is the
 * figure to work on: the throughput share of the trivial route is that figure's ratio to the
 * trivial route's own, and it moves far less than req/s when the machine's speed drifts.
 * With --prof the server writes a V8 CPU profile and the functions with the most time are
 * listed (self time, then inclusive). BENCH_NODE_ARGS="--flag …" passes flags to the server's node
 * (a V8 heap setting, say) to compare runs with and without them.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { datasetPath } from './generate.js'
import { cpuSeconds, signIn, startServer } from './run.js'

const argv = process.argv.slice(2)
let data = datasetPath('national')
let role = 'politics'
let seconds = 5
let prof = false
const paths: string[] = []
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!
  if (a === '--data') data = argv[++i]!
  else if (a === '--as') role = argv[++i]!
  else if (a === '--seconds') seconds = Number(argv[++i])
  else if (a === '--prof') prof = true
  else if (a.startsWith('/')) paths.push(a)
  else {
    console.error(`unknown argument ${a}\nusage: npm run bench:cpu -- [--data FILE] [--as ROLE] [--seconds S] [--prof] PATH [PATH ...]`)
    process.exit(64)
  }
}
if (!fs.existsSync(data)) {
  console.error(`no dataset at ${data}: run npm run bench:data -- --scale national first`)
  process.exit(66)
}
if (paths.length === 0) paths.push('/')

function load(url: string, cookie: string, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 10, duration, headers: cookie ? { cookie } : {} }, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-prof-'))
const server = await startServer(data, 'dist', [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)])
try {
  const cookie = role === 'anonymous' ? '' : await signIn(server.base, role)
  for (const p of paths) {
    await load(server.base + p, cookie, 1)
    const before = cpuSeconds(server.child.pid!)
    const r = await load(server.base + p, cookie, seconds)
    const cpu = cpuSeconds(server.child.pid!) - before
    const bad = r.errors + r.non2xx + r.timeouts
    console.log(
      `${p} as ${role}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
        `server CPU ${((cpu * 1000) / r.requests.total).toFixed(3)} ms/request (${Math.round((cpu / seconds) * 100)}% of a core)${bad ? `, ${bad} errors or non-2xx` : ''}`,
    )
  }
} finally {
  await server.stop()
}
if (prof) {
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
  if (file) printProfile(path.join(profDir, file))
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

/** The functions with the most self time and the most inclusive time in a V8 CPU profile (the start-up included). */
function printProfile(file: string, top = 30): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(process.cwd() + '/', '').replace('file://', '')}:${n.callFrame.lineNumber + 1}`
  const self = new Map<string, number>()
  const incl = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    total += dt
    const n = nodes.get(id)!
    self.set(name(n), (self.get(name(n)) ?? 0) + dt)
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(nodes.get(cur)!)
      if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + dt)
      seen.add(k)
    }
  })
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (% of ${(total / 1e6).toFixed(1)} s sampled, start-up included)`)
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((t / total) * 100).toFixed(1).padStart(6)}  ${k}`)
  }
  show('Self time', self)
  show('Inclusive time', incl)
  console.log(`\nProfile: ${file} (open it in Chrome DevTools' Performance panel)`)
}
