#include "app/models/ticket_row.h"

#include "app/core/proto_text.h"

#include "atende/api/v1/messages.pb.h"
#include "atende/api/v1/tickets.pb.h"

namespace atende::app::models {

using core::qs;
using core::qtime;

TicketRow TicketRow::fromProto(const atende::api::v1::Ticket &t)
{
    TicketRow r;
    r.id = qs(t.id());
    r.contactId = qs(t.contact_id());
    r.contactName = qs(t.contact_name());
    r.contactPhone = qs(t.contact_phone());
    r.connectionId = qs(t.connection_id());
    r.sectorId = qs(t.sector_id());
    r.assigneeId = qs(t.assignee_id());
    r.state = qs(t.state());
    r.preview = qs(t.last_message_preview());
    for (const std::string &tag : t.tags())
        r.tags.append(qs(tag));
    r.unread = t.unread_count();
    r.cycle = t.cycle();
    r.lastActivityAt = qtime(t.last_activity_at());
    r.lastMessageAt = qtime(t.last_message_at());
    r.queuedAt = qtime(t.queued_at());
    return r;
}

MessageRow MessageRow::fromProto(const atende::api::v1::Message &m)
{
    MessageRow r;
    r.id = qs(m.id());
    r.kind = qs(m.kind());
    r.status = qs(m.status());
    r.body = qs(m.body());
    r.authorUserId = qs(m.author_user_id());
    r.failureReason = qs(m.failure_reason());
    if (m.has_quoted()) {
        r.quotedExcerpt = qs(m.quoted().excerpt());
        r.quotedKind = qs(m.quoted().kind());
    }
    if (m.has_media()) {
        r.mediaKind = qs(m.media().kind());
        r.mediaFileName = qs(m.media().file_name());
    }
    r.clientRequestId = qs(m.client_request_id());
    r.automatic = m.automatic();
    r.createdAt = qtime(m.created_at());
    return r;
}

} // namespace atende::app::models
