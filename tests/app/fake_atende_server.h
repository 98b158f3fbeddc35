#pragma once
// A tiny stand-in for atende-server on 127.0.0.1, for the desktop's connection tests: it answers
// GET /healthz, /readyz (200, or 503 while "not ready") and /api/v1/system/info, and upgrades
// GET /api/v1/ws to a WebSocket whose first frame is the binary "Hello". shutdown() drops the
// listener and every connection, like a server that died; listen() again brings it back.

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>
#include <QWebSocketServer>

class QTcpSocket;
class QWebSocket;

namespace atende::test {

class FakeAtendeServer : public QObject {
    Q_OBJECT
public:
    explicit FakeAtendeServer(QObject *parent = nullptr);
    ~FakeAtendeServer() override;

    // Port 0: any free port (then keep using port() for restarts).
    bool listen(quint16 port = 0);
    void shutdown();
    quint16 port() const { return m_port; }
    QUrl url() const;

    void setReady(bool ready, const QString &notReadyMessage = QString());
    void setVersion(const QString &version) { m_version = version; }
    void setWebSocketEnabled(bool enabled) { m_webSocketEnabled = enabled; }

    QStringList requestedPaths() const { return m_paths; }
    int webSocketsAccepted() const { return m_webSocketsAccepted; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &body);

    QTcpServer m_listener;
    QWebSocketServer m_webSockets;
    QList<QPointer<QTcpSocket>> m_httpClients;
    QList<QPointer<QWebSocket>> m_webSocketClients;
    quint16 m_port = 0;
    bool m_ready = true;
    QString m_notReadyMessage;
    QString m_version = QStringLiteral("9.8.7");
    bool m_webSocketEnabled = true;
    QStringList m_paths;
    int m_webSocketsAccepted = 0;
};

} // namespace atende::test
