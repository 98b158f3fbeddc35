#include "tests/wasim/simulator.h"

#include "server/api/http_server.h"
#include "server/signal/signal_context.h"
#include "server/whatsapp/proto/wa_client_payload.pb.h"
#include "tests/wasim/admin_api.h"
#include "tests/wasim/connection.h"
#include "tests/wasim/customer.h"
#include "tests/wasim/wasim_logging.h"

#include <QDateTime>
#include <QHostAddress>
#include <QWebSocket>

namespace atende::wasim {

Q_LOGGING_CATEGORY(lcWasim, "atende.wasim")

using namespace server::whatsapp;
using core::Error;

namespace {
constexpr int kMaxEvents = 500;
}

Simulator::Simulator(SimulatorOptions options, QObject *parent)
    : QObject(parent)
    , m_options(withStateSeed(std::move(options)))
    , m_ca(m_options.seed)
    , m_serverStatic(m_options.serverStatic ? *m_options.serverStatic
                                            : TestCa::derivedKeyPair(m_options.seed, "server-static"))
{
    m_admin = std::make_unique<AdminApi>(*this);
    loadState();
    connect(this, &Simulator::deviceLinked, this,
            [this](const QString &key) { notifyDevicesChanged(key.section(u':', 0, 0), key, true); });
}

Simulator::~Simulator()
{
    // Customers first: their sessions are connections to this simulator.
    m_customers.clear();
    if (m_saveScheduled)
        saveState();
    // Delete the connections while the members they call back into still exist (as QObject children they
    // would die only after the members).
    const auto all = m_connections.values();
    m_connections.clear();
    for (Connection *c : all) {
        c->disconnect(this);
        delete c;
    }
}

core::Status Simulator::start(quint16 port, int adminPort)
{
    m_wsServer = std::make_unique<server::api::HttpServer>(
        server::api::HttpServerOptions{}, [](server::api::HttpRequest, server::api::HttpResponder responder) {
            responder.send(
                server::api::HttpResponse::json(404, R"({"code":"not_found","message":"only /ws/chat lives here"})"));
        });
    m_wsServer->setWebSocketPaths([](const QByteArray &path) { return path == "/ws/chat"; });
    connect(m_wsServer.get(), &server::api::HttpServer::newWebSocket, this,
            [this](QWebSocket *socket, const QByteArray &, const QHostAddress &) { onWebSocket(socket); });
    if (!m_wsServer->listen(QHostAddress::LocalHost, port))
        return Error::make("wasim_listen_failed", m_wsServer->errorString());

    m_adminServer = std::make_unique<server::api::HttpServer>(
        server::api::HttpServerOptions{},
        [this](server::api::HttpRequest request, server::api::HttpResponder responder) {
            m_admin->handle(request, std::move(responder));
        });
    if (!m_adminServer->listen(QHostAddress::LocalHost, quint16(qMax(0, adminPort))))
        return Error::make("wasim_listen_failed", m_adminServer->errorString());
    qCInfo(lcWasim) << "listening: ws port" << m_wsServer->port() << "admin port" << m_adminServer->port();
    return {};
}

QUrl Simulator::wsUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/chat").arg(m_wsServer ? m_wsServer->port() : 0));
}

QUrl Simulator::adminUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_adminServer ? m_adminServer->port() : 0));
}

qint64 Simulator::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentSecsSinceEpoch();
}

QString Simulator::nextId()
{
    return QStringLiteral("wasim-%1").arg(m_nextId++);
}

void Simulator::record(const QString &event)
{
    m_events.append(event);
    if (m_events.size() > kMaxEvents)
        m_events.removeFirst();
    Q_EMIT eventRecorded(event);
}

crypto::KeyPair Simulator::nextEphemeral() const
{
    return m_options.ephemeralKeys ? m_options.ephemeralKeys() : crypto::generateX25519KeyPair();
}

QByteArray Simulator::certChain()
{
    if (!m_options.certChainOverride.isEmpty())
        return m_options.certChainOverride;
    if (m_faults.chain != ChainFault::None)
        return m_ca.chainFor(m_serverStatic.publicKey, m_faults.chain, now()).value();
    if (m_cachedChain.isEmpty())
        m_cachedChain = m_ca.chainFor(m_serverStatic.publicKey, ChainFault::None, now()).value();
    return m_cachedChain;
}

void Simulator::onWebSocket(QWebSocket *socket)
{
    const quint64 id = m_nextConnectionId++;
    auto *connection = new Connection(*this, id, socket);
    m_connections.insert(id, connection);
    connect(connection, &Connection::closed, this, [this, id, connection] {
        m_connections.remove(id);
        connection->deleteLater();
    });
}

