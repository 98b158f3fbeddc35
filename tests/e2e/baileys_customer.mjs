// A scriptable customer's phone for the end-to-end tests (issue 6): one Baileys 7.0.0-rc14 companion of a
// simulated WhatsApp user, linked through atende-wasim's admin scan, driven by JSON lines on stdin and
// reporting JSON lines on stdout. It sits beside tests/conformance's node_modules (ESM ignores NODE_PATH).
//
// Usage: node baileys_customer.mjs <ws-url> <admin-url> <trust-root-hex> <phone> [push-name]
//
// Commands (one JSON object per line; `ref` is echoed back so the caller can match answers):
//   {"cmd":"send","ref":1,"to":"5511…","text":"…","id":"optional message id"} → {"event":"sent","ref","id"}
//   {"cmd":"typing","ref":2,"to":"5511…","state":"composing"|"paused"}         → {"event":"done","ref"}
//   {"cmd":"read","ref":3,"to":"5511…","ids":["…"]}   read receipt for received messages → {"event":"done"}
//   {"cmd":"unknown","ref":4,"to":"5511…","id":"…"}   a message whose only content is a field number no
//        WhatsApp client knows (relayMessage with an extra length-delimited field 9999) → {"event":"sent"}
//   {"cmd":"quit"}
// Reports: {"event":"ready","jid"} (after every (re)connection), {"event":"message","id","from","text",
// "offline"}, {"event":"receipt","ids":[…],"type":"delivered"|"read","from"}, {"event":"chatstate","from",
// "state"}, {"event":"closed","code"}, {"event":"error","ref","message"}.
// A connection the simulator cuts is re-established with the same credentials (as a phone would).
import makeWASocket, { WA_CERT_DETAILS, generateMessageID, useMultiFileAuthState, jidNormalizedUser, proto } from 'baileys'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const [wsUrl, adminUrl, trustRoot, phone, pushName = 'Cliente Baileys'] = process.argv.slice(2)
const out = obj => process.stdout.write(JSON.stringify(obj) + '\n')
if (!wsUrl || !adminUrl || !phone) {
    out({ event: 'error', message: 'usage: baileys_customer.mjs <ws> <admin> <trust-root> <phone> [push-name]' })
    process.exit(2)
}
WA_CERT_DETAILS.SERIAL = 0
if (/^[0-9a-f]{64}$/i.test(trustRoot || '')) WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(trustRoot, 'hex')

const nop = () => {}
// ATENDE_BAILEYS_LOG=<file>: Baileys' own debug log (one JSON line per entry) for a post-mortem.
const logFile = process.env.ATENDE_BAILEYS_LOG
const write = level => (logFile
    ? (obj, msg) => appendFileSync(logFile, JSON.stringify({ t: new Date().toISOString(), level, msg,
        obj: typeof obj === 'object' ? obj : String(obj) }, (k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v)) + '\n')
    : nop)
const logger = { level: logFile ? 'debug' : 'silent', child: () => logger, trace: nop, debug: write('debug'),
                 info: write('info'), warn: write('warn'), error: write('error'), fatal: write('fatal') }
const workDir = mkdtempSync(join(tmpdir(), 'e2e-customer-'))
const sent = new Map()     // id → proto message, for Baileys' retry resends
const received = new Map() // id → message key, for read receipts
let sock = null
let quitting = false
let paired = false

// An unknown field on proto.Message: protobufjs' static encoder knows only declared fields, so the extra
// bytes are appended to the writer when the object carries the marker.
const UNKNOWN_FIELD = 9999
const encodeMessage = proto.Message.encode
proto.Message.encode = function (message, writer) {
    const w = encodeMessage.call(this, message, writer)
    if (message && message.__unknownField)
        w.uint32((UNKNOWN_FIELD << 3) | 2).bytes(Buffer.from(message.__unknownField, 'utf8'))
    return w
}

async function admin(method, path, body) {
    const response = await fetch(new URL(path, adminUrl), { method, body: body && JSON.stringify(body) })
    return { status: response.status, text: await response.text() }
}

const jidOf = to => (to.includes('@') ? to : `${to}@s.whatsapp.net`)
const textOf = m => m.message?.conversation ?? m.message?.extendedTextMessage?.text
const STATUS = { 3: 'delivered', 4: 'read', 5: 'played' }
// The business may address us by LID; report phone-number JIDs when the stanza told us the mapping.
const pnOfLid = new Map()
const pn = (jid, alt) => {
    const j = jidNormalizedUser(jid)
    if (!j.endsWith('@lid')) return j
    if (alt) pnOfLid.set(j, jidNormalizedUser(alt))
    return pnOfLid.get(j) ?? j
}

