// Receiving (PROTOCOL.md §6.4–§6.6, §8): message, receipt and notification stanzas are processed one at a
// time in arrival order. A message is decrypted in memory, handed to the handler (retried with back-off until
// it commits), then the Signal state is flushed and the delivery receipt sent — the receipt is the message's
// acknowledgement, so a crash before it makes the server deliver the message again.
#include "server/messenger/messenger_private.h"

#include "server/signal/error_codes.h"
#include "server/whatsapp/error_codes.h"

#include <QDateTime>
#include <QTimer>
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
    if (processing)
        return;
    // One loop per messenger, started from the event loop rather than inside the Session's frame handler, so
    // that a handler may do anything (even stop the session) without re-entering it.
    processing = true;
    QTimer::singleShot(0, q, [this] { processInbox(); });
}

QCoro::Task<> Messenger::Private::processInbox()
{
    auto life = this->life;
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

void Messenger::Private::askAgain(const Node &stanza, const IncomingMessage &m, int senderRetry,
                                  const core::Error &failure)
{
    const int count = std::max(retrySent.value(m.id), senderRetry) + 1;
    if (count > options.maxRetryReceipts) {
        qCWarning(lcMessenger).noquote() << "giving up on a message after retries:" << failure.code;
        retrySent.remove(m.id);
        (void)session.acknowledge(stanza, kNackUnhandled);
        return;
    }
    qCInfo(lcMessenger).noquote() << "decrypt failed, retry receipt" << count << ":" << failure.code;
    if (retrySent.size() >= kMaxRetryTracked)
        retrySent.clear();
    retrySent.insert(m.id, count);
    (void)sendRetryReceipt(m, count);
}

QCoro::Task<core::Status> Messenger::Private::lookUpCommitted(QString id, Jid sender, bool *known)
{
    auto life = this->life;
    auto asking = handler.isCommitted(id, sender);
    core::Result<bool> r = co_await asking;
    if (!life->alive)
        co_return core::Error::make(errc::kStoreFailed, QStringLiteral("messenger destroyed"));
    if (!r)
        co_return r.error();
    *known = *r;
    co_return core::Status();
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

    // From the decrypt until the flush and receipt: no send may flush this message's ratchet step (the
    // pending state is flushed as a whole) before the handler committed the message.
    co_await stateLock.lock();
    if (!life->alive)
        co_return;
    LockHold hold(life, stateLock);

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
        askAgain(stanza, m, senderRetry, *failure);
        co_return;
    }
    if (!content) {
        if (!duplicate) {
            // No enc we can read (v3, unknown types): nothing to hand out, tell the server so.
            qCInfo(lcMessenger).noquote() << "message" << m.id << "has no enc we can read";
            (void)session.acknowledge(stanza, 491);
            co_return;
        }
        // Its message key was used before. Either a redelivery of a message the handler committed (a crash
        // between the commit and the receipt): receipt it again. Or a new message under a reused key — the
        // sender's session state went back (seen with Baileys when a decrypt and an encrypt of one session
        // overlap): nobody can read this copy, so the sender is asked for the message again.
        bool known = false;
        auto lookingUp = untilOk(
            [this, id = m.id, sender = m.sender, answer = &known] { return lookUpCommitted(id, sender, answer); },
            QStringLiteral("message lookup"));
        const bool answered = co_await lookingUp;
        if (!life->alive || !answered)
            co_return;
        if (!known) {
            qCInfo(lcMessenger).noquote() << "message" << m.id << "came under a used message key; asking again";
            askAgain(stanza, m, senderRetry,
                     core::Error::make(signal::errc::kDuplicateMessage, QStringLiteral("message key used before")));
            co_return;
        }
        retrySent.remove(m.id);
        qCInfo(lcMessenger).noquote() << "message" << m.id << "was committed before, receipted again";
        auto flushing = untilOk([this] { return flush(); }, QStringLiteral("signal flush"));
        const bool flushed = co_await flushing;
        if (!life->alive || !flushed)
            co_return;
        (void)sendDeliveryReceipt(m);
        co_return;
    }
    retrySent.remove(m.id);

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

} // namespace atende::server::messenger