void Simulator::onClientPayload(Connection &connection, const QByteArray &bytes)
{
    proto::ClientPayload payload;
    if (!payload.ParseFromArray(bytes.constData(), int(bytes.size()))) {
        connection.abort(QStringLiteral("ClientPayload does not parse"));
        return;
    }
    if (payload.has_device_pairing_data()) {
        beginRegistration(connection, payload);
        return;
    }
    if (payload.has_username()) {
        login(connection, payload.username(), payload.device(), QString::fromStdString(payload.push_name()));
        return;
    }
    connection.send(Node(QStringLiteral("failure"), {{QStringLiteral("reason"), QStringLiteral("400")}}));
    connection.close(QStringLiteral("payload is neither registration nor login"));
}

void Simulator::onNode(Connection &connection, const Node &node)
{
    if (node.tag == u"iq") {
        onIq(connection, node);
        return;
    }
    if (node.tag == u"xmlstreamend") {
        connection.close(QStringLiteral("client ended the stream"));
        return;
    }
    if (connection.phase() != Connection::Phase::LoggedIn) {
        qCDebug(lcWasim) << "connection" << connection.id() << "ignored before login:" << node.describe();
        return;
    }
    if (node.tag == u"presence")
        return onPresence(connection, node);
    if (node.tag == u"ack")
        return onClientAck(connection, node);
    if (node.tag == u"ib")
        return; // telemetry (unified_session, offline_batch): nothing to do
    if (auto handler = m_stanzaHandlers.constFind(node.tag); handler != m_stanzaHandlers.cend()) {
        (*handler)(connection, node);
        return;
    }
    if (node.tag == u"message")
        return onMessage(connection, node);
    if (node.tag == u"receipt")
        return onReceipt(connection, node);
    if (node.tag == u"chatstate")
        return onChatstate(connection, node);
    if (node.tag == u"notification" || node.tag == u"call") {
        // Nothing to relay (calls and client notifications are not simulated); acknowledge so that
        // clients do not wait.
        Node ack(QStringLiteral("ack"),
                 {{QStringLiteral("id"), node.attributeString(u"id")}, {QStringLiteral("class"), node.tag}});
        if (auto to = node.attributeJid(u"to"))
            ack.setAttribute(QStringLiteral("from"), *to);
        connection.sendReply(ack);
        return;
    }
    qCDebug(lcWasim) << "connection" << connection.id() << "ignored" << node.describe();
}

QString Simulator::pnJid(const QString &phone, quint16 device) const
{
    return Jid::make(phone, QString(Jid::kUserServer), device).toString();
}

QString Simulator::lidJid(const SimUser &user, quint16 device) const
{
    return Jid::make(user.lid, QString(Jid::kLidServer), device).toString();
}

SimUser *Simulator::userFor(const QString &phone, bool createDefault)
{
    if (!phone.isEmpty()) {
        auto it = m_users.find(phone);
        return it == m_users.end() ? nullptr : &it->second;
    }
    if (!m_userOrder.isEmpty())
        return &m_users.at(m_userOrder.first());
    if (!createDefault)
        return nullptr;
    auto created = createUser({QStringLiteral("15550000001"), QStringLiteral("Wasim Phone"), {}});
    return created ? &m_users.at(created->phone) : nullptr;
}

SimDevice *Simulator::findDevice(const QString &deviceKey)
{
    auto it = m_devices.find(deviceKey);
    return it == m_devices.end() ? nullptr : &it->second;
}

QList<Connection *> Simulator::connectionsOf(const QString &deviceKey) const
{
    QList<Connection *> out;
    for (Connection *c : m_connections)
        if (c->phase() == Connection::Phase::LoggedIn && c->deviceKey() == deviceKey)
            out.append(c);
    return out;
}

std::optional<QString> deviceKeyFromText(QStringView text)
{
    if (text.contains(u'@')) {
        auto jid = Jid::parse(text);
        if (!jid || jid->user.isEmpty() || jid->server != Jid::kUserServer)
            return std::nullopt;
        return jid->user + u':' + QString::number(jid->device);
    }
    const auto parts = text.split(u':');
    if (parts.size() != 2)
        return std::nullopt;
    bool ok1 = false, ok2 = false;
    (void)parts[0].toULongLong(&ok1);
    const uint device = parts[1].toUInt(&ok2);
    if (!ok1 || !ok2 || device > 255)
        return std::nullopt;
    return text.toString();
}

} // namespace atende::wasim
