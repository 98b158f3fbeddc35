// Receiving (PROTOCOL.md §6.4–§6.6, §8): message, receipt and notification stanzas are processed one at a
// time in arrival order. A message is decrypted in memory, handed to the handler (retried with back-off until
// it commits), then the Signal state is flushed and the delivery receipt sent — the receipt is the message's
// acknowledgement, so a crash before it makes the server deliver the message again.
#include "server/messenger/messenger_private.h"

#include "server/signal/error_codes.h"
#include "server/whatsapp/error_codes.h"

#include <QDateTime>
#include <qcoro/qcorotimer.h>

namespace atende::server::messenger {

using namespace whatsapp;

namespace {
constexpr qsizetype kMaxRetryTracked = 1024;
constexpr int kNackUnhandled = 500;
} // namespace

void Messenger::Private::enqueue(const Node &stanza)
{
    inbox.push_back(stanza);
    if (!processing)
        processInbox(); // runs until the inbox is empty; one loop per messenger
}

QCoro::Task<> Messenger::Private::processInbox()
{
    auto life = this->life;
    processing = true;
    while (!inbox.empty()) {
        Node stanza = std::move(inbox.front());
        inbox.pop_front();
        if (stanza.tag == u"message") {
            auto task = processMessage(std::move(stanza));
            co_await task;
        } else if (stanza.tag == u"receipt") {
            auto task = processReceipt(std::move(stanza));
            co_await task;
        } else {
            processNotification(stanza);
        }
        if (!life->alive)
            co_return;
    }
    processing = false;
}

QCoro::Task<bool> Messenger::Private::untilOk(std::function<QCoro::Task<core::Status>()> attempt, QString what)
{
    auto life = this->life;
    std::chrono::milliseconds delay = options.handlerRetryInitial;
    for (;;) {
        auto task = attempt();
        const core::Status status = co_await task;
        if (!life->alive)
            co_return false;
        if (status)
            co_return true;
        qCWarning(lcMessenger).noquote() << what << "failed, retrying:" << status.error().code;
        co_await QCoro::sleepFor(delay);
        if (!life->alive)
            co_return false;
        delay = std::min(delay * 2, options.handlerRetryMax);
    }
}

core::Status Messenger::Private::sendDeliveryReceipt(const IncomingMessage &m)
{
    OutgoingReceipt receipt;
    receipt.id = m.id;
    receipt.to = m.from;
    receipt.participant = m.participant;
    if (m.fromOwnDevice) {
        receipt.recipient = m.recipient;
        receipt.type = QStringLiteral("sender");
    }
    if (m.category == u"peer") {
        receipt.type = QStringLiteral("peer_msg");
        receipt.category = m.category;
    }
    auto node = buildReceipt(receipt);
    if (!node)
        return node.error();
    return session.send(*node);
}

core::Status Messenger::Private::sendRetryReceipt(const IncomingMessage &m, int count)
{
    const Credentials &own = session.credentials();
    RetryReceipt retry;
    retry.base.id = m.id;
    retry.base.to = m.from;
    retry.base.participant = m.participant;
    retry.base.recipient = m.recipient;
    retry.base.category = m.category;
    retry.count = count;
    retry.messageTimestamp = m.timestamp;
    retry.registrationId = own.registrationId;
    if (count >= 2) {
        // From the second try on, hand the sender our keys so it can build a fresh session (§8.4). No
        // one-time prekey: the Session owns their supply; the signed prekey is enough for a session.
        PreKeyBundle keys;
        keys.device = ownPn();
        keys.registrationId = own.registrationId;
        keys.identityKey = own.identityKey.publicKey;
        keys.signedPreKeyId = own.signedPreKey.id;
        keys.signedPreKey = own.signedPreKey.keyPair.publicKey;
        keys.signedPreKeySignature = own.signedPreKey.signature;
        retry.keys = keys;
        retry.deviceIdentity = own.account;
    }
    auto node = buildRetryReceipt(retry);
    if (!node)
        return node.error();
    return session.send(*node);
}

void Messenger::Private::fillIdentities(ReceivedMessage &out, const Node &stanza, const IncomingMessage &in)
{
    const Jid senderUser = userOf(in.sender);
    auto attr = [&](QStringView key) -> std::optional<Jid> {
        auto jid = stanza.attributeJid(key);
        return jid ? std::optional<Jid>(userOf(*jid)) : std::nullopt;
    };
    const bool group = in.isGroup;
    if (senderUser.server == Jid::kLidServer) {
        out.senderLid = senderUser;
        out.senderPn = attr(group ? u"participant_pn" : u"sender_pn");
        if (!out.senderPn)
            out.senderPn = devices.pnFor(senderUser);
        if (out.senderPn)
            devices.mapLid(*out.senderPn, senderUser);
    } else {
        out.senderPn = senderUser;
        out.senderLid = attr(group ? u"participant_lid" : u"sender_lid");
        if (!out.senderLid)
            out.senderLid = devices.lidFor(senderUser);
        if (out.senderLid)
            devices.mapLid(senderUser, *out.senderLid);
    }
}

QCoro::Task<> Messenger::Private::processMessage(Node stanza)
{
    auto life = this->life;
    auto parsed = parseMessageStanza(stanza, ownPn(), ownLid().value_or(Jid()));
    if (!parsed) {
        qCInfo(lcMessenger).noquote() << "malformed message stanza:" << parsed.error().code;
        (void)session.acknowledge(stanza, nackCodeFor(parsed.error()));
        co_return;
    }
    const IncomingMessage m = std::move(*parsed);
    if (m.isGroup && options.ignoreGroups) {
        (void)sendDeliveryReceipt(m);
        co_return;
    }
    const auto address = signal::addressForJid(m.sender);
    if (!address) {
        (void)session.acknowledge(stanza, 487);
        co_return;
    }

    std::optional<MessageContent> content;
    std::optional<core::Error> failure;
    bool duplicate = false;
    bool identityChanged = false;
    int senderRetry = 0;
    for (const IncomingEnc &enc : m.encs) {
        const auto type = signal::parseEncType(enc.type);
        if (!type || (*type == signal::EncType::SenderKeyMessage && !m.isGroup))
            continue; // msmsg, plaintext, …: not for us
        senderRetry = std::max(senderRetry, enc.retryCount);
        core::Result<QByteArray> plain = core::Error::make(signal::errc::kInvalidType, {});
        if (*type == signal::EncType::SenderKeyMessage) {
            plain = account.decryptGroup(userKey(m.chat), *address, enc.ciphertext);
        } else {
            auto decrypted = account.decrypt(*address, *type, enc.ciphertext);
            if (decrypted) {
                identityChanged = identityChanged || decrypted->identityChanged;
                plain = std::move(decrypted->plaintext);
            } else {
                plain = decrypted.error();
            }
        }
        if (!plain) {
            if (plain.error().code == QLatin1String(signal::errc::kDuplicateMessage)) {
                duplicate = true;
                continue;
            }
            failure = plain.error();
            break;
        }
        auto decoded = decodeReceived(*plain);
        MessageContent c;
        if (decoded) {
            c = std::move(*decoded);
        } else {
            c.kind = MessageContent::Kind::Unknown; // never dropped: the raw bytes go to the handler
            c.raw = *plain;
        }
        if (c.senderKeyDistribution && m.isGroup)
            (void)account.processSenderKeyDistribution(c.senderKeyDistribution->groupId, *address,
                                                       c.senderKeyDistribution->distributionMessage);
        if (c.kind != MessageContent::Kind::SenderKeyDistributionOnly || !content)
            content = std::move(c);
    }

    if (failure && !content) {
        const int count = std::max(retrySent.value(m.id), senderRetry) + 1;
        if (count > options.maxRetryReceipts) {
            qCWarning(lcMessenger).noquote() << "giving up on a message after retries:" << failure->code;
            retrySent.remove(m.id);
            (void)session.acknowledge(stanza, kNackUnhandled);
            co_return;
        }
        qCInfo(lcMessenger).noquote() << "decrypt failed, retry receipt" << count << ":" << failure->code;
        if (retrySent.size() >= kMaxRetryTracked)
            retrySent.clear();
        retrySent.insert(m.id, count);
        (void)sendRetryReceipt(m, count);
        co_return;
    }
    retrySent.remove(m.id);
    if (!content) {
        if (!duplicate) {
            // No enc we can read (v3, unknown types): nothing to hand out, tell the server so.
            (void)session.acknowledge(stanza, 491);
            co_return;
        }
        // Already processed (old counter): the handler committed it before; receipt it again.
        auto flushing = untilOk([this] { return flush(); }, QStringLiteral("signal flush"));
        const bool flushed = co_await flushing;
        if (!life->alive || !flushed)
            co_return;
        (void)sendDeliveryReceipt(m);
        co_return;
    }

    if (identityChanged)
        Q_EMIT q->identityChanged(userOf(m.sender));
    ReceivedMessage out;
    out.id = m.id;
    out.chat = m.chat;
    out.sender = m.sender;
    out.pushName = m.notify;
    out.timestamp = QDateTime::fromSecsSinceEpoch(m.timestamp, Qt::UTC);
    out.fromOwnDevice = m.fromOwnDevice;
    out.offline = m.offline;
    out.identityChanged = identityChanged;
    out.content = std::move(*content);
    fillIdentities(out, stanza, m);

    inFlightId = m.id;
    auto handling = untilOk([this, out] { return handler.onMessage(out); }, QStringLiteral("message handler"));
    const bool handled = co_await handling;
    if (!life->alive || !handled)
        co_return;
    auto flushing = untilOk([this] { return flush(); }, QStringLiteral("signal flush"));
    const bool flushed = co_await flushing;
    if (!life->alive || !flushed)
        co_return;
    inFlightId.clear();
    if (auto sent = sendDeliveryReceipt(m); !sent)
        qCInfo(lcMessenger).noquote() << "delivery receipt not sent (the server will redeliver):" << sent.error().code;
}

QCoro::Task<> Messenger::Private::processReceipt(Node stanza)
{
    auto life = this->life;
    auto parsed = parseReceiptStanza(stanza);
    if (!parsed) {
        qCInfo(lcMessenger).noquote() << "malformed receipt:" << parsed.error().code;
        (void)session.acknowledge(stanza, 487);
        co_return;
    }
    IncomingReceipt r = std::move(*parsed);
    if (r.retry) {
        auto answering = answerRetry(r);
        co_await answering;
        if (!life->alive)
            co_return;
        (void)session.acknowledge(stanza);
        co_return;
    }
    ReceivedReceipt out;
    out.from = r.from;
    out.chat = isOwnUser(r.from) && r.recipient ? userOf(*r.recipient) : userOf(r.from);
    out.ids = r.ids;
    out.type = r.type.isEmpty() || r.type == u"inactive" ? QStringLiteral("delivered") : r.type;
    out.timestamp = r.timestamp > 0 ? QDateTime::fromSecsSinceEpoch(r.timestamp, Qt::UTC) : QDateTime();
    auto handling = untilOk([this, out] { return handler.onReceipt(out); }, QStringLiteral("receipt handler"));
    const bool handled = co_await handling;
    if (!life->alive || !handled)
        co_return;
    (void)session.acknowledge(stanza);
}

void Messenger::Private::processNotification(const Node &stanza)
{
    const QString type = stanza.attributeString(u"type");
    const auto from = stanza.attributeJid(u"from");
    if ((type == u"devices" || type == u"encrypt") && from) {
        // A user's device list (or identity) changed: fetch it again before the next send (§6.6).
        devices.invalidate(userOf(*from));
        if (stanza.hasChildren())
            for (const Node &change : stanza.children())
                if (change.hasChildren())
                    for (const Node &device : change.children())
                        if (auto jid = device.attributeJid(u"jid"))
                            devices.invalidate(userOf(*jid));
    }
    (void)session.acknowledge(stanza);
}

} // namespace atende::server::messenger
