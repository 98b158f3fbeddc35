// Baileys (npm baileys@7.0.0-rc14) talking to a simulated customer of atende-wasim — a companion device that
// runs on OUR client library (whatsapp::Session + signal::SignalAccount + messenger::Messenger) inside the
// simulator (issue 6 items 2-4 and 7). Baileys is the independent peer:
//   1. Baileys sends a text; the customer decrypts exactly that text (admin inbox);
//   2. the customer replies (quoting it); Baileys decrypts exactly that text and sees the quote;
//   3. delivery and read receipts both ways; typing both ways;
//   4. 10 messages each way, in order, no duplicates.
// Exits 0 on success; otherwise non-zero naming the step that failed.
//
// Usage: node customer.mjs <ws-url> <admin-url> [trust-root-hex]
import makeWASocket, { WA_CERT_DETAILS, useMultiFileAuthState, jidNormalizedUser } from 'baileys'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const wsUrl = process.argv[2]
const adminUrl = process.argv[3]
const trustRoot = process.argv[4] || ''
const workDir = mkdtempSync(join(tmpdir(), 'wasim-customer-'))
const steps = []

function fail(step, detail) {
    console.error(`baileys customer FAILED at ${step}: ${detail}; steps so far: ${steps.join(' → ')}`)
    rmSync(workDir, { recursive: true, force: true })
    process.exit(1)
}
if (!wsUrl || !adminUrl) fail('arguments', 'need the ws URL and the admin URL')
const overall = setTimeout(() => fail('timeout', 'not done within 100 s'), 100000)

WA_CERT_DETAILS.SERIAL = 0
if (/^[0-9a-f]{64}$/i.test(trustRoot)) WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(trustRoot, 'hex')
const nop = () => {}
const logger = { level: 'silent', child: () => logger, trace: nop, debug: nop, info: nop, warn: nop, error: nop, fatal: nop }

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
const DELIVERY_ACK = 3
const READ = 4

const phone = '15550000301'
const customerPhone = '5551999000001'
const customerJid = `${customerPhone}@s.whatsapp.net`
const received = []
const statuses = new Map()
const presences = []
const sentMessages = new Map()

async function connectBaileys() {
    const { state, saveCreds } = await useMultiFileAuthState(join(workDir, 'baileys'))
    let pair = true
    let restarted = false
    return new Promise((resolve, reject) => {
        const start = () => {
            const sock = makeWASocket({
                auth: state, waWebSocketUrl: wsUrl, logger, printQRInTerminal: false,
                browser: ['Atende customer interop', 'Chrome', '1.0'],
                shouldSyncHistoryMessage: () => false, fireInitQueries: false, markOnlineOnConnect: true,
                connectTimeoutMs: 20000, getMessage: async key => sentMessages.get(key.id),
            })
            sock.ev.on('creds.update', saveCreds)
            sock.ev.on('connection.update', async update => {
                try {
                    if (update.qr && pair) {
                        pair = false
                        const { status, json } = await admin('POST', '/admin/scan', { qr: update.qr, phone })
                        if (status !== 200) reject(new Error(`scan answered ${status} ${JSON.stringify(json)}`))
                    }
                    if (update.connection === 'close') {
                        const code = update.lastDisconnect?.error?.output?.statusCode
                        if (code === 515 && !restarted) { restarted = true; start() }
                        else if (!sock.closing) reject(new Error(`closed with ${code}`))
                    }
                    if (update.connection === 'open') resolve(sock)
                } catch (error) { reject(error) }
            })
            sock.ev.on('messages.upsert', ({ messages }) => {
                for (const m of messages) {
                    const text = textOf(m)
                    if (!m.key.fromMe && text !== undefined && text !== null)
                        received.push({ text, key: m.key, from: jidNormalizedUser(m.key.remoteJid),
                                        quoted: m.message?.extendedTextMessage?.contextInfo?.stanzaId })
                }
            })
            sock.ev.on('messages.update', updates => {
                for (const { key, update } of updates) {
                    if (!key.fromMe || update.status === undefined) continue
                    const seen = statuses.get(key.id) ?? new Set()
                    seen.add(update.status)
                    statuses.set(key.id, seen)
                }
            })
            sock.ev.on('presence.update', ({ id, presences: p }) => {
                for (const [who, v] of Object.entries(p)) presences.push({ id, who, state: v.lastKnownPresence })
            })
        }
        start()
    })
}

const inbox = async () => (await admin('GET', `/admin/customers/${customerPhone}/inbox`)).json
const customerSend = async (text, quoteId) => {
    const body = { to: phone, text }
    if (quoteId) body.quote_id = quoteId
    const { status, json } = await admin('POST', `/admin/customers/${customerPhone}/send`, body)
    if (status !== 200) fail('customer send', `${status} ${JSON.stringify(json)}`)
    return json.id
}

