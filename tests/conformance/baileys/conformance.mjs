// Baileys (npm baileys@7.0.0-rc14) as an independent WhatsApp client against a running atende-wasim
// (issue 5 item 7; PROTOCOL.md §13): fresh credentials → registration → QR via connection.update → the
// simulator's admin scan → pair-success → 515 → a new socket with the same credentials → login → prekey
// upload → connection "open". Exits 0 only when the simulator reports the device connected with prekeys;
// otherwise non-zero with a message saying which step failed.
//
// Usage: node conformance.mjs <ws-url> <admin-url> [trust-root-hex]
//    or: WASIM_WS_URL=… WASIM_ADMIN_URL=… [WASIM_TRUST_ROOT=…] node conformance.mjs
import makeWASocket, { WA_CERT_DETAILS, initAuthCreds } from 'baileys'

const wsUrl = process.argv[2] || process.env.WASIM_WS_URL
const adminUrl = process.argv[3] || process.env.WASIM_ADMIN_URL
const trustRoot = process.argv[4] || process.env.WASIM_TRUST_ROOT || ''
const timeoutMs = Number(process.env.WASIM_BAILEYS_TIMEOUT_MS || 60000)

function fail(step, detail) {
    console.error(`baileys conformance FAILED at ${step}: ${detail}`)
    process.exit(1)
}

if (!wsUrl || !adminUrl) fail('arguments', 'need the ws URL and the admin URL (argv or WASIM_WS_URL/WASIM_ADMIN_URL)')

// The simulator's CA issues the intermediate with issuerSerial 0 (§13.3). Baileys checks only that serial;
// its signature check never fails, so the trust root is set for completeness, not because it is verified.
WA_CERT_DETAILS.SERIAL = 0
if (/^[0-9a-f]{64}$/i.test(trustRoot)) WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(trustRoot, 'hex')

let logger
try {
    const { default: pino } = await import('pino')
    logger = pino({ level: process.env.WASIM_BAILEYS_LOG || 'silent' })
} catch {
    const nop = () => {}
    logger = { level: 'silent', child: () => logger, trace: nop, debug: nop, info: nop, warn: nop, error: nop, fatal: nop }
}

// In-memory Signal key store (Baileys' SignalKeyStore interface).
const store = {}
const keys = {
    async get(type, ids) {
        const out = {}
        for (const id of ids) {
            const value = store[type]?.[id]
            if (value !== undefined) out[id] = value
        }
        return out
    },
    async set(data) {
        for (const type of Object.keys(data)) {
            store[type] ??= {}
            for (const id of Object.keys(data[type])) {
                const value = data[type][id]
                if (value === null || value === undefined) delete store[type][id]
                else store[type][id] = value
            }
        }
    },
}

const creds = initAuthCreds()
const steps = []
let scanned = false
let restarts = 0
let finished = false
let sock

const timer = setTimeout(() => fail('timeout', `no success within ${timeoutMs} ms; steps so far: ${steps.join(' → ')}`), timeoutMs)

async function admin(method, path, body) {
    const response = await fetch(new URL(path, adminUrl), { method, body })
    const text = await response.text()
    let json
    try { json = JSON.parse(text) } catch { json = { raw: text } }
    return { status: response.status, json }
}

async function verifyOpen() {
    const jid = creds.me?.id
    if (!jid) fail('open', 'connection open but creds.me is not set')
    const device = jid.replace(/@.*/, '')
    // Prekeys are uploaded right after <success>; give the upload a moment to land.
    for (let i = 0; i < 50; ++i) {
        const { status, json } = await admin('GET', `/admin/devices/${encodeURIComponent(device)}`)
        if (status === 200 && json.connected && json.prekeys > 0) {
            steps.push(`prekeys=${json.prekeys}`)
            return json
        }
        await new Promise(resolve => setTimeout(resolve, 200))
    }
    fail('prekeys', `simulator does not report ${device} connected with prekeys`)
}

function start() {
    sock = makeWASocket({
        auth: { creds, keys },
        waWebSocketUrl: wsUrl,
        logger,
        printQRInTerminal: false,
        browser: ['Atende conformance', 'Chrome', '1.0'],
        shouldSyncHistoryMessage: () => false,
        fireInitQueries: false,
        markOnlineOnConnect: false,
        connectTimeoutMs: 20000,
    })
    sock.ev.on('creds.update', update => Object.assign(creds, update))
    sock.ev.on('connection.update', async update => {
        try {
            if (update.qr && !scanned) {
                scanned = true
                steps.push('qr')
                const { status, json } = await admin('POST', '/admin/scan', update.qr)
                if (status !== 200) fail('scan', `admin scan answered ${status} ${JSON.stringify(json)}`)
                steps.push(`scanned→${json.jid}`)
            }
            if (update.connection === 'close' && !finished) {
                const code = update.lastDisconnect?.error?.output?.statusCode
                if (code === 515 && restarts === 0 && scanned) {
                    restarts += 1
                    steps.push('515')
                    start()
                    return
                }
                fail('connection', `closed with status ${code} (${update.lastDisconnect?.error?.message}); steps: ${steps.join(' → ')}`)
            }
            if (update.connection === 'open' && !finished) {
                steps.push('open')
                const device = await verifyOpen()
                finished = true
                clearTimeout(timer)
                console.log(`baileys conformance OK: ${steps.join(' → ')} (device ${device.jid})`)
                sock.end(undefined)
                setTimeout(() => process.exit(0), 100)
            }
        } catch (error) {
            fail('handler', error?.stack || String(error))
        }
    })
}

start()
