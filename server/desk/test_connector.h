#pragma once
// TestConnector: a real Connector for connections of kind "test", used by the tests and the demo tenant. It
// "sends" by recording what it was given (sent(), reads(), typing()), can be told to fail — the next N sends
// retryably, or every send permanently — and injects traffic from the other side through the Inbox exactly
// as a network connector would (receive(), receipt(), customerTyping()).
//
// Its message ids are derived from the desk's message id ("test-<uuid>"), the way a protocol whose sender
// chooses the id (WhatsApp) lets a resend be recognised by the peer.

#include "server/desk/connector.h"
#include "server/desk/inbox.h"

#include <QList>
#include <QPointer>

namespace atende::server::desk {

class TestConnector : public Connector {
    Q_OBJECT
public:
    struct TypingCall {
        ConnectorPeer peer;
        bool typing = false;
    };

    explicit TestConnector(Inbox *inbox, QObject *parent = nullptr);

    QString kind() const override { return QStringLiteral("test"); }
    QCoro::Task<ConnectorResult> send(OutboundMessage message) override;
    QCoro::Task<ConnectorResult> markRead(ReadMark mark) override;
    QCoro::Task<ConnectorResult> setTyping(ConnectorPeer peer, bool typing) override;

    // The next `count` sends fail with a retryable reason ("test_unavailable").
    void failNext(int count) { m_failNext = count; }
    // Every send fails permanently ("test_rejected") while on.
    void failPermanently(bool on) { m_failPermanently = on; }

    const QList<OutboundMessage> &sent() const { return m_sent; }
    const QList<ReadMark> &reads() const { return m_reads; }
    const QList<TypingCall> &typing() const { return m_typing; }
    int sendAttempts() const { return m_attempts; }

    // The peer's side, through the Inbox.
    QCoro::Task<atende::core::Result<IngestResult>> receive(InboundMessage message);
    QCoro::Task<atende::core::Result<bool>> receipt(Receipt receipt);

Q_SIGNALS:
    void messageSent(const QUuid &messageId, const QString &externalId);

private:
    QPointer<Inbox> m_inbox;
    QList<OutboundMessage> m_sent;
    QList<ReadMark> m_reads;
    QList<TypingCall> m_typing;
    int m_failNext = 0;
    bool m_failPermanently = false;
    int m_attempts = 0;
};

} // namespace atende::server::desk
