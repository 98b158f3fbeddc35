#include "tests/wasim/customer.h"

#include "server/signal/signal_account.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

namespace atende::wasim {

using namespace server::whatsapp;
using server::messenger::ReceivedMessage;

namespace {
constexpr size_t kMaxKept = 20000; // per list: enough for the benchmarks, bounded for long demos

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

template <typename T> void keepBounded(std::deque<T> &list)
{
    while (list.size() > kMaxKept)
        list.pop_front();
}

QString kindName(MessageContent::Kind kind)
{
    using K = MessageContent::Kind;
    switch (kind) {
    case K::Text: return QStringLiteral("text");
    case K::Reaction: return QStringLiteral("reaction");
    case K::Revoke: return QStringLiteral("revoke");
    case K::Edit: return QStringLiteral("edit");
    case K::Image: return QStringLiteral("image");
    case K::Video: return QStringLiteral("video");
    case K::Audio: return QStringLiteral("audio");
    case K::Document: return QStringLiteral("document");
    case K::Sticker: return QStringLiteral("sticker");
    case K::Location: return QStringLiteral("location");
    case K::Contact: return QStringLiteral("contact");
    case K::Protocol: return QStringLiteral("protocol");
    case K::SenderKeyDistributionOnly: return QStringLiteral("sender_key");
    case K::Unknown: break;
    }
    return QStringLiteral("unknown");
}
} // namespace

QCoro::Task<core::Status> CustomerSessionStore::saveCredentials(const Credentials &c)
{
    credentials = c.serialize();
    co_return core::Status();
}

QCoro::Task<core::Status> CustomerSessionStore::savePreKeys(const QList<PreKeyRecord> &records)
{
    preKeys.append(records);
    co_return core::Status();
}

QCoro::Task<core::Status> CustomerSessionStore::clear()
{
    credentials.clear();
    preKeys.clear();
    co_return core::Status();
}

Customer::Customer(Simulator &simulator, server::signal::SignalContext &context, QString phone, QObject *parent)
    : QObject(parent)
    , m_sim(simulator)
    , m_context(context)
    , m_phone(std::move(phone))
{
    m_store.credentials = Credentials::generate().serialize();
    build();
}

Customer::~Customer()
{
    teardown();
}

void Customer::teardown()
{
    m_messenger.reset();
    m_session.reset();
    m_forwarding.setAccount(nullptr);
    m_account.reset();
}

void Customer::build()
{
    Credentials credentials = Credentials::parse(m_store.credentials).value();
    server::signal::SignalSnapshot snapshot = m_signalStore.snapshot();
    // One-time prekeys live in the session store (the Session generated them); prekeys a pkmsg consumed
    // before the last flush are offered again, which only matters if the server hands one out twice.
    snapshot.preKeys = m_store.preKeys;
    m_account =
        std::make_unique<server::signal::SignalAccount>(m_context, &m_signalStore, credentials, std::move(snapshot));
    m_forwarding.setAccount(m_account.get());
    SessionConfig config;
    config.url = m_sim.wsUrl();
    config.trustRootPublicKey = m_sim.trustRootPublicKey();
    config.trustRootSerial = Simulator::trustRootSerial();
    config.deviceName = QStringLiteral("wasim customer");
    config.backoffInitial = std::chrono::milliseconds(200);
    config.backoffMax = std::chrono::seconds(2);
    m_session = std::make_unique<Session>(config, credentials, m_forwarding);
    m_messenger = std::make_unique<server::messenger::Messenger>(*m_session, *m_account, *this);
    connect(m_session.get(), &Session::qrCodeChanged, this, [this](const QString &qr, qint64) {
        if (m_scanned)
            return;
        m_scanned = true;
        // Scanned from the event loop, not from inside the session's frame handler.
        QTimer::singleShot(0, this, [this, qr] {
            ScanOptions options;
            options.phone = m_phone;
            auto scanned = m_sim.scan(qr, options);
            if (!scanned) {
                qCWarning(lcWasim).noquote() << "customer scan failed:" << scanned.error().code;
                Q_EMIT failed(scanned.error().code);
            }
        });
    });
    connect(m_session.get(), &Session::stateChanged, this, [this](SessionState state, const QString &reason) {
        if (state == SessionState::Connected)
            Q_EMIT connectedChanged(true);
        else if (state == SessionState::LoggedOut || state == SessionState::Failed)
            Q_EMIT failed(reason);
        else if (state == SessionState::Disconnected)
            Q_EMIT connectedChanged(false);
    });
}

void Customer::start()
{
    m_online = true;
    m_session->start();
}

void Customer::stop()
{
    m_online = false;
    m_session->stop();
}

bool Customer::isConnected() const
{
    return m_session && m_session->state() == SessionState::Connected;
}

void Customer::crashAndRebuild()
{
    // The Session may have saved newer credentials (pairing, LID, prekey ids): keep them, as a crash would.
    teardown();
    build();
    if (m_online)
        m_session->start();
}

void Customer::crashAndRebuildFrom(server::signal::SignalSnapshot olderState)
{
    teardown();
    m_signalStore = server::signal::MemorySignalStore(std::move(olderState));
    build();
    if (m_online)
        m_session->start();
}

std::optional<Jid> Customer::deviceJid() const
{
    return m_session ? m_session->credentials().jid : std::nullopt;
}

std::optional<Jid> Customer::lidJid() const
{
    return m_session ? m_session->credentials().lid : std::nullopt;
}

QCoro::Task<core::Status> Customer::onMessage(ReceivedMessage message)
{
    ++m_handlerCalls;
    if (beforeCommit) {
        core::Status allowed = beforeCommit(message);
        if (!allowed)
            co_return allowed;
    }
    if (m_committed.contains(message.id)) {
        ++m_repeatedHandOuts; // idempotent: already committed
        co_return core::Status();
    }
    m_committed.insert(message.id);
    CustomerMessage stored{++m_seq, std::move(message), nowMs()};
    m_messages.push_back(stored);
    keepBounded(m_messages);
    Q_EMIT messageReceived(stored);
    co_return core::Status();
}

QCoro::Task<core::Result<bool>> Customer::isCommitted(QString id, server::whatsapp::Jid sender)
{
    Q_UNUSED(sender);
    co_return m_committed.contains(id);
}

QCoro::Task<core::Status> Customer::onReceipt(server::messenger::ReceivedReceipt receipt)
{
    for (const QString &id : receipt.ids)
        m_receipts.push_back(CustomerReceipt{++m_seq, id, receipt.type, receipt.from.toString(), nowMs()});
    keepBounded(m_receipts);
    co_return core::Status();
}

void Customer::onChatState(const server::messenger::ChatStateEvent &event)
{
    m_chatStates.push_back(CustomerChatState{++m_seq, event.from.toString(), event.composing, nowMs()});
    keepBounded(m_chatStates);
}

void Customer::onPresence(const server::messenger::PresenceEvent &event)
{
    m_presences.push_back(CustomerPresence{++m_seq, event.from.toString(), event.available, nowMs()});
    keepBounded(m_presences);
}

QJsonObject Customer::toJson() const
{
    const auto jid = deviceJid();
    const auto lid = lidJid();
    return {{QStringLiteral("phone"), m_phone},
            {QStringLiteral("jid"), jid ? Jid::make(jid->user, jid->server).toString() : QString()},
            {QStringLiteral("device_jid"), jid ? jid->toString() : QString()},
            {QStringLiteral("lid"), lid ? Jid::make(lid->user, lid->server).toString() : QString()},
            {QStringLiteral("online"), m_online},
            {QStringLiteral("connected"), isConnected()}};
}

QJsonObject Customer::inboxJson(qint64 after) const
{
    QJsonArray messages, receipts, states;
    for (const CustomerMessage &m : m_messages) {
        if (m.seq <= after)
            continue;
        const MessageContent &c = m.message.content;
        QJsonObject o{{QStringLiteral("seq"), m.seq},
                      {QStringLiteral("id"), m.message.id},
                      {QStringLiteral("from"), m.message.sender.toString()},
                      {QStringLiteral("chat"), m.message.chat.toString()},
                      {QStringLiteral("text"), c.media ? c.media->caption : c.text},
                      {QStringLiteral("kind"), kindName(c.kind)},
                      {QStringLiteral("from_own_device"), m.message.fromOwnDevice},
                      {QStringLiteral("offline"), m.message.offline},
                      {QStringLiteral("received_at_ms"), m.receivedAtMs}};
        if (c.quote)
            o.insert(QStringLiteral("quote_id"), c.quote->stanzaId);
        if (!m.message.pushName.isEmpty())
            o.insert(QStringLiteral("push_name"), m.message.pushName);
        messages.append(o);
    }
    for (const CustomerReceipt &r : m_receipts)
        if (r.seq > after)
            receipts.append(QJsonObject{{QStringLiteral("seq"), r.seq},
                                        {QStringLiteral("id"), r.id},
                                        {QStringLiteral("type"), r.type},
                                        {QStringLiteral("from"), r.from},
                                        {QStringLiteral("at_ms"), r.atMs}});
    for (const CustomerChatState &s : m_chatStates)
        if (s.seq > after)
            states.append(QJsonObject{
                {QStringLiteral("seq"), s.seq},
                {QStringLiteral("from"), s.from},
                {QStringLiteral("state"), s.composing ? QStringLiteral("composing") : QStringLiteral("paused")},
                {QStringLiteral("at_ms"), s.atMs}});
    return {{QStringLiteral("messages"), messages},
            {QStringLiteral("receipts"), receipts},
            {QStringLiteral("chat_states"), states},
            {QStringLiteral("last_seq"), m_seq}};
}

} // namespace atende::wasim
