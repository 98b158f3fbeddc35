#pragma once
// One client's WebSocket on /api/v1/ws. Binary frames carry ClientFrame/ServerFrame protobufs; text frames
// carry the same as JSON ({"id":"1","op":"system.ping","body":{...}}) and are answered in JSON. A frame
// that cannot be parsed closes the socket with a reason (1007 for bad payloads, 1008 for abuse). At most
// kMaxInFlight calls run at once per session.

#include "server/api/dispatcher.h"

#include "atende/api/v1/sync.pb.h"

#include <QObject>
#include <QPointer>
#include <QWebSocket>

namespace atende::server::api {

class WsSession : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxInFlight = 64;

    WsSession(QWebSocket *socket, Dispatcher &dispatcher, QString instanceId, qint64 maxMessageBytes,
              QObject *parent = nullptr);
    ~WsSession() override;

    void sendEvent(const atende::api::v1::Event &event);
    // Closes with 1001 (going away), e.g. at shutdown.
    void closeGoingAway();
    int inFlight() const { return m_inFlight; }

Q_SIGNALS:
    void finished(WsSession *session);

private:
    void onBinary(const QByteArray &data);
    void onText(const QString &text);
    QCoro::Task<> run(const Operation *op, quint64 id, MessagePtr request, bool json);
    void sendReplyError(quint64 id, const atende::core::Error &error, bool json);
    void closeWith(QWebSocketProtocol::CloseCode code, const QString &reason);

    QPointer<QWebSocket> m_socket;
    Dispatcher &m_dispatcher;
    QString m_instanceId;
    int m_inFlight = 0;
    bool m_jsonClient = false;
};

} // namespace atende::server::api