try {
    const { status: us } = await admin('POST', '/admin/users', { phone, push_name: 'Baileys' })
    if (us !== 201) fail('users', `create ${phone}: ${us}`)
    const { status: cs, json: customer } = await admin('POST', '/admin/customers', { phone: customerPhone, push_name: 'Cliente' })
    if (cs !== 201) fail('customer', `${cs} ${JSON.stringify(customer)}`)
    const sock = await connectBaileys()
    steps.push('customer and Baileys linked')

    // 1. Baileys → customer
    const hello = 'Olá! Preciso de ajuda 🙏 — ação'
    const first = await sock.sendMessage(customerJid, { text: hello })
    sentMessages.set(first.key.id, first.message)
    await waitUntil('customer receives', async () => (await inbox()).messages.length >= 1)
    const got = (await inbox()).messages[0]
    if (got.text !== hello || got.id !== first.key.id) fail('customer receives', JSON.stringify(got))
    if (!got.from.startsWith(`${phone}:`)) fail('customer receives', `from ${got.from}`)
    steps.push('Baileys→customer decrypted')
    await waitUntil('delivery at Baileys', () => statuses.get(first.key.id)?.has(DELIVERY_ACK))
    const { status: rs } = await admin('POST', `/admin/customers/${customerPhone}/read`, { to: phone, ids: [first.key.id] })
    if (rs !== 200) fail('customer read', rs)
    await waitUntil('read at Baileys', () => statuses.get(first.key.id)?.has(READ))
    steps.push('delivered+read at Baileys')

    // 2. customer → Baileys, quoting
    const answer = 'Claro! Como posso ajudar? 😊'
    const answerId = await customerSend(answer, first.key.id)
    await waitUntil('Baileys receives', () => received.length >= 1)
    if (received[0].text !== answer) fail('Baileys receives', JSON.stringify(received[0].text))
    if (received[0].quoted !== first.key.id) fail('Baileys receives', `quote ${received[0].quoted}`)
    if (received[0].key.id !== answerId) fail('Baileys receives', `id ${received[0].key.id}`)
    steps.push('customer→Baileys decrypted with quote')
    await waitUntil('delivery at customer', async () =>
        (await inbox()).receipts.some(r => r.id === answerId && r.type === 'delivered'))
    await sock.readMessages([received[0].key])
    // Baileys sends "read-self" instead of "read" when it does not know its read-receipt privacy setting
    // (fireInitQueries is off here); both mean the customer's message was read.
    for (let i = 0; i < 100; ++i) {
        if ((await inbox()).receipts.some(r => r.id === answerId && (r.type === 'read' || r.type === 'read-self'))) break
        await sleep(50)
    }
    const receipts = (await inbox()).receipts.filter(r => r.id === answerId).map(r => r.type)
    if (!receipts.includes('read') && !receipts.includes('read-self')) fail('read at customer', JSON.stringify(receipts))
    steps.push(`receipts at customer: ${receipts.join('+')}`)

    // 3. typing both ways
    await admin('POST', `/admin/customers/${customerPhone}/typing`, { to: phone, state: 'composing' })
    await waitUntil('typing at Baileys', () => presences.some(p => jidNormalizedUser(p.id) === customerJid && p.state === 'composing'))
    await sock.sendPresenceUpdate('composing', customerJid)
    await waitUntil('typing at customer', async () =>
        (await inbox()).chat_states.some(s => s.from === `${phone}@s.whatsapp.net` && s.state === 'composing'))
    steps.push('typing both ways')

    // 4. ten each way (one direction at a time, see relay.mjs)
    received.length = 0
    const before = (await inbox()).messages.length
    const bTexts = Array.from({ length: 10 }, (_, i) => `baileys #${i + 1}`)
    for (const t of bTexts) {
        const m = await sock.sendMessage(customerJid, { text: t })
        sentMessages.set(m.key.id, m.message)
    }
    await waitUntil('10 at customer', async () => (await inbox()).messages.length >= before + 10)
    const cTexts = Array.from({ length: 10 }, (_, i) => `cliente #${i + 1}`)
    for (const t of cTexts) await customerSend(t)
    await waitUntil('10 at Baileys', () => received.length >= 10)
    await sleep(500)
    const atCustomer = (await inbox()).messages.slice(before).map(m => m.text)
    if (JSON.stringify(atCustomer) !== JSON.stringify(bTexts)) fail('10 each way', `customer got ${JSON.stringify(atCustomer)}`)
    if (JSON.stringify(received.map(r => r.text)) !== JSON.stringify(cTexts)) fail('10 each way', `Baileys got ${JSON.stringify(received.map(r => r.text))}`)
    steps.push('10+10 in order, no duplicates')

    clearTimeout(overall)
    console.log(`baileys customer OK: ${steps.join(' → ')}`)
    sock.closing = true
    sock.end(undefined)
    rmSync(workDir, { recursive: true, force: true })
    setTimeout(() => process.exit(0), 100)
} catch (error) {
    fail('exception', error?.stack || String(error))
}
