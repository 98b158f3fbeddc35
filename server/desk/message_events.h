#pragma once
// The protobuf form of messages (messages.proto) and the events that announce them. Every message event of
// a ticket goes to one audience: holders of tickets.read who see the ticket (the ticket's sector, its
// assignee), the same rule TicketScope applies to queries. Persistent events (MessageChanged) are numbered
// through accounts::Outbox inside the transaction and published after COMMIT; typing and presence are
// ephemeral (no seq, not replayed) and go straight to the hub through publishEphemeral().

#include "common/core/result.h"
#include "server/accounts/change_log.h"
#include "server/desk/desk_tx.h"
#include "server/desk/message_types.h"
#include "server/desk/ticket_types.h"

#include "atende/api/v1/messages.pb.h"
#include "atende/api/v1/sync.pb.h"

#include <QSqlDatabase>

namespace atende::server::api {
class EventHub;
}

namespace atende::server::desk {

atende::api::v1::Message toProto(const MessageRecord &message);
TicketRef ticketRefOf(const TicketRecord &ticket);

// Holders of tickets.read who see ticket `t`.
api::Audience ticketAudience(const QUuid &tenantId, const TicketRef &t);

// Queues MessageChanged {message, created} for the ticket's audience.
atende::core::Status queueMessageChanged(QSqlDatabase &db, accounts::Outbox &outbox, const QUuid &tenantId,
                                         const TicketRef &t, const MessageRecord &message, bool created);
// Queues MessageChanged {message, created, mentioned} for `userId` alone (a note's mention alert).
atende::core::Status queueMentionAlert(QSqlDatabase &db, accounts::Outbox &outbox, const QUuid &tenantId,
                                       const QUuid &userId, const MessageRecord &note);

// Publishes an ephemeral event (typing, presence) without a seq: never stored, handed to this instance's
// sessions and, through the EventRelay, to the other instances'. (publishOutbox comes from desk_tx.h.)
void publishEphemeral(api::EventHub *hub, const api::Audience &audience, atende::api::v1::Event event);

} // namespace atende::server::desk
