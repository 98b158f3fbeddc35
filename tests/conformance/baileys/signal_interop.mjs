// Signal interop between our C++ Signal layer (server/signal, driven through tests/signal/signal_peer_main.cpp)
// and Baileys' own Signal code path (makeLibSignalRepository from baileys@7.0.0-rc14, i.e. libsignal@6.0.0),
// as SIGNAL-INTEROP.md describes. Payloads are real WhatsApp Messages (conversation, extendedText with a
// quote, senderKeyDistributionMessage) padded by v="2" rules on both sides. Every delivered text is asserted.
// Scenarios: a PN session started by Baileys (ratchet, quotes, out of order, duplicate, store round trip);
// b LID session started by us; c sender keys both ways; d identity change and a rebuild over a live session.
//
// Usage: node signal_interop.mjs <path to atende_signal_peer>
// Exits 0 when every check passed; prints one line per failed check and the totals.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import {
    Curve,
    DEFAULT_CONNECTION_CONFIG,
    addTransactionCapability,
    initAuthCreds,
    encodeWAMessage,
    proto,
    unpadRandomMax16,
} from 'baileys'

const peerBinary = process.argv[2]
if (!peerBinary) {
    console.error('usage: node signal_interop.mjs <atende_signal_peer>')
    process.exit(2)
}

