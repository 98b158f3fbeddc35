#pragma once
// SQL for messages (0009_tickets.sql, 0011_messages.sql). Runs inside runTenant() for that tenant: Row-Level
// Security hides other tenants, whose ids are simply not_found. Visibility inside the tenant (TicketScope)
// is the callers' business: they load the ticket first and check it.

#include "common/core/result.h"
#include "server/desk/message_types.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <optional>

namespace atende::server::desk {

class MessageRepository {
public:
    // The ticket a message operation works on; FOR UPDATE serialises writers of one ticket (the first
    // response of a cycle is then decided once).
    static atende::core::Result<TicketRef> ticket(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                                  bool forUpdate = false);

    static atende::core::Result<MessageRecord> find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId,
                                                    bool forUpdate = false);
    static atende::core::Result<std::optional<MessageRecord>>
    findByExternalId(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId, const QString &externalId);
    static atende::core::Result<std::optional<MessageRecord>>
    findByClientRequest(QSqlDatabase &db, const QUuid &tenantId, const QUuid &authorId, const QString &clientRequestId);
    // The newest inbound message of the ticket that has an external id.
    static atende::core::Result<std::optional<MessageRecord>> lastInbound(QSqlDatabase &db, const QUuid &tenantId,
                                                                          const QUuid &ticketId);

    // Inserts every stored field of `m` but id, status timestamps and search; created_at is `at` when valid,
    // else the database clock. ON CONFLICT DO NOTHING on the unique keys (external id per connection, client
    // request id per author): returns nullopt when such a row exists already.
    static atende::core::Result<std::optional<QUuid>> insert(QSqlDatabase &db, const QUuid &tenantId,
                                                             const MessageRecord &m, const QDateTime &at = {});

    // One page of a ticket's conversation (see ListMessagesRequest in messages.proto).
    static atende::core::Result<MessagePage> page(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                                  const MessagePageRequest &request);

    // True when the cycle already has its first_response event.
    static atende::core::Result<bool> hasFirstResponse(QSqlDatabase &db, const QUuid &tenantId, const TicketRef &t);
    // Appends ticket_events(kind = first_response) for message m written by actor.
    static atende::core::Status appendFirstResponse(QSqlDatabase &db, const QUuid &tenantId, const TicketRef &t,
                                                    const MessageRecord &m);
    // unread_count = 0 (not counted as activity).
    // True when the count was not zero (the ticket changed).
    static atende::core::Result<bool> clearUnread(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId);
    // The tenant's users among `ids` (active or not).
    static atende::core::Result<QList<QUuid>> existingUsers(QSqlDatabase &db, const QUuid &tenantId,
                                                            const QList<QUuid> &ids);
};

// The cursor text of messages.list and contacts.history (opaque to clients) and back; nullopt for anything
// malformed.
QString encodeMessageCursor(const MessageCursor &cursor);
std::optional<MessageCursor> decodeMessageCursor(const QString &text);
inline MessageCursor cursorOf(const MessageRecord &m)
{
    return MessageCursor{m.createdUs, m.id};
}

// Shared by the message_*.cpp repositories: "SELECT <every message column> FROM messages m LEFT JOIN
// messages q (the quoted one)" without WHERE, and the mapping of one of its rows.
QString selectMessageSql();
MessageRecord messageFromRow(const QSqlQuery &q);

} // namespace atende::server::desk
