// The logged-in connection (PROTOCOL.md §6): <success>, prekey top-up, passive/presence, keepalive and
// logout.
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"
#include "server/whatsapp/session_private.h"
#include "server/whatsapp/session_reasons.h"

#include <QRandomGenerator>

namespace atende::server::whatsapp {

namespace {

constexpr int kMinPreKeys = 5;       // top up below this many on the server (WM, BL)
constexpr int kPreKeyBatch = 50;     // WM's normal upload
constexpr int kInitialPreKeys = 812; // first upload of a new device (WM, BL)
constexpr quint32 kMaxPreKeyId = 0xFFFFFF;
constexpr std::chrono::seconds kIqTimeout{30};

QByteArray bigEndian(quint32 value, int width)
{
    QByteArray out(width, '\0');
    for (int i = width - 1; i >= 0; --i, value >>= 8)
        out[i] = char(value & 0xFF);
    return out;
}

Node bytesNode(const QString &tag, QByteArray bytes)
{
    return Node(tag, {}, std::move(bytes));
}

Node keyNode(const QString &tag, quint32 id, const QByteArray &publicKey, const QByteArray &signature = {})
{
    std::vector<Node> children{bytesNode(QStringLiteral("id"), bigEndian(id, 3)),
                               bytesNode(QStringLiteral("value"), publicKey)};
    if (!signature.isEmpty())
        children.push_back(bytesNode(QStringLiteral("signature"), signature));
    return Node(tag, {}, std::move(children));
}

} // namespace

void Session::Private::onSuccess(const Node &success)
{
    loggedIn = true;
    consecutiveFailures = 0;
    bool numeric = false;
    if (const qint64 serverTime = success.attributeString(u"t").toLongLong(&numeric); numeric)
        serverClockOffsetSecs = serverTime - now().toSecsSinceEpoch();
    bool lidChanged = false;
    if (auto lid = success.attributeJid(u"lid"); lid && lid != credentials.lid) {
        credentials.lid = lid;
        lidChanged = true;
    }
    setState(SessionState::Connected, QString(reason::kLoggedIn));
    scheduleKeepalive();
    afterLogin(guard(), lidChanged);
}

QCoro::Task<> Session::Private::afterLogin(SessionGuard g, bool lidChanged)
{
    if (lidChanged) {
        auto saving = store.saveCredentials(credentials);
        const core::Status saved = co_await saving;
        if (!g.valid())
            co_return;
        if (!saved)
            qCWarning(lcWhatsApp).noquote() << "storing the own LID failed:" << saved.error().code;
    }
    // §6.1 order: prekey count (and upload), passive active, presence.
    Node count(QStringLiteral("count"));
    auto counting = rawQuery(makeIq(QStringLiteral("get"), QStringLiteral("encrypt"), {count}), kIqTimeout);
    const core::Result<Node> counted = co_await counting;
    if (!g.valid())
        co_return;
    if (counted) {
        const Node *value = counted->child(u"count");
        const int onServer = value ? value->attributeString(u"value").toInt() : 0;
        if (onServer < kMinPreKeys) {
            const bool fresh = onServer == 0 && credentials.nextPreKeyId == 1;
            auto uploading = uploadPreKeys(g, fresh ? kInitialPreKeys : kPreKeyBatch);
            co_await uploading;
            if (!g.valid())
                co_return;
        }
    } else {
        qCInfo(lcWhatsApp).noquote() << "prekey count failed:" << counted.error().code;
    }
    auto activating = rawQuery(
        makeIq(QStringLiteral("set"), QStringLiteral("passive"), {Node(QStringLiteral("active"))}), kIqTimeout);
    const core::Result<Node> active = co_await activating;
    if (!g.valid())
        co_return;
    if (!active)
        qCInfo(lcWhatsApp).noquote() << "passive active failed:" << active.error().code;
    Node presence(QStringLiteral("presence"), {{QStringLiteral("type"), QStringLiteral("available")}});
    if (!credentials.pushName.isEmpty())
        presence.setAttribute(QStringLiteral("name"), credentials.pushName);
    (void)sendNode(presence);
}

QCoro::Task<> Session::Private::uploadPreKeys(SessionGuard g, int count)
{
    if (uploadingPreKeys)
        co_return;
    uploadingPreKeys = true;
    const quint32 first = credentials.nextPreKeyId;
    const quint32 last = std::min<quint32>(first + quint32(count) - 1, kMaxPreKeyId);
    if (first > last) {
        qCWarning(lcWhatsApp) << "prekey ids exhausted";
        co_return;
    }
    QList<PreKeyRecord> keys;
    keys.reserve(qsizetype(last - first + 1));
    for (quint32 id = first; id <= last; ++id)
        keys.append(PreKeyRecord{id, crypto::generateX25519KeyPair()});

    // Reserve the ids first, then store the private parts, then upload: an id is never handed out twice
    // and the server never holds a key we cannot decrypt with (§6.3, session_store.h).
    Credentials reserved = credentials;
    reserved.nextPreKeyId = last + 1;
    auto reserving = store.saveCredentials(reserved);
    const core::Status reservedOk = co_await reserving;
    if (!g.life->alive)
        co_return;
    if (reservedOk)
        credentials.nextPreKeyId = std::max(credentials.nextPreKeyId, last + 1);
    if (!g.valid())
        co_return;
    if (!reservedOk) {
        qCWarning(lcWhatsApp).noquote() << "reserving prekey ids failed:" << reservedOk.error().code;
        uploadingPreKeys = false;
        co_return;
    }
    auto saving = store.savePreKeys(keys);
    const core::Status saved = co_await saving;
    if (!g.valid())
        co_return;
    if (!saved) {
        qCWarning(lcWhatsApp).noquote() << "storing prekeys failed:" << saved.error().code;
        uploadingPreKeys = false;
        co_return;
    }

    std::vector<Node> list;
    list.reserve(size_t(keys.size()));
    for (const PreKeyRecord &key : keys)
        list.push_back(keyNode(QStringLiteral("key"), key.id, key.keyPair.publicKey));
    std::vector<Node> children;
    children.push_back(bytesNode(QStringLiteral("registration"), bigEndian(credentials.registrationId, 4)));
    children.push_back(bytesNode(QStringLiteral("type"), QByteArray(1, '\x05')));
    children.push_back(bytesNode(QStringLiteral("identity"), credentials.identityKey.publicKey));
    children.push_back(Node(QStringLiteral("list"), {}, std::move(list)));
    const SignedPreKey &signedPreKey = credentials.signedPreKey;
    children.push_back(
        keyNode(QStringLiteral("skey"), signedPreKey.id, signedPreKey.keyPair.publicKey, signedPreKey.signature));
    keys.clear();
    auto uploading = rawQuery(makeIq(QStringLiteral("set"), QStringLiteral("encrypt"), std::move(children)),
                              std::chrono::seconds(60));
    const core::Result<Node> uploaded = co_await uploading;
    if (!g.valid())
        co_return;
    uploadingPreKeys = false;
    if (uploaded)
        qCInfo(lcWhatsApp) << "uploaded" << (last - first + 1) << "prekeys";
    else
        qCWarning(lcWhatsApp).noquote() << "prekey upload failed:" << uploaded.error().code;
}

void Session::Private::onEncryptNotification(const Node &notification)
{
    ack(notification);
    const int onServer = notification.child(u"count")->attributeString(u"value").toInt();
    if (loggedIn && onServer < kMinPreKeys)
        uploadPreKeys(guard(), kPreKeyBatch);
}

void Session::Private::scheduleKeepalive()
{
    // 25 s ± 5 s by default (§6.8): the jitter is a fifth of the interval either way.
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    keepaliveTimer.start(std::chrono::milliseconds(qint64(double(config.keepaliveInterval.count()) * factor)));
}

QCoro::Task<> Session::Private::sendKeepalive(SessionGuard g)
{
    if (!loggedIn)
        co_return;
    auto pinging = rawQuery(makeIq(QStringLiteral("get"), QStringLiteral("w:p"), {Node(QStringLiteral("ping"))}),
                            config.keepaliveDeadline);
    const core::Result<Node> pong = co_await pinging;
    if (!g.valid())
        co_return;
    // An error answer still proves the connection is alive; only silence counts as a miss.
    if (pong || pong.error().code != QLatin1String(errc::kIqTimeout)) {
        keepaliveMisses = 0;
    } else if (++keepaliveMisses >= 2) {
        closeWith(QString(reason::kKeepaliveTimeout));
        co_return;
    }
    scheduleKeepalive();
}

QCoro::Task<> Session::Private::logOutLocally(QString why)
{
    const std::shared_ptr<SessionLife> lifeToken = life;
    auto clearing = store.clear();
    const core::Status cleared = co_await clearing;
    if (!lifeToken->alive)
        co_return;
    if (!cleared)
        qCWarning(lcWhatsApp).noquote() << "clearing the session store failed:" << cleared.error().code;
    // A later start() pairs again, as a new device with new keys.
    credentials = Credentials::generate();
    loggingOut = false;
    setState(SessionState::LoggedOut, why);
}

QCoro::Task<core::Status> Session::logout()
{
    const std::shared_ptr<SessionLife> lifeToken = d->life;
    d->loggingOut = true;
    if (d->loggedIn && d->credentials.jid) {
        Node remove(QStringLiteral("remove-companion-device"),
                    {{QStringLiteral("jid"), *d->credentials.jid},
                     {QStringLiteral("reason"), QStringLiteral("user_initiated")}});
        auto removing = d->rawQuery(makeIq(QStringLiteral("set"), QStringLiteral("md"), {std::move(remove)}),
                                    std::chrono::seconds(15));
        const core::Result<Node> removed = co_await removing;
        if (!lifeToken->alive)
            co_return core::Error::make(errc::kNotConnected, QStringLiteral("the session was destroyed"));
        if (!removed)
            qCWarning(lcWhatsApp).noquote() << "remove-companion-device failed:" << removed.error().code;
    }
    d->running = false;
    d->reconnectTimer.stop();
    d->dropConnection();
    auto clearing = d->logOutLocally(QString(reason::kLoggedOut));
    co_await clearing;
    co_return core::Status{};
}

} // namespace atende::server::whatsapp
