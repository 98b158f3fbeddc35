// Session lifecycle: start/stop, one connection attempt at a time, the state machine and what each close
// reason leads to (PROTOCOL.md §11). Pairing, login and iq handling live in session_*.cpp.
#include "server/whatsapp/session.h"

#include "server/whatsapp/client_payload.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"
#include "server/whatsapp/session_private.h"
#include "server/whatsapp/session_reasons.h"

#include <QRandomGenerator>

namespace atende::server::whatsapp {

namespace {
constexpr std::chrono::seconds kHandshakeTimeout{20}; // WM and BL (§2.2)
} // namespace

QString sessionStateName(SessionState state)
{
    switch (state) {
    case SessionState::Disconnected: return QStringLiteral("disconnected");
    case SessionState::Connecting: return QStringLiteral("connecting");
    case SessionState::AwaitingQr: return QStringLiteral("awaiting_qr");
    case SessionState::Pairing: return QStringLiteral("pairing");
    case SessionState::Connected: return QStringLiteral("connected");
    case SessionState::LoggedOut: return QStringLiteral("logged_out");
    case SessionState::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

Session::Private::Private(Session *q, SessionConfig config, Credentials credentials, SessionStore &store)
    : q(q)
    , config(std::move(config))
    , credentials(std::move(credentials))
    , store(store)
{
    reconnectTimer.setSingleShot(true);
    keepaliveTimer.setSingleShot(true);
    qrTimer.setSingleShot(true);
    const quint32 random = QRandomGenerator::system()->generate();
    idPrefix = QStringLiteral("%1.%2-").arg(random & 0xFF).arg((random >> 8) & 0xFF);
}

QDateTime Session::Private::now() const
{
    return config.clock ? config.clock() : QDateTime::currentDateTimeUtc();
}

Session::Session(SessionConfig config, Credentials credentials, SessionStore &store, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(config), std::move(credentials), store))
{
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] { d->connectNow(); });
    connect(&d->keepaliveTimer, &QTimer::timeout, this, [this] { d->sendKeepalive(d->guard()); });
    connect(&d->qrTimer, &QTimer::timeout, this, [this] { d->showNextQr(); });
    d->health.since = d->now();
}

Session::~Session()
{
    d->life->alive = false;
    d->running = false;
    d->dropConnection();
}

void Session::start()
{
    if (d->running)
        return;
    d->running = true;
    d->consecutiveFailures = 0;
    d->health.reconnects = 0;
    d->connectNow();
}

void Session::stop()
{
    d->running = false;
    d->reconnectTimer.stop();
    d->dropConnection();
    // LoggedOut and Failed say what the connection needs (a new pairing, an operator); stopping keeps that.
    if (d->health.state != SessionState::LoggedOut && d->health.state != SessionState::Failed)
        d->setState(SessionState::Disconnected, QString(reason::kStopped));
}

SessionState Session::state() const
{
    return d->health.state;
}

SessionHealth Session::health() const
{
    return d->health;
}

const Credentials &Session::credentials() const
{
    return d->credentials;
}

core::Status Session::send(const Node &node)
{
    if (!d->loggedIn)
        return core::Error::make(errc::kNotConnected, QStringLiteral("the session is not logged in"));
    return d->sendNode(node);
}

QCoro::Task<core::Result<Node>> Session::query(Node iq, std::chrono::milliseconds timeout)
{
    if (!d->loggedIn)
        co_return core::Error::make(errc::kNotConnected, QStringLiteral("the session is not logged in"));
    auto task = d->rawQuery(std::move(iq), timeout);
    core::Result<Node> result = co_await task;
    co_return result;
}

void Session::Private::setState(SessionState state, const QString &why)
{
    if (health.state == state && health.reason == why)
        return;
    health.state = state;
    health.reason = why;
    health.since = now();
    if (state == SessionState::Connected)
        health.connectedAt = health.since;
    else if (state != SessionState::Pairing)
        health.connectedAt = {};
    qCInfo(lcWhatsApp).noquote() << "session" << sessionStateName(state) << why;
    Q_EMIT q->stateChanged(state, why);
}

