#pragma once
// Status changes of outbound messages (0009_tickets.sql): pending -> sent -> delivered -> read, or failed.
// Statuses only move forward; failed is reachable only from pending and sent, and only messages.retry takes
// a failed message back to pending. Each function runs inside runTenant() and returns the changed message,
// or nullopt when the rule left it unchanged (a late or repeated receipt, a job retried after success).

#include "common/core/result.h"
#include "server/desk/message_types.h"

#include <QSqlDatabase>

#include <optional>

namespace atende::server::desk {

using MaybeMessage = atende::core::Result<std::optional<MessageRecord>>;

// pending -> sent with the connector's id and sent_at.
MaybeMessage markMessageSent(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId,
                             const QString &externalId);
// pending | sent -> failed with a reason (a stable code, never a message body).
MaybeMessage markMessageFailed(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId, const QString &reason);
// failed -> pending, the reason cleared.
MaybeMessage resetMessageForRetry(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId);
// A connector's receipt for its message id: status delivered | read | failed (with reason).
MaybeMessage applyMessageReceipt(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                 const QString &externalId, const QString &status, const QString &reason);

} // namespace atende::server::desk
