#pragma once
// One client's WebSocket on /api/v1/ws. Binary frames carry ClientFrame/ServerFrame protobufs; text frames
// carry the same as JSON ({"id":"1","op":"system.ping","body":{...},"access_token":"..."}) and are answered
// in JSON. A frame that cannot be parsed closes the socket with a reason (1007 for bad payloads, 1008 for
// abuse). At most kMaxInFlight calls run at once per session.
//
// Authentication: a frame's access_token is kept for the session's later calls and subscribes the session
// to the events its principal may see (EventHub, filtered by tenant, permission and sector membership).
// When the credential expires the subscription ends and a ServerNotice "auth_expired" is sent; a frame
// with a fresh token resumes it.
//
// Resume (operation "sync.resume", handled here because it needs the session's subscription; protocol in
// sync.proto): live events are held back while the client reads the backlog from the event log page by
// page; after the last page the held events newer than the last delivered seq follow, so nothing is
// missed and nothing comes twice. Events with a seq reach the session in increasing order (EventHub), so
// the session drops any seq it already delivered.

#include "server/api/dispatcher.h"
#include "server/api/event_backlog.h"
#include "server/api/event_hub.h"

#include "atende/api/v1/sync.pb.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

namespace atende::server::api {

struct WsSessionOptions {
    QString instanceId;
    qint64 maxMessageBytes = 1024 * 1024;
    QPointer<EventHub> hub; // null: no events
    SectorResolver sectors; // null: sector-scoped events only reach supervisors
    BacklogReader backlog;  // null: sync.resume answers unavailable
};

class WsSession : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxInFlight = 64;
    static constexpr char kResumeOp[] = "sync.resume";
    static constexpr int kMaxHeldBack = 5000; // live events held during a resume; more: the log serves them
    static constexpr int kDefaultResumeLimit = 200;
    static constexpr int kMaxResumeLimit = 1000;

    WsSession(QWebSocket *socket, Dispatcher &dispatcher, WsSessionOptions options, QObject *parent = nullptr);
    ~WsSession() override;

    void sendEvent(const atende::api::v1::Event &event);
    // Closes with 1001 (going away), e.g. at shutdown.
    void closeGoingAway();
    int inFlight() const { return m_inFlight; }
    bool subscribed() const { return m_subscription != 0; }

Q_SIGNALS:
    void finished(WsSession *session);

private:
    void onBinary(const QByteArray &data);
    void onText(const QString &text);
    QCoro::Task<> run(const Operation *op, quint64 id, MessagePtr request, bool json);
    QCoro::Task<> authenticateSession(quint64 replyId, bool reply, bool json);
    QCoro::Task<> refreshSectors(QUuid tenantId, QUuid userId);
    void unsubscribe();
    // Live delivery from the hub: held back during a resume, duplicates (seq <= last delivered) dropped.
    void onLiveEvent(const atende::api::v1::Event &event);
    // sync.resume; authenticateFirst: the frame carried the token too (hold live events from the start).
    QCoro::Task<> resume(quint64 id, atende::api::v1::SyncResumeRequest request, bool json, bool authenticateFirst);
    void beginHoldingBack();
    // Ends the resume: sends the held events newer than the last delivered seq.
    void finishResume();
    void sendReplyBody(quint64 id, const google::protobuf::Message &body, bool json);
    void sendSessionState(quint64 id, bool json);
    void sendReplyError(quint64 id, const atende::core::Error &error, bool json);
    void sendFrame(const atende::api::v1::ServerFrame &frame, bool json);
    void closeWith(QWebSocketProtocol::CloseCode code, const QString &reason);

    QPointer<QWebSocket> m_socket;
    Dispatcher &m_dispatcher;
    WsSessionOptions m_options;
    int m_inFlight = 0;
    bool m_jsonClient = false;
    QString m_token;
    quint64 m_authGeneration = 0;
    Subscriber m_subscriber;
    quint64 m_subscription = 0;
    QDateTime m_expiresAt;
    QTimer m_expiry;
    // Position of the client in its tenant's event sequence: the highest seq delivered.
    quint64 m_lastSeq = 0;
    // The first seq delivered live since the subscription started (0: none): from there to m_lastSeq the
    // client already has every event it may see, so a later resume does not repeat them.
    quint64 m_firstLiveSeq = 0;
    struct Resume {
        bool holding = false; // live events go to `held`
        bool running = false; // a page is being read
        bool started = false; // the first page was asked for
        quint64 startAfter = 0;
        quint64 coveredFrom = 0, coveredTo = 0;
        QList<atende::api::v1::Event> held;
        bool overflow = false;
    } m_resume;
};

} // namespace atende::server::api
