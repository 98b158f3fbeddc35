#pragma once
// The desk's one ingest API for connectors (ARCHITECTURE.md "Inbound"; PRODUCT.md N2, N3, N4).
//
// ingest(): ONE transaction — the contact found or created by the sender's identity, the ticket routed
// (routeInbound: active ticket, reopened cycle or a new one), the message inserted idempotently on
// (tenant, connection, external_id), the ticket's list fields touched, and the events queued. A repeat of
// an external id returns the stored message and publishes nothing. The reply comes after COMMIT, so a
// connector sends its delivery receipt / ack only then: a crash before the commit makes the peer
// redeliver, never lose, the message. Calls for one conversation (connection + sender) run on one database
// worker, so they are stored in arrival order.
//
// receipt(): the connector's status report for an outbound message — statuses only move forward
// (message_status.h); a changed message is announced.
// typing() / presence(): ephemeral events for the sender's active ticket (nothing is stored).
// systemMessage(): a stored system line on that ticket (inbox_system.cpp).

#include "common/core/result.h"
#include "server/accounts/change_log.h"
#include "server/desk/message_types.h"

#include <QObject>
#include <QSqlDatabase>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}

namespace atende::server::desk {

struct IngestResult {
    QUuid messageId;
    QUuid ticketId;
    QUuid contactId;
    bool duplicate = false; // the external id was stored before; nothing changed
};

struct Receipt {
    QUuid tenantId;
    QUuid connectionId;
    QString externalId;
    QString status; // delivered | read | failed
    QString reason; // for failed: a stable code
};

// Checks and normalises an inbound message (identity, ids, sizes); invalid_argument with {field, reason}.
atende::core::Status checkInbound(InboundMessage &message);
// The ingest transaction's body, for DbExecutor::runTenant(message.tenantId, ...): `message` must have passed
// checkInbound(). Queues the events in `outbox`.
atende::core::Result<IngestResult> ingestIn(QSqlDatabase &db, const InboundMessage &message, accounts::Outbox &outbox);

class Inbox : public QObject {
    Q_OBJECT
public:
    // hub may be null (no events are published then).
    Inbox(db::DbExecutor &db, api::EventHub *hub, QObject *parent = nullptr);

    QCoro::Task<atende::core::Result<IngestResult>> ingest(InboundMessage message);
    // Whether a message with this external id is stored for the connection (inbound or outbound).
    QCoro::Task<atende::core::Result<bool>> isStored(QUuid tenantId, QUuid connectionId, QString externalId);
    // true when the status changed; not_found for an unknown external id.
    QCoro::Task<atende::core::Result<bool>> receipt(Receipt receipt);
    // Ephemeral; nothing happens when the sender has no active ticket on the connection.
    QCoro::Task<atende::core::Status> typing(QUuid tenantId, QUuid connectionId, QString senderKind,
                                             QString senderValue, bool typing);
    QCoro::Task<atende::core::Status> presence(QUuid tenantId, QUuid connectionId, QString senderKind,
                                               QString senderValue, QString presence, QDateTime lastSeen);

    // A system line (kind "system", e.g. "the contact's security code changed") on the sender's active ticket;
    // nothing when the sender has none. Announced like any message.
    QCoro::Task<atende::core::Status> systemMessage(QUuid tenantId, QUuid connectionId, QString senderKind,
                                                    QString senderValue, QString body);

private:
    QCoro::Task<atende::core::Result<TicketRef>> activeTicketOf(QUuid tenantId, QUuid connectionId, QString kind,
                                                                QString value);

    db::DbExecutor &m_db;
    api::EventHub *m_hub;
};

} // namespace atende::server::desk
