#include "server/api/ws_session.h"

#include "server/api/json_codec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

namespace atende::server::api {

namespace v1 = atende::api::v1;

WsSession::WsSession(QWebSocket *socket, Dispatcher &dispatcher, WsSessionOptions options, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_dispatcher(dispatcher)
    , m_options(std::move(options))
{
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxMessageBytes));
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, [this] {
        unsubscribe();
        v1::Event e;
        e.set_at(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
        e.mutable_notice()->set_kind("auth_expired");
        e.mutable_notice()->set_text("the access token expired; send a new one to keep receiving events");
        sendEvent(e);
    });
    if (m_options.hub)
        connect(m_options.hub, &EventHub::principalChanged, this, [this](QUuid tenantId, QUuid userId) {
            if (m_subscription && m_subscriber.tenantId == tenantId && m_subscriber.userId == userId)
                authenticateSession(0, false, m_jsonClient); // re-checks the credential and reloads sectors
        });
    connect(socket, &QWebSocket::binaryMessageReceived, this, &WsSession::onBinary);
    connect(socket, &QWebSocket::textMessageReceived, this, &WsSession::onText);
    connect(socket, &QWebSocket::disconnected, this, [this] { Q_EMIT finished(this); });

    v1::ServerFrame hello;
    hello.mutable_hello()->set_version(ATENDE_VERSION);
    hello.mutable_hello()->set_instance_id(m_options.instanceId.toStdString());
    const std::string bytes = hello.SerializeAsString();
    socket->sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

WsSession::~WsSession()
{
    unsubscribe();
}

void WsSession::unsubscribe()
{
    m_expiry.stop();
    if (m_subscription && m_options.hub)
        m_options.hub->remove(m_subscription);
    m_subscription = 0;
    m_firstLiveSeq = 0; // events may be missed from here on: a resume must not skip any
}

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

void WsSession::sendFrame(const v1::ServerFrame &frame, bool json)
{
    if (!m_socket)
        return;
    if (json) {
        m_socket->sendTextMessage(QString::fromUtf8(toJson(frame)));
        return;
    }
    const std::string bytes = frame.SerializeAsString();
    m_socket->sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

void WsSession::sendEvent(const v1::Event &event)
{
    v1::ServerFrame f;
    *f.mutable_event() = event;
    sendFrame(f, m_jsonClient);
}

void WsSession::sendSessionState(quint64 id, bool json)
{
    v1::ServerFrame f;
    v1::SessionState *st = f.mutable_session();
    st->set_authenticated(m_subscription != 0);
    if (m_subscription) {
        st->set_tenant_id(m_subscriber.tenantId.toString(QUuid::WithoutBraces).toStdString());
        st->set_user_id(m_subscriber.userId.toString(QUuid::WithoutBraces).toStdString());
        if (m_expiresAt.isValid())
            st->set_expires_at(m_expiresAt.toUTC().toString(Qt::ISODate).toStdString());
    }
    Q_UNUSED(id);
    sendFrame(f, json);
}

// Authenticates m_token; on success (re)subscribes to the hub. replyId/reply: answer the frame that only
// carried a token (SessionState or an error).
QCoro::Task<> WsSession::authenticateSession(quint64 replyId, bool reply, bool json)
{
    const quint64 generation = ++m_authGeneration;
    QPointer<WsSession> self(this);
    const QString token = m_token;
    atende::core::Result<Principal> p = co_await m_dispatcher.authenticate(token);
    if (!self || generation != m_authGeneration)
        co_return; // a newer token arrived meanwhile
    if (!p.ok()) {
        const bool wasSubscribed = m_subscription != 0;
        unsubscribe();
        if (reply) {
            sendReplyError(replyId, p.error(), json);
        } else if (wasSubscribed) {
            // A re-check after a principal change failed: deactivated, new role or password reset (here or
            // on another instance). The session stops receiving until it signs in again.
            v1::Event e;
            e.set_at(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
            e.mutable_notice()->set_kind("auth_revoked");
            e.mutable_notice()->set_text("the credentials of this session were revoked; sign in again");
            sendEvent(e);
        }
        co_return;
    }
    const Principal principal = p.value();
    QSet<QUuid> sectors;
    if (m_options.sectors && !principal.userId.isNull() && principal.apiTokenId.isNull()) {
        const SectorResolver resolver = m_options.sectors;
        sectors = co_await resolver(principal.tenantId, principal.userId);
        if (!self || generation != m_authGeneration)
            co_return;
    }
    if (m_subscriber.tenantId != principal.tenantId) {
        m_lastSeq = 0; // another tenant, another sequence
        m_firstLiveSeq = 0;
    }
    m_subscriber.tenantId = principal.tenantId;
    m_subscriber.userId = principal.userId;
    m_subscriber.permissions = principal.permissions;
    m_subscriber.sectorIds = sectors;
    m_subscriber.deliver = [self](const v1::Event &e) {
        if (self)
            self->onLiveEvent(e);
    };
    m_expiresAt = principal.expiresAt;
    if (m_options.hub) {
        if (m_subscription)
            m_options.hub->update(m_subscription, m_subscriber);
        else
            m_subscription = m_options.hub->add(m_subscriber);
    }
    m_expiry.stop();
    if (m_expiresAt.isValid()) {
        const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(m_expiresAt);
        m_expiry.start(int(qBound<qint64>(0, ms, 24LL * 3600 * 1000)));
    }
    if (reply)
        sendSessionState(replyId, json);
}

void WsSession::onBinary(const QByteArray &data)
{
    v1::ClientFrame frame;
    if (!frame.ParseFromArray(data.constData(), int(data.size()))) {
        closeWith(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("malformed ClientFrame"));
        return;
    }
    if (!frame.access_token().empty()) {
        if (frame.access_token().size() > 8192) {
            closeWith(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("access token too long"));
            return;
        }
        m_token = QString::fromStdString(frame.access_token());
        if (frame.op() != kResumeOp)
            authenticateSession(frame.id(), frame.op().empty(), false);
        if (frame.op().empty())
            return;
    }
    if (frame.op() == kResumeOp) {
        v1::SyncResumeRequest request;
        if (!request.ParseFromString(frame.body())) {
            sendReplyError(frame.id(),
                           atende::core::Error::make(atende::core::errc::kMalformedRequest,
                                                     QStringLiteral("body is not a valid request")),
                           false);
            return;
        }
        resume(frame.id(), std::move(request), false, !frame.access_token().empty());
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
    const QJsonValue tokenValue = o.value(QStringLiteral("access_token"));
    const bool hasToken = tokenValue.isString() && !tokenValue.toString().isEmpty();
    const bool hasOp = o.value(QStringLiteral("op")).isString() && !o.value(QStringLiteral("op")).toString().isEmpty();
    if (!idOk || (!hasOp && !hasToken)) {
        closeWith(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("frame needs \"id\" and \"op\""));
        return;
    }
    if (hasToken) {
        if (tokenValue.toString().size() > 8192) {
            closeWith(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("access token too long"));
            return;
        }
        m_token = tokenValue.toString();
        if (o.value(QStringLiteral("op")).toString() != QLatin1String(kResumeOp))
            authenticateSession(id, !hasOp, true);
        if (!hasOp)
            return;
    }
    const bool isResume = o.value(QStringLiteral("op")).toString() == QLatin1String(kResumeOp);
    const Operation *op = isResume ? nullptr : m_dispatcher.table().find(o.value(QStringLiteral("op")).toString());
    if (!op && !isResume) {
        sendReplyError(
            id, atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such operation")), true);
        return;
    }
    v1::SyncResumeRequest resumeRequest;
    MessagePtr request = isResume ? nullptr : op->newRequest();
    google::protobuf::Message *target =
        isResume ? static_cast<google::protobuf::Message *>(&resumeRequest) : request.get();
    const QJsonValue body = o.value(QStringLiteral("body"));
    if (body.isObject()) {
        if (atende::core::Status st = parseJson(QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact), target);
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
    if (isResume) {
        resume(id, std::move(resumeRequest), true, hasToken);
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
    ctx.bearerToken = m_token;
    atende::core::Result<MessagePtr> result = co_await m_dispatcher.call(op, std::move(ctx), std::move(request));
    if (!self)
        co_return;
    --m_inFlight;
    if (!result.ok()) {
        sendReplyError(id, result.error(), json);
        co_return;
    }
    sendReplyBody(id, *result.value(), json);
}

void WsSession::sendReplyBody(quint64 id, const google::protobuf::Message &body, bool json)
{
    if (!m_socket)
        return;
    if (json) {
        QJsonObject o{{QStringLiteral("id"), QString::number(id)},
                      {QStringLiteral("ok"), true},
                      {QStringLiteral("body"), QJsonDocument::fromJson(toJson(body)).object()}};
        m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
        return;
    }
    v1::ServerFrame f;
    v1::Reply *r = f.mutable_reply();
    r->set_id(id);
    r->set_ok(true);
    r->set_body(body.SerializeAsString());
    const std::string bytes = f.SerializeAsString();
    m_socket->sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

} // namespace atende::server::api