let passed = 0
let failed = 0
function check(name, condition, detail = '') {
    if (condition) passed++
    else {
        failed++
        console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`)
    }
}
function checkEq(name, actual, expected) {
    check(name, actual === expected, `got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`)
}

const nop = () => {}
const logger = { level: 'silent', child: () => logger, trace: nop, debug: nop, info: nop, warn: nop, error: nop, fatal: nop }
// libsignal (LSN) prints whole session entries, private keys included, with console.info/log when sessions
// close (SIGNAL-INTEROP.md trap 17): keep them out of the test log.
console.info = nop
const print = console.log.bind(console)
console.log = nop
console.warn = nop
console.error = nop // LSN prints "Failed to decrypt" stacks for the duplicates we send on purpose
const say = (line) => print(line)

// ---- The C++ peer: one process per account, one JSON line per command. ----
function startCpp(label) {
    const child = spawn(peerBinary, [], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, QT_LOGGING_RULES: 'atende.*.debug=false' } })
    const lines = createInterface({ input: child.stdout })
    const waiting = []
    lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)))
    child.on('exit', (code) => {
        if (code !== 0) say(`C++ peer ${label} exited with ${code}`)
    })
    return {
        call(...words) {
            return new Promise((resolve) => {
                waiting.push(resolve)
                child.stdin.write(words.join(' ') + '\n')
            })
        },
        close() {
            child.stdin.write('quit\n')
        },
    }
}
const hexText = (text) => Buffer.from(text, 'utf8').toString('hex')

// ---- The Baileys peer: Baileys' own repository over an in-memory key store. ----
function makeBaileys(meJid, preKeyCount = 3) {
    const creds = initAuthCreds()
    const data = {}
    const keys = {
        async get(type, ids) {
            const out = {}
            for (const id of ids) if (data[type]?.[id] !== undefined) out[id] = data[type][id]
            return out
        },
        async set(changes) {
            for (const type of Object.keys(changes)) {
                data[type] ??= {}
                for (const [id, value] of Object.entries(changes[type])) {
                    if (value === null || value === undefined) delete data[type][id]
                    else data[type][id] = value
                }
            }
        },
    }
    const txKeys = addTransactionCapability(keys, logger, { maxCommitRetries: 1, delayBetweenTriesMs: 1 })
    const repo = DEFAULT_CONNECTION_CONFIG.makeSignalRepository({ creds, keys: txKeys }, logger)
    const preKeys = []
    data['pre-key'] = {}
    for (let i = 0; i < preKeyCount; i++) {
        const id = creds.nextPreKeyId++
        const pair = Curve.generateKeyPair()
        data['pre-key'][id] = pair
        preKeys.push({ id, pair })
    }
    return {
        meJid,
        repo,
        data,
        // The <user> node fields of this device (keys 32 bytes, as on the wire).
        bundleWords(index) {
            const words = [
                creds.registrationId,
                Buffer.from(creds.signedIdentityKey.public).toString('hex'),
                creds.signedPreKey.keyId,
                Buffer.from(creds.signedPreKey.keyPair.public).toString('hex'),
                Buffer.from(creds.signedPreKey.signature).toString('hex'),
            ]
            if (index !== undefined) words.push(preKeys[index].id, preKeys[index].pair.public.toString('hex'))
            return words
        },
        // What parseAndInjectE2ESessions does with a <user> node from the C++ peer (adds the 0x05 byte).
        async injectFrom(jid, bundle) {
            const key = (hex) => Buffer.concat([Buffer.from([5]), Buffer.from(hex, 'hex')])
            await repo.injectE2ESession({
                jid,
                session: {
                    registrationId: bundle.registrationId,
                    identityKey: key(bundle.identity),
                    signedPreKey: { keyId: bundle.signedPreKeyId, publicKey: key(bundle.signedPreKey), signature: Buffer.from(bundle.signature, 'hex') },
                    preKey: bundle.preKey ? { keyId: bundle.preKeyId, publicKey: key(bundle.preKey) } : undefined,
                },
            })
        },
        async send(jid, message) {
            const { type, ciphertext } = await repo.encryptMessage({ jid, data: encodeWAMessage(message) })
            return { type, hex: Buffer.from(ciphertext).toString('hex') }
        },
        async receive(jid, type, hex) {
            const padded = await repo.decryptMessage({ jid, type, ciphertext: Buffer.from(hex, 'hex') })
            return proto.Message.decode(unpadRandomMax16(padded))
        },
        async tryReceive(jid, type, hex) {
            try {
                return { message: await this.receive(jid, type, hex) }
            } catch (error) {
                return { error: String(error?.message || error) }
            }
        },
    }
}

// ---- Scenario a: PN addresses, Baileys starts from our bundle; ratchet, quotes, out of order, restart. ----
async function scenarioPn() {
    const cppJid = '15550000001:3@s.whatsapp.net'
    const nodeJid = '15550000002:5@s.whatsapp.net'
    const cpp = startCpp('pn')
    const node = makeBaileys(nodeJid)
    checkEq('a init', (await cpp.call('init', cppJid, 3)).ok, true)
    const bundle = await cpp.call('bundle', 0)
    await node.injectFrom(cppJid, bundle)

    const first = await node.send(cppJid, { conversation: 'hello from node' })
    checkEq('a first enc type', first.type, 'pkmsg')
    const got = await cpp.call('decrypt', nodeJid, first.type, first.hex)
    checkEq('a pkmsg → C++ text', got.text, 'hello from node')
    checkEq('a first contact is no identity change', got.identityChanged, false)

    for (let turn = 0; turn < 6; turn++) {
        const fromCpp = `c++ turn ${turn} ção`
        const enc = await cpp.call('encrypt', nodeJid, hexText(fromCpp))
        checkEq(`a C++ enc type ${turn}`, enc.type, 'msg')
        checkEq(`a C++ → node ${turn}`, (await node.receive(cppJid, enc.type, enc.hex)).conversation, fromCpp)
        const fromNode = `node turn ${turn}`
        const back = await node.send(cppJid, { conversation: fromNode })
        checkEq(`a node enc type ${turn}`, back.type, 'msg')
        checkEq(`a node → C++ ${turn}`, (await cpp.call('decrypt', nodeJid, back.type, back.hex)).text, fromNode)
    }

    // extendedText with a quote, both ways, decoded by the other side's codec.
    const quoteParticipant = '15550000002@s.whatsapp.net'
    const reply = await cpp.call('encrypt', nodeJid, hexText('answer to your question'), '3EB0NODEQ1', quoteParticipant, hexText('node turn 5'))
    const decodedReply = await node.receive(cppJid, reply.type, reply.hex)
    checkEq('a quote C++ → node text', decodedReply.extendedTextMessage?.text, 'answer to your question')
    checkEq('a quote C++ → node stanzaId', decodedReply.extendedTextMessage?.contextInfo?.stanzaId, '3EB0NODEQ1')
    checkEq('a quote C++ → node participant', decodedReply.extendedTextMessage?.contextInfo?.participant, quoteParticipant)
    checkEq('a quote C++ → node quoted text', decodedReply.extendedTextMessage?.contextInfo?.quotedMessage?.conversation, 'node turn 5')
    const nodeReply = await node.send(cppJid, {
        extendedTextMessage: {
            text: 'thanks!',
            contextInfo: { stanzaId: '3EB0CPPQ1', participant: '15550000001@s.whatsapp.net', quotedMessage: { conversation: 'answer to your question' } },
        },
    })
    const cppReply = await cpp.call('decrypt', nodeJid, nodeReply.type, nodeReply.hex)
    checkEq('a quote node → C++ text', cppReply.text, 'thanks!')
    checkEq('a quote node → C++ stanzaId', cppReply.quoteId, '3EB0CPPQ1')
    checkEq('a quote node → C++ participant', cppReply.quoteParticipant, '15550000001@s.whatsapp.net')
    checkEq('a quote node → C++ quoted text', cppReply.quoteText, 'answer to your question')

    // Out of order within one chain, each direction; a duplicate to C++ is rejected with the stable code.
    const n = []
    for (let i = 1; i <= 3; i++) n.push(await node.send(cppJid, { conversation: `ooo node ${i}` }))
    for (const i of [2, 0, 1]) checkEq(`a ooo node → C++ ${i + 1}`, (await cpp.call('decrypt', nodeJid, n[i].type, n[i].hex)).text, `ooo node ${i + 1}`)
    checkEq('a duplicate to C++', (await cpp.call('decrypt', nodeJid, n[1].type, n[1].hex)).code, 'signal_duplicate_message')
    const c = []
    for (let i = 1; i <= 3; i++) c.push(await cpp.call('encrypt', nodeJid, hexText(`ooo c++ ${i}`)))
    for (const i of [2, 0, 1]) checkEq(`a ooo C++ → node ${i + 1}`, (await node.receive(cppJid, c[i].type, c[i].hex)).conversation, `ooo c++ ${i + 1}`)
    check('a duplicate to node rejected', (await node.tryReceive(cppJid, c[1].type, c[1].hex)).error !== undefined)

    // Late message from an older chain after a ratchet turn.
    const late = await node.send(cppJid, { conversation: 'late from old chain' })
    const turnC = await cpp.call('encrypt', nodeJid, hexText('turn'))
    checkEq('a turn C++ → node', (await node.receive(cppJid, turnC.type, turnC.hex)).conversation, 'turn')
    const newChain = await node.send(cppJid, { conversation: 'new chain' })
    checkEq('a new chain → C++', (await cpp.call('decrypt', nodeJid, newChain.type, newChain.hex)).text, 'new chain')
    checkEq('a late old chain → C++', (await cpp.call('decrypt', nodeJid, late.type, late.hex)).text, 'late from old chain')

    // The C++ state goes through the store (flush → new account from the snapshot) and the session goes on.
    checkEq('a restart', (await cpp.call('restart')).ok, true)
    for (let turn = 0; turn < 2; turn++) {
        const enc = await cpp.call('encrypt', nodeJid, hexText(`after restart ${turn}`))
        checkEq(`a after restart C++ → node ${turn}`, (await node.receive(cppJid, enc.type, enc.hex)).conversation, `after restart ${turn}`)
        const back = await node.send(cppJid, { conversation: `node after restart ${turn}` })
        checkEq(`a after restart node → C++ ${turn}`, (await cpp.call('decrypt', nodeJid, back.type, back.hex)).text, `node after restart ${turn}`)
    }
    cpp.close()
}

// ---- Scenario b: LID addresses, we start from Baileys' bundle. ----
async function scenarioLid() {
    const cppJid = '100000000000001:3@lid'
    const nodeJid = '200000000000002:5@lid'
    const cpp = startCpp('lid')
    const node = makeBaileys(nodeJid)
    checkEq('b init', (await cpp.call('init', cppJid, 2)).ok, true)
    checkEq('b baileys names us', node.repo.jidToSignalProtocolAddress(cppJid), '100000000000001_1.3')
    const built = await cpp.call('process', nodeJid, ...node.bundleWords(1))
    checkEq('b C++ processes the Baileys bundle', built.ok, true)
    const first = await cpp.call('encrypt', nodeJid, hexText('hello from c++'))
    checkEq('b first enc type', first.type, 'pkmsg')
    checkEq('b pkmsg → node', (await node.receive(cppJid, first.type, first.hex)).conversation, 'hello from c++')
    check('b Baileys consumed its prekey', node.data['pre-key'][2] === undefined)
    check('b Baileys stored our identity under the LID address', node.data['identity-key']?.['100000000000001_1.3'] !== undefined)
    for (let turn = 0; turn < 5; turn++) {
        const back = await node.send(cppJid, { conversation: `lid node ${turn}` })
        checkEq(`b node enc type ${turn}`, back.type, 'msg')
        checkEq(`b node → C++ ${turn}`, (await cpp.call('decrypt', nodeJid, back.type, back.hex)).text, `lid node ${turn}`)
        const enc = await cpp.call('encrypt', nodeJid, hexText(`lid c++ ${turn}`))
        checkEq(`b C++ enc type ${turn}`, enc.type, 'msg')
        checkEq(`b C++ → node ${turn}`, (await node.receive(cppJid, enc.type, enc.hex)).conversation, `lid c++ ${turn}`)
    }
    cpp.close()
}

// ---- Scenario c: sender keys. Baileys' SKDM inside a 1:1 msg, its skmsgs out of order to us; ours in order to it. ----
async function scenarioGroup() {
    const cppJid = '15550000001:3@s.whatsapp.net'
    const nodeJid = '15550000002:5@s.whatsapp.net'
    const group = '120363000000000001@g.us'
    const cpp = startCpp('group')
    const node = makeBaileys(nodeJid)
    await cpp.call('init', cppJid, 2)
    await node.injectFrom(cppJid, await cpp.call('bundle', 0))

    const skmsgs = []
    let skdm
    for (let i = 1; i <= 4; i++) {
        const out = await node.repo.encryptGroupMessage({ group, meId: nodeJid, data: encodeWAMessage({ conversation: `group node ${i}` }) })
        skdm ??= out.senderKeyDistributionMessage
        skmsgs.push(Buffer.from(out.ciphertext).toString('hex'))
    }
    const carrier = await node.send(cppJid, { senderKeyDistributionMessage: { groupId: group, axolotlSenderKeyDistributionMessage: skdm } })
    const opened = await cpp.call('decrypt', nodeJid, carrier.type, carrier.hex)
    checkEq('c SKDM-only message kind', opened.kind, 'skdm')
    checkEq('c SKDM processed', opened.skdm, 'processed')
    for (const i of [0, 3, 1, 2]) checkEq(`c skmsg ${i + 1} → C++`, (await cpp.call('gdecrypt', group, nodeJid, skmsgs[i])).text, `group node ${i + 1}`)
    checkEq('c duplicate skmsg', (await cpp.call('gdecrypt', group, nodeJid, skmsgs[3])).code, 'signal_duplicate_message')
    checkEq('c unknown sender', (await cpp.call('gdecrypt', group, '15550000009:1@s.whatsapp.net', skmsgs[0])).code, 'signal_no_sender_key')

    // Ours to Baileys, in order (Baileys rc14 fails on older skmsgs whoever sends them: trap 13).
    const ours = await cpp.call('gskdm', group)
    checkEq('c our SKDM', ours.ok, true)
    await node.repo.processSenderKeyDistributionMessage({ item: { groupId: group, axolotlSenderKeyDistributionMessage: Buffer.from(ours.hex, 'hex') }, authorJid: cppJid })
    for (let i = 1; i <= 3; i++) {
        const enc = await cpp.call('gencrypt', group, hexText(`group c++ ${i}`))
        const padded = await node.repo.decryptGroupMessage({ group, authorJid: cppJid, msg: Buffer.from(enc.hex, 'hex') })
        checkEq(`c skmsg ${i} → node`, proto.Message.decode(unpadRandomMax16(padded)).conversation, `group c++ ${i}`)
    }
    cpp.close()
}

// ---- Scenario d: the peer reinstalls (new identity, same address), and we rebuild over a live session. ----
async function scenarioIdentityChange() {
    const cppJid = '15550000001:3@s.whatsapp.net'
    const nodeJid = '15550000002:5@s.whatsapp.net'
    const cpp = startCpp('identity')
    await cpp.call('init', cppJid, 3)
    const before = makeBaileys(nodeJid)
    await before.injectFrom(cppJid, await cpp.call('bundle', 0))
    const hello = await before.send(cppJid, { conversation: 'old phone' })
    const first = await cpp.call('decrypt', nodeJid, hello.type, hello.hex)
    checkEq('d old identity text', first.text, 'old phone')
    checkEq('d first contact is no change', first.identityChanged, false)

    const after = makeBaileys(nodeJid) // reinstalled: new identity key, same address
    await after.injectFrom(cppJid, await cpp.call('bundle', 1))
    const again = await after.send(cppJid, { conversation: 'new phone' })
    checkEq('d new identity enc type', again.type, 'pkmsg')
    const got = await cpp.call('decrypt', nodeJid, again.type, again.hex)
    checkEq('d new identity text', got.text, 'new phone')
    checkEq('d identity change reported', got.identityChanged, true)
    const reply = await cpp.call('encrypt', nodeJid, hexText('welcome back'))
    checkEq('d reply after change', (await after.receive(cppJid, reply.type, reply.hex)).conversation, 'welcome back')

    // Retry-receipt path (PROTOCOL.md §8.4): we rebuild from a fresh bundle over the existing session.
    const rebuilt = await cpp.call('process', nodeJid, ...after.bundleWords(0))
    checkEq('d rebuild accepted', rebuilt.ok, true)
    checkEq('d rebuild with the same identity is no change', rebuilt.identityChanged, false)
    const fresh = await cpp.call('encrypt', nodeJid, hexText('rebuilt session'))
    checkEq('d rebuilt enc type', fresh.type, 'pkmsg')
    checkEq('d rebuilt C++ → node', (await after.receive(cppJid, fresh.type, fresh.hex)).conversation, 'rebuilt session')
    const answer = await after.send(cppJid, { conversation: 'rebuilt reply' })
    checkEq('d rebuilt node → C++', (await cpp.call('decrypt', nodeJid, answer.type, answer.hex)).text, 'rebuilt reply')
    cpp.close()
}

for (const [name, scenario] of [
    ['a (PN)', scenarioPn],
    ['b (LID)', scenarioLid],
    ['c (sender keys)', scenarioGroup],
    ['d (identity change)', scenarioIdentityChange],
]) {
    try {
        await scenario()
    } catch (error) {
        failed++
        say(`FAIL scenario ${name} threw: ${error?.stack || error}`)
    }
}
say(`signal interop: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
