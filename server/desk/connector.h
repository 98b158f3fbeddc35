#pragma once
// The desk's side of a messaging channel (ARCHITECTURE.md "Inbound" / "Outbound"). The desk hands a
// Connector what leaves the desk — outbound messages, the agent's typing state, read marks — and a
// connector hands what arrives to the Inbox (server/desk/inbox.h). The WhatsApp connector (server/connectors)
// is the only place that knows both whatsapp/ and this interface; TestConnector (kind "test") is a real
// implementation for tests and the demo.
//
// Calls are coroutines on the main thread. A failure says whether retrying can help: the outbound sender
// retries retryable failures with the job queue's back-off and marks the message failed otherwise. Reasons
// are stable codes ("peer_unreachable", "not_connected"), never message text.
//
// ConnectorRegistry picks the connector of a connection: one registered for that connection id wins over
// one registered for the connection's kind ("whatsapp", "test"). It holds no ownership.

#include "server/desk/desk_types.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUuid>
#include <qcoro/qcorotask.h>

namespace atende::server::desk {

// Where a message goes: the contact's identities, the ones seen on this connection first.
struct ConnectorPeer {
    QUuid tenantId;
    QUuid connectionId;
    QUuid contactId;
    QList<IdentityRecord> identities;
};

struct OutboundMessage {
    ConnectorPeer peer;
    QUuid messageId; // stable across retries: connectors that choose their own message ids derive them from it
    QUuid ticketId;
    QString body;
    QString quotedExternalId; // empty: quotes nothing
};

struct ReadMark {
    ConnectorPeer peer;
    QStringList externalIds; // the inbound messages read (the connector's ids)
};

struct ConnectorResult {
    bool ok = false;
    QString externalId; // send(): the connector's id of the message
    bool retryable = false;
    QString reason;

    static ConnectorResult success(QString externalId = {})
    {
        ConnectorResult r;
        r.ok = true;
        r.externalId = std::move(externalId);
        return r;
    }
    static ConnectorResult failure(QString reason, bool retryable)
    {
        ConnectorResult r;
        r.reason = std::move(reason);
        r.retryable = retryable;
        return r;
    }
};

class Connector : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QString kind() const = 0;
    // Sends a text message; success carries the connector's message id.
    virtual QCoro::Task<ConnectorResult> send(OutboundMessage message) = 0;
    // Tells the peer its messages were read.
    virtual QCoro::Task<ConnectorResult> markRead(ReadMark mark) = 0;
    // The agent started (true) or stopped typing.
    virtual QCoro::Task<ConnectorResult> setTyping(ConnectorPeer peer, bool typing) = 0;
};

class ConnectorRegistry {
public:
    void registerKind(const QString &kind, Connector *connector) { m_byKind.insert(kind, connector); }
    void registerConnection(const QUuid &connectionId, Connector *connector)
    {
        m_byConnection.insert(connectionId, connector);
    }
    void unregisterConnection(const QUuid &connectionId) { m_byConnection.remove(connectionId); }

    // Null when no live connector serves the connection.
    Connector *connectorFor(const QUuid &connectionId, const QString &kind) const
    {
        if (Connector *c = m_byConnection.value(connectionId))
            return c;
        return m_byKind.value(kind);
    }

private:
    QHash<QString, QPointer<Connector>> m_byKind;
    QHash<QUuid, QPointer<Connector>> m_byConnection;
};

} // namespace atende::server::desk
