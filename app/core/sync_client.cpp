#include "app/core/sync_client.h"

#include "app/core/logging.h"
#include "app/core/server_monitor.h"

#include "atende/api/v1/sync.pb.h"

#include <QWebSocket>

namespace atende::app::core {

namespace v1 = atende::api::v1;

namespace {
constexpr quint32 kResumePage = 500;

QByteArray serialized(const google::protobuf::Message &m)
{
    const std::string bytes = m.SerializeAsString();
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}
} // namespace

SyncClient::SyncClient(Backoff::Options backoff, QObject *parent)
    : QObject(parent)
    , m_backoff(backoff)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SyncClient::connectNow);
}

SyncClient::~SyncClient()
{
    stop();
}

void SyncClient::start()
{
    m_running = true;
    m_backoff.reset();
    connectNow();
}

void SyncClient::stop()
{
    m_running = false;
    m_retryTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    setOnline(false);
}

void SyncClient::setAccessToken(const QString &token)
{
    m_token = token;
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState && !token.isEmpty()) {
        v1::ClientFrame frame;
        frame.set_id(m_nextId++);
        frame.set_access_token(token.toStdString());
        m_socket->sendBinaryMessage(serialized(frame));
    }
}

void SyncClient::connectNow()
{
    if (!m_running || m_token.isEmpty())
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::binaryMessageReceived, this, &SyncClient::onBinary);
    connect(socket, &QWebSocket::connected, this, [this] { sendResume(true); });
    connect(socket, &QWebSocket::disconnected, this, &SyncClient::onDisconnected);
    // A refused connection may report only an error, without disconnected().
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, socket] {
        QTimer::singleShot(0, this, [this, socket = QPointer<QWebSocket>(socket)] {
            if (socket && socket == m_socket && socket->state() == QAbstractSocket::UnconnectedState)
                onDisconnected();
        });
    });
    socket->open(ServerMonitor::webSocketUrl(m_serverUrl));
}

void SyncClient::sendResume(bool withToken)
{
    if (!m_socket)
        return;
    v1::SyncResumeRequest request;
    request.set_after_seq(m_lastSeq);
    request.set_limit(kResumePage);
    v1::ClientFrame frame;
    m_resumeId = m_nextId++;
    frame.set_id(m_resumeId);
    frame.set_op("sync.resume");
    frame.set_body(request.SerializeAsString());
    if (withToken)
        frame.set_access_token(m_token.toStdString());
    m_socket->sendBinaryMessage(serialized(frame));
}

void SyncClient::onBinary(const QByteArray &data)
{
    v1::ServerFrame frame;
    if (!frame.ParseFromArray(data.constData(), int(data.size()))) {
        qCWarning(lcCore) << "sync: malformed frame of" << data.size() << "bytes";
        return;
    }
    onFrame(frame);
}

void SyncClient::deliver(const v1::Event &event)
{
    if (event.seq() != 0) {
        if (m_lastSeq != kNoPosition && event.seq() <= m_lastSeq)
            return; // seen already (a replayed page overlapping a live event)
        m_lastSeq = event.seq();
    }
    Q_EMIT eventReceived(event);
}

void SyncClient::onFrame(const v1::ServerFrame &frame)
{
    if (frame.has_event()) {
        const v1::Event &e = frame.event();
        if (e.has_notice() && (e.notice().kind() == "auth_expired" || e.notice().kind() == "auth_revoked")) {
            Q_EMIT tokenRejected();
            return;
        }
        deliver(e);
        return;
    }
    if (!frame.has_reply() || frame.reply().id() != m_resumeId)
        return;
    const v1::Reply &reply = frame.reply();
    if (!reply.ok()) {
        qCInfo(lcCore) << "sync.resume refused:" << QString::fromStdString(reply.error().code());
        if (reply.error().code() == "unauthenticated")
            Q_EMIT tokenRejected(); // the new token reconnects (setAccessToken + retry below)
        if (m_socket)
            m_socket->close();
        return;
    }
    v1::SyncResumeResponse page;
    page.ParseFromString(reply.body());
    if (page.resync_required()) {
        m_lastSeq = page.head_seq();
        m_backoff.reset();
        setOnline(true);
        Q_EMIT resyncRequired();
        return;
    }
    for (const v1::Event &e : page.events())
        deliver(e);
    if (m_lastSeq == kNoPosition || page.last_seq() > m_lastSeq)
        m_lastSeq = page.last_seq();
    if (page.more()) {
        sendResume(false);
        return;
    }
    m_backoff.reset();
    setOnline(true);
}

void SyncClient::onDisconnected()
{
    setOnline(false);
    if (!m_running || m_retryTimer.isActive())
        return;
    ++m_reconnects;
    const int delay = m_backoff.nextDelayMs();
    qCInfo(lcCore) << "sync: connection lost, retrying in" << delay << "ms";
    Q_EMIT retryScheduled(delay);
    m_retryTimer.start(delay);
}

void SyncClient::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    Q_EMIT onlineChanged(online);
}

} // namespace atende::app::core
