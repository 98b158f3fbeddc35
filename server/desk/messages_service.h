#pragma once
// The message operations of the desk (issue 4 items 4, 5, 9): conversation pages, sending, notes with
// mentions, retry, read marks, full-text search and a contact's history.
//
// Every method works on the caller's tenant (CallContext, never the request) through runTenant, and applies
// the one visibility rule (TicketScope) inside the same transaction: a ticket the caller does not see is
// not_found, and search and history only return rows of visible tickets. Writes commit with their events
// (MessageChanged for the ticket's audience) and jobs (message.send, message.read); the events are
// published after COMMIT. Message bodies are never logged.
//
// Lives on the main thread; coroutines resume there.

#include "common/core/result.h"
#include "server/api/operation.h"
#include "server/desk/connector.h"
#include "server/desk/message_types.h"
#include "server/desk/search_repository.h"

#include <QObject>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}

namespace atende::server::desk {

struct SendRequest {
    QUuid ticketId;
    QString body;
    QUuid quotedId;
    QString clientRequestId;
};

// Where the agent's typing state goes: the ticket's connection kind and the customer.
struct TypingTarget {
    QString connectionKind;
    ConnectorPeer peer;
};

struct NoteRequest {
    QUuid ticketId;
    QString body;
    QList<QUuid> mentions;
};

class MessagesService : public QObject {
    Q_OBJECT
public:
    // hub may be null (no events are published then).
    MessagesService(db::DbExecutor &db, api::EventHub *hub, QObject *parent = nullptr);

    QCoro::Task<atende::core::Result<MessagePage>> list(api::CallContext ctx, QUuid ticketId,
                                                        MessagePageRequest request);
    // Conflict reasons: ticket_closed, ticket_waiting, ticket_bot (the ticket is not being worked),
    // client_request_reused. permission_denied (reason not_assignee) for an agent on someone else's ticket.
    QCoro::Task<atende::core::Result<MessageRecord>> send(api::CallContext ctx, SendRequest request);
    QCoro::Task<atende::core::Result<MessageRecord>> note(api::CallContext ctx, NoteRequest request);
    // Conflict reason not_failed when the message is not a failed outbound message.
    QCoro::Task<atende::core::Result<MessageRecord>> retry(api::CallContext ctx, QUuid messageId);
    // Returns whether a read receipt was queued for the customer.
    QCoro::Task<atende::core::Result<bool>> markRead(api::CallContext ctx, QUuid ticketId);
    // Typing is only for whoever may send on the ticket (maySendOn): the same rules and errors as send().
    QCoro::Task<atende::core::Result<TypingTarget>> typingTarget(api::CallContext ctx, QUuid ticketId);
    QCoro::Task<atende::core::Result<QList<SearchHitRecord>>> search(api::CallContext ctx, SearchQuery query);
    QCoro::Task<atende::core::Result<HistoryPage>> history(api::CallContext ctx, QUuid contactId,
                                                           std::optional<MessageCursor> before, int limit);

private:
    // Runs f(QSqlDatabase &) -> Result<Committed<T>> in a tenant transaction, then publishes its outbox.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> commit(QUuid tenantId, F f);
    // Runs f(QSqlDatabase &) -> Result<T> in a tenant transaction.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> query(QUuid tenantId, F f);

    db::DbExecutor &m_db;
    api::EventHub *m_hub;
};

} // namespace atende::server::desk
