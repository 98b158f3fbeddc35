#include "server/api/ws_session.h"

#include "server/api/json_codec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

namespace atende::server::api {

namespace v1 = atende::api::v1;

WsSession::WsSession(QWebSocket *socket, Dispatcher &dispatcher, QString instanceId, qint64 maxMessageBytes,
                     QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_dispatcher(dispatcher)
    , m_instanceId(std::move(instanceId))
{
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(maxMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(maxMessageBytes));
    connect(socket, &QWebSocket::binaryMessageReceived, this, &WsSession::onBinary);
    connect(socket, &QWebSocket::textMessageReceived, this, &WsSession::onText);
    connect(socket, &QWebSocket::disconnected, this, [this] { Q_EMIT finished(this); });

    v1::ServerFrame hello;
    hello.mutable_hello()->set_version(ATENDE_VERSION);
    hello.mutable_hello()->set_instance_id(m_instanceId.toStdString());
    const std::string bytes = hello.SerializeAsString();
    socket->sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

WsSession::~WsSession() = default;

void WsSession::closeWith(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    qCInfo(lcApi) << "closing WebSocket:" << reason;
    if (m_socket)
        m_socket->close(code, reason);
}

void WsSession::closeGoingAway()
{
    closeWith(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server shutting down"));
}

void WsSession::sendEvent(const v1::Event &event)
{
    if (!m_socket)
        return;
    if (m_jsonClient) {
        v1::ServerFrame f;
        *f.mutable_event() = event;
        m_socket->sendTextMessage(QString::fromUtf8(toJson(f)));
        return;
    }
    v1::ServerFrame f;
    *f.mutable_event() = event;
    const std::string bytes = f.SerializeAsString();
    m_socket->sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

void WsSession::onBinary(const QByteArray &data)
{
    v1::ClientFrame frame;
    if (!frame.ParseFromArray(data.constData(), int(data.size()))) {
        closeWith(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("malformed ClientFrame"));
        return;
    }
    const Operation *op = m_dispatcher.table().find(QString::fromStdString(frame.op()));
    if (!op) {
        sendReplyError(frame.id(),
                       atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such operation")),
                       false);
        return;
    }
    MessagePtr request = op->newRequest();
    if (!request->ParseFromString(frame.body())) {
        sendReplyError(frame.id(),
                       atende::core::Error::make(atende::core::errc::kMalformedRequest,
                                                 QStringLiteral("body is not a valid request")),
                       false);
        return;
    }
    run(op, frame.id(), std::move(request), false);
}

void WsSession::onText(const QString &text)
{
    m_jsonClient = true;
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        closeWith(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("text frame is not a JSON object"));
        return;
    }
    const QJsonObject o = doc.object();
    const QJsonValue idValue = o.value(QStringLiteral("id"));
    bool idOk = false;
    const quint64 id =
        idValue.isString()
            ? idValue.toString().toULongLong(&idOk)
            : (idValue.isDouble() && idValue.toDouble() >= 0 ? (idOk = true, quint64(idValue.toDouble())) : 0);
    if (!idOk || !o.value(QStringLiteral("op")).isString()) {
        closeWith(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("frame needs \"id\" and \"op\""));
        return;
    }
    const Operation *op = m_dispatcher.table().find(o.value(QStringLiteral("op")).toString());
    if (!op) {
        sendReplyError(
            id, atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such operation")), true);
        return;
    }
    MessagePtr request = op->newRequest();
    const QJsonValue body = o.value(QStringLiteral("body"));
    if (body.isObject()) {
        if (atende::core::Status st =
                parseJson(QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact), request.get());
            !st.ok()) {
            sendReplyError(id, st.error(), true);
            return;
        }
    } else if (!body.isUndefined() && !body.isNull()) {
        sendReplyError(
            id,
            atende::core::Error::make(atende::core::errc::kMalformedJson, QStringLiteral("\"body\" must be an object")),
            true);
        return;
    }
    run(op, id, std::move(request), true);
}

void WsSession::sendReplyError(quint64 id, const atende::core::Error &error, bool json)
{
    if (!m_socket)
        return;
    if (json) {
        QJsonObject o{{QStringLiteral("id"), QString::number(id)},
                      {QStringLiteral("ok"), false},
                      {QStringLiteral("error"), QJsonDocument::fromJson(errorJson(error)).object()}};
        m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
        return;
    }
    v1::ServerFrame f;
    v1::Reply *r = f.mutable_reply();
    r->set_id(id);
    r->set_ok(false);
    r->mutable_error()->set_code(error.code.toStdString());
    r->mutable_error()->set_message(error.message.toStdString());
    const std::string bytes = f.SerializeAsString();
    m_socket->sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

QCoro::Task<> WsSession::run(const Operation *op, quint64 id, MessagePtr request, bool json)
{
    if (m_inFlight >= kMaxInFlight) {
        closeWith(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too many calls in flight"));
        co_return;
    }
    ++m_inFlight;
    QPointer<WsSession> self(this);
    CallContext ctx;
    ctx.transport = Transport::WebSocket;
    if (m_socket)
        ctx.peer = m_socket->peerAddress();
    atende::core::Result<MessagePtr> result = co_await m_dispatcher.call(op, std::move(ctx), std::move(request));
    if (!self)
        co_return;
    --m_inFlight;
    if (!result.ok()) {
        sendReplyError(id, result.error(), json);
        co_return;
    }
    if (!m_socket)
        co_return;
    if (json) {
        QJsonObject o{{QStringLiteral("id"), QString::number(id)},
                      {QStringLiteral("ok"), true},
                      {QStringLiteral("body"), QJsonDocument::fromJson(toJson(*result.value())).object()}};
        m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
        co_return;
    }
    v1::ServerFrame f;
    v1::Reply *r = f.mutable_reply();
    r->set_id(id);
    r->set_ok(true);
    r->set_body(result.value()->SerializeAsString());
    const std::string bytes = f.SerializeAsString();
    m_socket->sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

} // namespace atende::server::api