async function connect() {
    const { state, saveCreds } = await useMultiFileAuthState(workDir)
    const s = makeWASocket({
        auth: state,
        waWebSocketUrl: wsUrl,
        logger,
        printQRInTerminal: false,
        browser: ['Atende e2e customer', 'Chrome', '1.0'],
        shouldSyncHistoryMessage: () => false,
        fireInitQueries: false,
        markOnlineOnConnect: true,
        connectTimeoutMs: 20000,
        getMessage: async key => sent.get(key.id),
    })
    sock = s
    s.ev.on('creds.update', saveCreds)
    s.ev.on('connection.update', async update => {
        if (sock !== s) return
        if (update.qr && !paired) {
            const r = await admin('POST', '/admin/scan', { qr: update.qr, phone })
            if (r.status !== 200) out({ event: 'error', message: `scan answered ${r.status} ${r.text}` })
        }
        if (update.connection === 'open') {
            paired = true
            out({ event: 'ready', jid: jidNormalizedUser(s.user.id), device: s.user.id })
        }
        if (update.connection === 'close') {
            const code = update.lastDisconnect?.error?.output?.statusCode
            if (quitting) return
            if (code !== 515) out({ event: 'closed', code: code ?? 0 })
            // 515 after pairing, or a cut connection: log in again with the saved credentials.
            setTimeout(() => { if (!quitting) connect().catch(e => out({ event: 'error', message: String(e) })) },
                       code === 515 ? 0 : 500)
        }
    })
    s.ev.on('messages.upsert', ({ messages }) => {
        for (const m of messages) {
            if (m.key.fromMe) continue
            received.set(m.key.id, m.key)
            const text = textOf(m)
            out({ event: 'message', id: m.key.id, from: pn(m.key.remoteJid, m.key.remoteJidAlt ?? m.key.senderPn),
                  text: text ?? null, offline: Boolean(m.key.offline ?? false) })
        }
    })
    s.ev.on('messages.update', updates => {
        for (const { key, update } of updates) {
            if (!key.fromMe || STATUS[update.status] === undefined) continue
            out({ event: 'receipt', ids: [key.id], type: STATUS[update.status], from: pn(key.remoteJid) })
        }
    })
    // The raw chat state: Baileys' presence.update turns "paused" into "available", indistinguishable from
    // a presence stanza.
    s.ws.on('CB:chatstate', node => {
        const child = Array.isArray(node.content) ? node.content[0] : undefined
        if (child && (child.tag === 'composing' || child.tag === 'paused'))
            out({ event: 'chatstate', from: pn(node.attrs.from), state: child.tag })
    })
}

async function run(c) {
    switch (c.cmd) {
    case 'send': {
        // Kept before it leaves, as a phone keeps it in its database: a retry receipt may come back before
        // sendMessage() resolves, and Baileys' own recent-message cache misses receipts from a device JID.
        const id = c.id || generateMessageID()
        sent.set(id, { extendedTextMessage: { text: c.text } })
        const m = await sock.sendMessage(jidOf(c.to), { text: c.text }, { messageId: id })
        sent.set(m.key.id, m.message)
        return out({ event: 'sent', ref: c.ref, id: m.key.id })
    }
    case 'typing':
        await sock.presenceSubscribe(jidOf(c.to)).catch(nop)
        await sock.sendPresenceUpdate(c.state === 'paused' ? 'paused' : 'composing', jidOf(c.to))
        return out({ event: 'done', ref: c.ref })
    case 'read': {
        // A user with read receipts on: type "read" (Baileys' readMessages asks the privacy settings, which
        // the simulator leaves empty, and would fall back to read-self).
        const first = received.get(c.ids[0])
        await sock.sendReceipt(first?.remoteJid ?? jidOf(c.to), first?.participant, c.ids, 'read')
        return out({ event: 'done', ref: c.ref })
    }
    case 'unknown': {
        const message = { __unknownField: 'a message type from the future' }
        const id = c.id || `3EB0${Date.now().toString(16).toUpperCase()}`
        await sock.relayMessage(jidOf(c.to), message, { messageId: id })
        sent.set(id, message)
        return out({ event: 'sent', ref: c.ref, id })
    }
    case 'quit':
        quitting = true
        try { sock?.end(undefined) } catch {}
        rmSync(workDir, { recursive: true, force: true })
        setTimeout(() => process.exit(0), 100)
        return
    default:
        return out({ event: 'error', ref: c.ref, message: `unknown command ${c.cmd}` })
    }
}

// Commands run one after another: sends keep their order and one Signal session is never used twice at once.
let chain = Promise.resolve()
createInterface({ input: process.stdin }).on('line', line => {
    let c
    try { c = JSON.parse(line) } catch { return out({ event: 'error', message: 'bad JSON line' }) }
    chain = chain.then(() => run(c)).catch(e => out({ event: 'error', ref: c.ref, message: String(e?.message || e) }))
}).on('close', () => run({ cmd: 'quit' }))

const created = await admin('POST', '/admin/users', { phone, push_name: pushName })
if (created.status !== 201 && created.status !== 409) out({ event: 'error', message: `user: ${created.status} ${created.text}` })
await connect()
