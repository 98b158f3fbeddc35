#include "tests/app/fake_atende_server.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QWebSocket>

namespace atende::test {

FakeAtendeServer::FakeAtendeServer(QObject *parent)
    : QObject(parent)
    , m_webSockets(QStringLiteral("fake-atende"), QWebSocketServer::NonSecureMode)
{
    connect(&m_listener, &QTcpServer::newConnection, this, &FakeAtendeServer::onNewConnection);
    connect(&m_webSockets, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_webSockets.nextPendingConnection()) {
            socket->setParent(this);
            m_webSocketClients.append(socket);
            ++m_webSocketsAccepted;
            socket->sendBinaryMessage(QByteArrayLiteral("Hello"));
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

FakeAtendeServer::~FakeAtendeServer()
{
    shutdown();
}

bool FakeAtendeServer::listen(quint16 port)
{
    if (!m_listener.listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_listener.serverPort();
    return true;
}

void FakeAtendeServer::shutdown()
{
    m_listener.close();
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_httpClients)) {
        if (socket) {
            socket->abort();
            socket->deleteLater();
        }
    }
    m_httpClients.clear();
    for (const QPointer<QWebSocket> &socket : std::as_const(m_webSocketClients)) {
        if (socket) {
            socket->abort();
            socket->deleteLater();
        }
    }
    m_webSocketClients.clear();
}

QUrl FakeAtendeServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

void FakeAtendeServer::setReady(bool ready, const QString &notReadyMessage)
{
    m_ready = ready;
    m_notReadyMessage = notReadyMessage;
}

void FakeAtendeServer::onNewConnection()
{
    while (QTcpSocket *socket = m_listener.nextPendingConnection()) {
        m_httpClients.append(socket);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void FakeAtendeServer::onReadyRead(QTcpSocket *socket)
{
    // Peek, don't read: a WebSocket upgrade must reach QWebSocketServer with its request unread.
    const QByteArray head = socket->peek(socket->bytesAvailable());
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0)
        return; // wait for the rest of the head
    const QList<QByteArray> lines = head.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    const QByteArray path = requestLine.value(1);
    bool upgrade = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed().toLower();
        if (line.startsWith("upgrade:") && line.contains("websocket"))
            upgrade = true;
    }
    m_paths.append(QString::fromLatin1(path));

    if (upgrade && path == "/api/v1/ws" && m_webSocketEnabled) {
        socket->disconnect(this);
        m_httpClients.removeAll(socket);
        m_webSockets.handleConnection(socket);
        return;
    }
    socket->read(end + 4); // GETs only: no body

    if (path == "/healthz") {
        respond(socket, 200, "OK", R"({"status":"ok"})");
    } else if (path == "/readyz") {
        if (m_ready) {
            respond(socket, 200, "OK", R"({"status":"ready"})");
        } else {
            QJsonObject error{{QStringLiteral("code"), QStringLiteral("unavailable")}};
            if (!m_notReadyMessage.isEmpty())
                error.insert(QStringLiteral("message"), m_notReadyMessage);
            respond(socket, 503, "Service Unavailable", QJsonDocument(error).toJson(QJsonDocument::Compact));
        }
    } else if (path == "/api/v1/system/info") {
        const QJsonObject info{
            {QStringLiteral("version"), m_version},
            {QStringLiteral("instanceId"), QStringLiteral("fake-1")},
            {QStringLiteral("startedAt"), QStringLiteral("2026-11-28T12:00:00.000Z")},
            {QStringLiteral("uptimeSeconds"), QStringLiteral("42")}, // int64: a string in proto JSON
            {QStringLiteral("schemaVersion"), 3},
        };
        respond(socket, 200, "OK", QJsonDocument(info).toJson(QJsonDocument::Compact));
    } else {
        respond(socket, 404, "Not Found", R"({"code":"not_found","message":"no such route"})");
    }
}

void FakeAtendeServer::respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &body)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    response += "Content-Type: application/json\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += "Connection: close\r\n\r\n";
    response += body;
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace atende::test
