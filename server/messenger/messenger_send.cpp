// Sending (PROTOCOL.md §7): device lists (usync, cached), prekey bundles for devices without a session, one
// enc per device (the device-sent copy for our own other devices), flush of the Signal state, the stanza,
// and the server's ack. Also answering retry receipts for messages we sent (§8.4).
#include "server/messenger/messenger_private.h"

#include "server/messenger/error_codes.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/key_bundle.h"
#include "server/whatsapp/message_padding.h"
#include "server/whatsapp/usync.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace atende::server::messenger {

using namespace whatsapp;
using core::Error;

signal::PreKeyBundle toSignalBundle(const PreKeyBundle &b)
{
    signal::PreKeyBundle out;
    out.registrationId = b.registrationId;
    out.identityKey = b.identityKey;
    out.signedPreKeyId = b.signedPreKeyId;
    out.signedPreKey = b.signedPreKey;
    out.signedPreKeySignature = b.signedPreKeySignature;
    if (b.preKeyId)
        out.preKey = signal::PreKeyBundle::OneTime{*b.preKeyId, b.preKey};
    return out;
}

namespace {

Error notConnected(const QString &why)
{
    return Error::make(whatsapp::errc::kNotConnected, why);
}

} // namespace

void Messenger::Private::rememberSent(const QString &id, SentMessage message)
{
    // Bounded in count and in age: a retry receipt comes within seconds or minutes, not hours (§7.7).
    constexpr qint64 kKeepMs = 3600 * 1000;
    message.keptAtMs = QDateTime::currentMSecsSinceEpoch();
    while (!sentOrder.empty() && message.keptAtMs - sent.value(sentOrder.front()).keptAtMs > kKeepMs) {
        sent.remove(sentOrder.front());
        sentOrder.pop_front();
    }
    if (!sent.contains(id))
        sentOrder.push_back(id);
    sent.insert(id, std::move(message));
    while (qsizetype(sentOrder.size()) > qMax(1, options.recentSentSize)) {
        sent.remove(sentOrder.front());
        sentOrder.pop_front();
    }
}

QCoro::Task<core::Status> Messenger::Private::flush()
{
    auto life = this->life;
    co_await flushLock.lock();
    if (!life->alive)
        co_return Error::make(errc::kStoreFailed, QStringLiteral("messenger destroyed"));
    auto flushing = account.flush();
    const core::Status flushed = co_await flushing;
    if (!life->alive)
        co_return Error::make(errc::kStoreFailed, QStringLiteral("messenger destroyed"));
    flushLock.unlock();
    if (!flushed)
        co_return Error::make(errc::kStoreFailed,
                              QStringLiteral("storing the Signal state failed: %1").arg(flushed.error().code));
    co_return core::Status();
}

QCoro::Task<core::Result<QHash<QString, QList<Jid>>>> Messenger::Private::deviceLists(QList<Jid> users)
{
    auto life = this->life;
    QHash<QString, QList<Jid>> out;
    QList<Jid> missing;
    for (const Jid &user : users) {
        if (auto cached = devices.devices(user))
            out.insert(userKey(user), *cached);
        else
            missing.append(user);
    }
    if (missing.isEmpty())
        co_return out;
    const QString sid = QString::number(QRandomGenerator::global()->generate64());
    auto query = buildUsyncDeviceQuery(missing, sid);
    if (!query)
        co_return query.error();
    auto querying = session.query(*query);
    core::Result<Node> answer = co_await querying;
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    if (!answer)
        co_return answer.error();
    auto parsed = parseUsyncDevices(*answer);
    if (!parsed)
        co_return parsed.error();
    for (const UsyncUser &u : *parsed) {
        const Jid user = userOf(u.user);
        const QList<Jid> jids = u.deviceJids();
        if (jids.isEmpty())
            continue; // not on WhatsApp (the server lists the user without devices); not cached
        devices.store(user, jids);
        if (u.lid && user.server == Jid::kUserServer)
            devices.mapLid(user, userOf(*u.lid));
        out.insert(userKey(user), jids);
    }
    co_return out;
}

QCoro::Task<core::Result<QList<Jid>>> Messenger::Private::ensureSessions(QList<Jid> targets, bool force)
{
    auto life = this->life;
    QList<Jid> ready;
    QList<Jid> fetch;
    for (const Jid &device : targets) {
        const auto address = signal::addressForJid(device);
        if (!address)
            continue;
        if (!force && account.hasSession(*address))
            ready.append(device);
        else
            fetch.append(device);
    }
    if (fetch.isEmpty())
        co_return ready;
    auto query = buildKeyBundleQuery(fetch);
    if (!query)
        co_return query.error();
    auto querying = session.query(*query);
    core::Result<Node> answer = co_await querying;
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    if (!answer)
        co_return answer.error();
    auto bundles = parseKeyBundleResult(*answer);
    if (!bundles)
        co_return bundles.error();
    for (const PreKeyBundle &bundle : bundles->bundles) {
        // The server may name the device differently (agent, LID); match it back to what we asked for.
        const auto it = std::find_if(fetch.begin(), fetch.end(), [&](const Jid &j) {
            return j.user == bundle.device.user && j.device == bundle.device.device;
        });
        const Jid device = it != fetch.end() ? *it : bundle.device;
        const auto address = signal::addressForJid(device);
        if (!address)
            continue;
        auto processed = account.processPreKeyBundle(*address, toSignalBundle(bundle));
        if (!processed) {
            qCInfo(lcMessenger).noquote() << "bundle refused for a device:" << processed.error().code;
            continue;
        }
        if (processed->identityChanged)
            Q_EMIT q->identityChanged(userOf(device));
        ready.append(device);
    }
    for (const auto &[device, error] : bundles->failures)
        qCInfo(lcMessenger).noquote() << "no bundle for a device:" << error.code;
    co_return ready;
}