void Session::Private::connectNow()
{
    if (!running)
        return;
    reconnectTimer.stop();
    dropConnection();
    const bool paired = credentials.paired();
    // Between pair-success and the first login the session stays Pairing (the 515 restart is part of it).
    if (health.state != SessionState::Pairing)
        setState(SessionState::Connecting, QString(paired ? reason::kLoggingIn : reason::kRegistering));

    CertChainVerifier::Clock clock;
    if (config.clock)
        clock = [c = config.clock] {
            return c().toSecsSinceEpoch();
        };
    CertChainVerifier verifier(
        config.trustRootPublicKey.isEmpty() ? CertChainVerifier::whatsAppRootKey() : config.trustRootPublicKey,
        config.trustRootPublicKey.isEmpty() ? CertChainVerifier::kWhatsAppRootSerial : config.trustRootSerial,
        std::move(clock));
    NoiseSocket::Callbacks callbacks;
    callbacks.node = [this](const Node &node) {
        onNode(node);
    };
    callbacks.frameReceived = [this] {
        health.lastFrameAt = now();
    };
    callbacks.closed = [this](const QString &why) {
        closeWith(why);
    };
    socket = std::make_unique<NoiseSocket>(q, std::move(callbacks));
    socket->open(config.url, credentials.noiseKey,
                 paired ? loginPayload(credentials, config) : registrationPayload(credentials, config),
                 std::move(verifier), kHandshakeTimeout);
}

void Session::Private::dropConnection()
{
    ++life->epoch; // coroutines of the old connection stop at their next resume
    socket.reset();
    keepaliveTimer.stop();
    qrTimer.stop();
    qrRefs.clear();
    qrIndex = 0;
    codePairing.reset();
    loggedIn = false;
    uploadingPreKeys = false;
    keepaliveMisses = 0;
    failAllWaiters(QStringLiteral("disconnected"));
}

void Session::Private::closeWith(const QString &why)
{
    const bool wasPairing = health.state == SessionState::Pairing;
    dropConnection();
    if (loggingOut)
        return; // logout() is already clearing the store and will end in LoggedOut
    switch (reconnectActionFor(why)) {
    case ReconnectAction::Immediately:
        consecutiveFailures = 0;
        if (!wasPairing)
            setState(SessionState::Disconnected, why);
        ++health.reconnects;
        reconnectTimer.start(0);
        return;
    case ReconnectAction::Backoff: {
        ++consecutiveFailures;
        const auto delay =
            backoffDelay(consecutiveFailures, config.backoffInitial, config.backoffMax, config.backoffJitter,
                         [] { return QRandomGenerator::global()->generateDouble(); });
        setState(SessionState::Disconnected, why);
        ++health.reconnects;
        qCInfo(lcWhatsApp) << "reconnecting in" << delay.count() << "ms";
        reconnectTimer.start(delay);
        return;
    }
    case ReconnectAction::Stop:
        running = false;
        setState(SessionState::Disconnected, why);
        return;
    case ReconnectAction::Fail:
        running = false;
        setState(SessionState::Failed, why);
        return;
    case ReconnectAction::LogOut:
        running = false;
        logOutLocally(why);
        return;
    }
}

void Session::Private::onNode(const Node &node)
{
    const QString &tag = node.tag;
    if (tag == QLatin1String("iq")) {
        if (completeIq(node))
            return;
        if (node.child(u"pair-device"))
            return onPairDevice(node);
        if (node.child(u"pair-success")) {
            onPairSuccess(node); // runs on: it awaits the store before replying
            return;
        }
    } else if (tag == QLatin1String("ack")) {
        if (completeIq(node))
            return;
    } else if (tag == QLatin1String("success")) {
        return onSuccess(node);
    } else if (tag == QLatin1String("failure")) {
        return closeWith(failureReason(node));
    } else if (tag == QLatin1String("stream:error")) {
        return closeWith(streamErrorReason(node));
    } else if (tag == QLatin1String("xmlstreamend")) {
        return closeWith(QString(reason::kStreamEnd));
    } else if (tag == QLatin1String("notification")) {
        const QString type = node.attributeString(u"type");
        if (type == QLatin1String("encrypt") && node.child(u"count"))
            return onEncryptNotification(node);
        if (type == QLatin1String("link_code_companion_reg"))
            return onLinkCodeNotification(node);
    } else if (tag == QLatin1String("ib")) {
        // Offline markers, dirty bits, edge routing: nothing the product needs yet (§6.7).
        qCDebug(lcWhatsApp).noquote() << "ib" << node.describe();
        return;
    }
    Q_EMIT q->stanzaReceived(node);
}

} // namespace atende::server::whatsapp
