// Baileys (npm baileys@7.0.0-rc14) as BOTH ends of a conversation through atende-wasim (issue 6; PROTOCOL.md
// §6.4-§6.9, §7, §8, §12.1 items 8-10, §13). Two simulated users each link one Baileys socket; then:
//   1. A sends a text to B; B receives and decrypts exactly that text;
//   2. B's delivery receipt and read receipt reach A as message status updates;
//   3. A's typing (sendPresenceUpdate composing) reaches B as a presence update;
//   4. 20 messages each way: every side receives the other's 20 in order, no duplicates;
//   5. B goes offline (socket ended); A sends 5; the simulator holds them in B's outbox; B reconnects
//      with its saved auth state (useMultiFileAuthState) and gets all 5 exactly once; the outbox drains.
// The simulator only routes <enc> blobs, so this proves the relay is faithful without our Signal code.
// Exits 0 on success; otherwise non-zero naming the step that failed.
//
// Usage: node relay.mjs <ws-url> <admin-url> [trust-root-hex]
import makeWASocket, { WA_CERT_DETAILS, useMultiFileAuthState, jidNormalizedUser } from 'baileys'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const wsUrl = process.argv[2] || process.env.WASIM_WS_URL
const adminUrl = process.argv[3] || process.env.WASIM_ADMIN_URL
const trustRoot = process.argv[4] || process.env.WASIM_TRUST_ROOT || ''
const timeoutMs = Number(process.env.WASIM_BAILEYS_TIMEOUT_MS || 100000)
const workDir = mkdtempSync(join(tmpdir(), 'wasim-relay-'))
const steps = []

function fail(step, detail) {
    console.error(`baileys relay FAILED at ${step}: ${detail}; steps so far: ${steps.join(' → ')}`)
    rmSync(workDir, { recursive: true, force: true })
    process.exit(1)
}
if (!wsUrl || !adminUrl) fail('arguments', 'need the ws URL and the admin URL')
const overall = setTimeout(() => fail('timeout', `not done within ${timeoutMs} ms`), timeoutMs)

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

async function admin(method, path, body) {
    const response = await fetch(new URL(path, adminUrl), { method, body: body && JSON.stringify(body) })
    const text = await response.text()
    let json
    try { json = JSON.parse(text) } catch { json = { raw: text } }
    return { status: response.status, json }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
async function waitUntil(step, predicate, ms = 20000) {
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
        if (await predicate()) return
        await sleep(50)
    }
    fail(step, `condition not met within ${ms} ms`)
}

const textOf = m => m.message?.conversation ?? m.message?.extendedTextMessage?.text

// One simulated user with one Baileys companion. `received` = texts from the peer in arrival order.
function makePeer(name, phone) {
    return { name, phone, jid: `${phone}@s.whatsapp.net`, dir: join(workDir, name), sock: null, received: [],
             statuses: new Map(), presences: [], sent: new Map(), open: false }
}

async function connect(peer, { pair }) {
    const { state, saveCreds } = await useMultiFileAuthState(peer.dir)
    let restarted = false
    return new Promise((resolve, reject) => {
        const start = () => {
            const sock = makeWASocket({
                auth: state,
                waWebSocketUrl: wsUrl,
                logger,
                printQRInTerminal: false,
                browser: ['Atende relay ' + peer.name, 'Chrome', '1.0'],
                shouldSyncHistoryMessage: () => false,
                fireInitQueries: false,
                markOnlineOnConnect: true,
                connectTimeoutMs: 20000,
                getMessage: async key => peer.sent.get(key.id),
            })
            peer.sock = sock
            sock.ev.on('creds.update', saveCreds)
            sock.ev.on('connection.update', async update => {
                try {
                    if (update.qr && pair) {
                        pair = false
                        const { status, json } = await admin('POST', '/admin/scan', { qr: update.qr, phone: peer.phone })
                        if (status !== 200) reject(new Error(`scan answered ${status} ${JSON.stringify(json)}`))
                    }
                    if (update.connection === 'close') {
                        peer.open = false
                        const code = update.lastDisconnect?.error?.output?.statusCode
                        if (code === 515 && !restarted) {
                            restarted = true
                            start()
                        } else if (!peer.closing) {
                            reject(new Error(`${peer.name} closed with ${code}`))
                        }
                    }
                    if (update.connection === 'open') {
                        peer.open = true
                        resolve(sock)
                    }
                } catch (error) {
                    reject(error)
                }
            })
            sock.ev.on('messages.upsert', ({ messages }) => {
                for (const m of messages) {
                    const text = textOf(m)
                    if (!m.key.fromMe && text !== undefined && text !== null)
                        peer.received.push({ text, key: m.key, from: jidNormalizedUser(m.key.remoteJid) })
                }
            })
            sock.ev.on('messages.update', updates => {
                for (const { key, update } of updates) {
                    if (!key.fromMe || update.status === undefined) continue
                    const seen = peer.statuses.get(key.id) ?? new Set()
                    seen.add(update.status)
                    peer.statuses.set(key.id, seen)
                }
            })
            sock.ev.on('presence.update', ({ id, presences }) => {
                for (const [who, p] of Object.entries(presences)) peer.presences.push({ id, who, state: p.lastKnownPresence })
            })
        }
        start()
    })
}