QCoro::Task<core::Result<QString>> Messenger::Private::send(Jid to, QByteArray message, QString id)
{
    auto life = this->life;
    if (to.user.isEmpty() || (to.server != Jid::kUserServer && to.server != Jid::kLidServer))
        co_return Error::make(errc::kInvalidRecipient, QStringLiteral("the recipient must be a user JID"));
    const Jid chat = userOf(to);
    co_await sendLock.lock();
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    LockHold holdingSend(life, sendLock);

    if (session.state() != SessionState::Connected)
        co_return notConnected(QStringLiteral("the session is not connected"));
    const Jid self = ownPn();
    const bool toSelf = isOwnUser(chat);
    const Jid ownUser = chat.server == Jid::kLidServer && ownLid() ? userOf(*ownLid()) : userOf(self);
    QList<Jid> users{chat};
    if (!toSelf)
        users.append(ownUser);
    auto listing = deviceLists(users);
    auto lists = co_await listing;
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    if (!lists)
        co_return lists.error().code == QLatin1String(whatsapp::errc::kIqTimeout) ? notConnected(lists.error().message)
                                                                                  : lists.error();
    if (!lists->contains(userKey(chat)))
        co_return Error::make(errc::kPeerUnknown, QStringLiteral("the number is not on WhatsApp"));
    QList<Jid> targets;
    for (const QList<Jid> &list : *lists)
        for (const Jid &device : list)
            if (!(device.user == self.user && device.device == self.device) &&
                !(ownLid() && device.user == ownLid()->user && device.device == ownLid()->device))
                targets.append(device);
    // From here on the send changes the Signal state and flushes it: not while a received message is between
    // its decrypt and its commit (stateLock), or that message's ratchet step would be flushed with ours.
    co_await stateLock.lock();
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    LockHold holdingState(life, stateLock);
    auto ensuring = ensureSessions(targets, false);
    auto ready = co_await ensuring;
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    if (!ready)
        co_return ready.error().code == QLatin1String(whatsapp::errc::kIqTimeout) ? notConnected(ready.error().message)
                                                                                  : ready.error();

    if (id.isEmpty())
        id = generateMessageId(self.user, QDateTime::currentSecsSinceEpoch());
    const QByteArray deviceSent = buildDeviceSentMessage(userKey(chat), message);
    OutgoingMessage out;
    out.id = id;
    out.to = chat;
    out.deviceIdentity = session.credentials().account;
    bool peerReached = false;
    for (const Jid &device : *ready) {
        const bool own = isOwnUser(device);
        const auto address = signal::addressForJid(device);
        auto encrypted = account.encrypt(*address, padMessageRandom(own && !toSelf ? deviceSent : message));
        if (!encrypted) {
            qCWarning(lcMessenger).noquote() << "encrypting for a device failed:" << encrypted.error().code;
            continue;
        }
        peerReached = peerReached || userOf(device).user == chat.user;
        out.encs.push_back(OutgoingEnc{device, QString(signal::encTypeName(encrypted->type)), encrypted->bytes, {}});
    }
    if (!peerReached)
        co_return Error::make(errc::kNoDevices, QStringLiteral("no device of the recipient could be encrypted for"));
    auto stanza = buildMessageStanza(out);
    if (!stanza)
        co_return stanza.error();
    // The ratchet steps are durable before the ciphertexts leave (a crash after sending must not reuse keys).
    auto flushing = flush();
    const core::Status flushed = co_await flushing;
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    if (!flushed)
        co_return flushed.error();
    auto querying = session.query(*stanza, options.sendAckTimeout);
    core::Result<Node> acked = co_await querying;
    if (!life->alive)
        co_return notConnected(QStringLiteral("messenger destroyed"));
    if (!acked)
        co_return notConnected(QStringLiteral("no server ack: %1").arg(acked.error().code));
    auto ack = parseServerAck(*acked);
    if (!ack || ack->error != 0) {
        co_return Error::make(errc::kSendRejected, QStringLiteral("the server refused the message"),
                              {{QStringLiteral("ack_error"), ack ? ack->error : -1}});
    }
    rememberSent(id, SentMessage{chat, message, out.type, ack->timestamp});
    co_return id;
}

} // namespace atende::server::messenger
