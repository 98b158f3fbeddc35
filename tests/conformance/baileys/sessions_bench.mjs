// Baileys side of the WhatsApp sessions benchmark (issue 5 item 9): N Baileys sockets in ONE Node process,
// each paired by QR with atende-wasim (the simulator's phone scans it), then left idle and connected.
// Prints resident memory and V8 heap per idle connected socket and the CPU used while idle, and a last
// line of JSON for atende_wa_sessions_bench, which runs this against the same simulator for a side-by-side.
//
// Usage: node [--expose-gc] sessions_bench.mjs <ws-url> <admin-url> <trust-root-hex> <sessions> <idle-seconds>
import makeWASocket, { WA_CERT_DETAILS, initAuthCreds } from 'baileys'

const [wsUrl, adminUrl, trustRoot, countArg, idleArg] = process.argv.slice(2)
const count = Number(countArg || 100)
const idleSeconds = Number(idleArg || 10)
const wave = Number(process.env.BAILEYS_BENCH_WAVE || 10)
if (!wsUrl || !adminUrl || !(count > 0)) {
    console.error('usage: node sessions_bench.mjs <ws-url> <admin-url> <trust-root-hex> <sessions> <idle-seconds>')
    process.exit(2)
}
WA_CERT_DETAILS.SERIAL = 0
if (/^[0-9a-f]{64}$/i.test(trustRoot || '')) WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(trustRoot, 'hex')

const { default: pino } = await import('pino')
const logger = pino({ level: 'silent' })
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
const gc = () => { if (globalThis.gc) { globalThis.gc(); globalThis.gc() } }

async function admin(method, path, body) {
    const response = await fetch(new URL(path, adminUrl), {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
    })
    return { status: response.status, json: await response.json().catch(() => ({})) }
}

function memoryKeys() {
    const store = {}
    return {
        async get(type, ids) {
            const out = {}
            for (const id of ids) if (store[type]?.[id] !== undefined) out[id] = store[type][id]
            return out
        },
        async set(data) {
            for (const type of Object.keys(data)) {
                store[type] ??= {}
                for (const [id, value] of Object.entries(data[type])) {
                    if (value === null || value === undefined) delete store[type][id]
                    else store[type][id] = value
                }
            }
        },
    }
}

// One account: fresh credentials, QR → scan by the phone `phone` → 515 → a new socket → open.
function pair(phone) {
    const creds = initAuthCreds()
    const keys = memoryKeys()
    const account = { open: false, sock: null, closedWith: null }
    return new Promise(resolve => {
        let scanned = false
        const start = () => {
            const sock = makeWASocket({
                auth: { creds, keys }, waWebSocketUrl: wsUrl, logger, printQRInTerminal: false,
                browser: ['Atende bench', 'Chrome', '1.0'], shouldSyncHistoryMessage: () => false,
                fireInitQueries: false, markOnlineOnConnect: false, connectTimeoutMs: 60000,
            })
            account.sock = sock
            sock.ev.on('creds.update', update => Object.assign(creds, update))
            sock.ev.on('connection.update', async update => {
                if (update.qr && !scanned) {
                    scanned = true
                    await admin('POST', '/admin/scan', { qr: update.qr, phone })
                }
                if (update.connection === 'open') {
                    account.open = true
                    resolve(account)
                }
                if (update.connection === 'close') {
                    const code = update.lastDisconnect?.error?.output?.statusCode
                    if (code === 515 && !account.open) return start()
                    account.open = false
                    account.closedWith = code
                    resolve(account)
                }
            })
        }
        start()
    })
}

const phones = Array.from({ length: count }, (_, i) => `1666${String(i).padStart(7, '0')}`)
for (const phone of phones) await admin('POST', '/admin/users', { phone, push_name: `Baileys ${phone}` })
await sleep(500)
gc()
const base = process.memoryUsage()
const t0 = Date.now()
const accounts = []
for (let i = 0; i < count; i += wave) accounts.push(...await Promise.all(phones.slice(i, i + wave).map(pair)))
const pairSeconds = (Date.now() - t0) / 1000
const cpu0 = process.cpuUsage()
const idleStart = Date.now()
await sleep(idleSeconds * 1000)
const cpu = process.cpuUsage(cpu0)
const idleWall = (Date.now() - idleStart) / 1000
gc()
const after = process.memoryUsage()
const open = accounts.filter(a => a.open).length
const perSession = (a, b) => (b - a) / 1024 / Math.max(open, 1)
const result = {
    client: 'baileys@7.0.0-rc14', sessions: count, open, pair_seconds: pairSeconds,
    rss_kib_per_session: perSession(base.rss, after.rss),
    heap_kib_per_session: perSession(base.heapUsed + base.external, after.heapUsed + after.external),
    idle_cpu_percent: 100 * (cpu.user + cpu.system) / 1e6 / idleWall,
}
console.log(`baileys_sessions sessions=${count} open=${open} paired in ${pairSeconds.toFixed(1)} s`)
console.log(`  idle: rss ${(base.rss / 1024).toFixed(0)} -> ${(after.rss / 1024).toFixed(0)} KiB = ` +
    `${result.rss_kib_per_session.toFixed(1)} KiB/session; heap+external ${result.heap_kib_per_session.toFixed(1)} ` +
    `KiB/session; idle CPU ${result.idle_cpu_percent.toFixed(1)} % of one core`)
console.log(JSON.stringify(result))
for (const a of accounts) a.sock?.end(undefined)
setTimeout(() => process.exit(open === count ? 0 : 1), 200)