async function send(from, to, text) {
    const sent = await from.sock.sendMessage(to.jid, { text })
    from.sent.set(sent.key.id, sent.message)
    return sent
}

const DELIVERY_ACK = 3
const READ = 4

try {
    const alice = makePeer('alice', '15550000101')
    const bob = makePeer('bob', '15550000102')
    for (const [peer, push] of [[alice, 'Alice'], [bob, 'Bob']]) {
        const { status, json } = await admin('POST', '/admin/users', { phone: peer.phone, push_name: push })
        if (status !== 201) fail('users', `create ${peer.phone}: ${status} ${JSON.stringify(json)}`)
    }
    await connect(alice, { pair: true })
    await connect(bob, { pair: true })
    steps.push('paired A and B')
    const bobDevice = jidNormalizedUser(bob.sock.user.id) === bob.jid ? bob.sock.user.id.replace(/@.*/, '') : null
    if (!bobDevice) fail('pairing', `unexpected own jid ${bob.sock.user?.id}`)

    // 1. one text, decrypted exactly
    const first = await send(alice, bob, 'Olá Bob — primeira mensagem ✓')
    await waitUntil('first message', () => bob.received.length >= 1)
    if (bob.received[0].text !== 'Olá Bob — primeira mensagem ✓') fail('first message', `B decrypted ${JSON.stringify(bob.received[0].text)}`)
    if (bob.received[0].from !== alice.jid) fail('first message', `from ${bob.received[0].from}`)
    steps.push('A→B text decrypted')

    // 2. delivery and read receipts reach A
    await waitUntil('delivery receipt', () => alice.statuses.get(first.key.id)?.has(DELIVERY_ACK))
    await bob.sock.readMessages([bob.received[0].key])
    await waitUntil('read receipt', () => alice.statuses.get(first.key.id)?.has(READ))
    steps.push('delivered+read at A')

    // 3. typing
    await alice.sock.sendPresenceUpdate('composing', bob.jid)
    await waitUntil('typing', () => bob.presences.some(p => jidNormalizedUser(p.id) === alice.jid && p.state === 'composing'))
    await alice.sock.sendPresenceUpdate('paused', bob.jid)
    steps.push('typing at B')

    // 4. 20 each way, back to back. One direction at a time: a Baileys socket that encrypts for a peer while
    // it decrypts from the same peer races on that Signal session (observed: libsignal "MessageCounterError:
    // Key used already" inside one socket, with every stanza relayed exactly once, in order).
    bob.received.length = 0
    const aTexts = Array.from({ length: 20 }, (_, i) => `a→b #${i + 1}`)
    const bTexts = Array.from({ length: 20 }, (_, i) => `b→a #${i + 1}`)
    for (const t of aTexts) await send(alice, bob, t)
    await waitUntil('20 A→B', () => bob.received.length >= 20)
    for (const t of bTexts) await send(bob, alice, t)
    await waitUntil('20 each way', () => bob.received.length >= 20 && alice.received.length >= 20)
    await sleep(500) // a duplicate would arrive now
    const got = peer => peer.received.map(r => r.text)
    if (JSON.stringify(got(bob)) !== JSON.stringify(aTexts)) fail('20 each way', `B got ${JSON.stringify(got(bob))}`)
    if (JSON.stringify(got(alice)) !== JSON.stringify(bTexts)) fail('20 each way', `A got ${JSON.stringify(got(alice))}`)
    steps.push('20+20 in order, no duplicates')

    // 5. B offline while A sends 5
    bob.closing = true
    bob.sock.end(undefined)
    await waitUntil('B offline', async () => {
        const { json } = await admin('GET', `/admin/devices/${bobDevice}`)
        return json.connected === false
    })
    bob.received.length = 0
    const offlineTexts = Array.from({ length: 5 }, (_, i) => `while you were away #${i + 1}`)
    for (const t of offlineTexts) await send(alice, bob, t)
    const { json: queue } = await admin('GET', `/admin/devices/${bobDevice}/queue`)
    const queuedMessages = queue.filter(e => e.tag === 'message').length
    if (queuedMessages !== 5) fail('offline queue', `simulator holds ${queuedMessages} messages for B: ${JSON.stringify(queue)}`)
    steps.push('5 queued for B')
    bob.closing = false
    await connect(bob, { pair: false })
    await waitUntil('offline delivery', () => bob.received.length >= 5)
    await sleep(1000)
    if (JSON.stringify(got(bob)) !== JSON.stringify(offlineTexts)) fail('offline delivery', `B got ${JSON.stringify(got(bob))}`)
    await waitUntil('outbox drained', async () => {
        const { json } = await admin('GET', `/admin/devices/${bobDevice}/queue`)
        return json.filter(e => e.tag === 'message').length === 0
    })
    const { json: counters } = await admin('GET', `/admin/devices/${bobDevice}/counters`)
    steps.push(`B reconnected, 5 once (counters ${JSON.stringify(counters)})`)

    clearTimeout(overall)
    console.log(`baileys relay OK: ${steps.join(' → ')}`)
    for (const peer of [alice, bob]) { peer.closing = true; peer.sock.end(undefined) }
    rmSync(workDir, { recursive: true, force: true })
    setTimeout(() => process.exit(0), 100)
} catch (error) {
    fail('exception', error?.stack || String(error))
}
