/** `npm run bench:data -- --scale province|national [--out FILE]`: build a benchmark dataset. */
import { datasetPath, generate, type Scale } from './generate.js'

const argv = process.argv.slice(2)
let scale: Scale = 'province'
let out: string | null = null
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--scale') scale = argv[++i] as Scale
  else if (argv[i] === '--out') out = argv[++i] ?? null
  else {
    console.error(`unknown argument ${argv[i]}\nusage: npm run bench:data -- --scale province|national [--out FILE]`)
    process.exit(64)
  }
}
if (scale !== 'province' && scale !== 'national') {
  console.error('--scale is province or national')
  process.exit(64)
}
await generate(scale, out ?? datasetPath(scale))
