// messages.*, search.query and contacts.history.

#include "server/desk/message_operations.h"

#include "server/desk/message_events.h"
#include "server/desk/message_operations_impl.h"
#include "server/desk/message_repository.h"

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Result;
using atende::server::accounts::invalidField;
using atende::server::accounts::parseId;

namespace {

Result<MessagePageRequest> pageRequest(const v1::ListMessagesRequest &req)
{
    const int given = int(!req.before().empty()) + int(!req.after().empty()) + int(!req.around().empty());
    if (given > 1)
        return invalidField(QStringLiteral("before"), QStringLiteral("conflicting_fields"),
                            QStringLiteral("set at most one of before, after and around"));
    MessagePageRequest p;
    Result<int> limit = pageLimit(req.limit(), kDefaultPageSize, kMaxPageSize);
    if (!limit.ok())
        return limit.error();
    p.limit = limit.value();
    Result<std::optional<MessageCursor>> before = cursorField(req.before(), QStringLiteral("before"));
    if (!before.ok())
        return before.error();
    Result<std::optional<MessageCursor>> after = cursorField(req.after(), QStringLiteral("after"));
    if (!after.ok())
        return after.error();
    p.before = before.value();
    p.after = after.value();
    if (!req.around().empty()) {
        Result<QUuid> around = parseId(req.around(), QStringLiteral("around"));
        if (!around.ok())
            return around.error();
        p.around = around.value();
    }
    return p;
}

Result<v1::Message> messageReply(const Result<MessageRecord> &r)
{
    if (!r.ok())
        return r.error();
    return toProto(r.value());
}

void addConversationOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addMessageOperation<v1::ListMessagesRequest, v1::ListMessagesResponse>(
        table, svc, QStringLiteral("messages.list"), "GET", QStringLiteral("/api/v1/tickets/{ticket_id}/messages"),
        api::perm::kTicketsRead,
        QStringLiteral("A page of a ticket's messages, oldest first: before/after a cursor, around a message, or the "
                       "newest."),
        [](MessagesService &s, api::CallContext ctx,
           v1::ListMessagesRequest req) -> QCoro::Task<Result<v1::ListMessagesResponse>> {
            Result<QUuid> ticket = parseId(req.ticket_id(), QStringLiteral("ticketId"));
            if (!ticket.ok())
                co_return ticket.error();
            Result<MessagePageRequest> page = pageRequest(req);
            if (!page.ok())
                co_return page.error();
            auto rTask = s.list(std::move(ctx), ticket.value(), page.value());
            Result<MessagePage> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::ListMessagesResponse out;
            for (const MessageRecord &m : r->messages)
                *out.add_messages() = toProto(m);
            if (!r->messages.isEmpty()) {
                out.set_older_cursor(encodeMessageCursor(cursorOf(r->messages.constFirst())).toStdString());
                out.set_newer_cursor(encodeMessageCursor(cursorOf(r->messages.constLast())).toStdString());
            }
            out.set_has_older(r->hasOlder);
            out.set_has_newer(r->hasNewer);
            co_return out;
        });

    addMessageOperation<v1::SendMessageRequest, v1::Message>(
        table, svc, QStringLiteral("messages.send"), "POST", QStringLiteral("/api/v1/tickets/{ticket_id}/messages"),
        api::perm::kMessagesSend,
        QStringLiteral("Sends a text message on a ticket you work (stored as pending, then sent by the connector)."),
        [](MessagesService &s, api::CallContext ctx, v1::SendMessageRequest req) -> QCoro::Task<Result<v1::Message>> {
            Result<QUuid> ticket = parseId(req.ticket_id(), QStringLiteral("ticketId"));
            if (!ticket.ok())
                co_return ticket.error();
            SendRequest send;
            send.ticketId = ticket.value();
            send.body = QString::fromStdString(req.body());
            send.clientRequestId = QString::fromStdString(req.client_request_id()).trimmed();
            if (!req.quoted_id().empty()) {
                Result<QUuid> quoted = parseId(req.quoted_id(), QStringLiteral("quotedId"));
                if (!quoted.ok())
                    co_return quoted.error();
                send.quotedId = quoted.value();
            }
            auto rTask = s.send(std::move(ctx), send);
            Result<MessageRecord> r = co_await rTask;
            co_return messageReply(r);
        });

    addMessageOperation<v1::AddNoteRequest, v1::Message>(
        table, svc, QStringLiteral("messages.note"), "POST", QStringLiteral("/api/v1/tickets/{ticket_id}/notes"),
        api::perm::kTicketsWork, QStringLiteral("Adds an internal note; mentioned users get an alert."),
        [](MessagesService &s, api::CallContext ctx, v1::AddNoteRequest req) -> QCoro::Task<Result<v1::Message>> {
            Result<QUuid> ticket = parseId(req.ticket_id(), QStringLiteral("ticketId"));
            if (!ticket.ok())
                co_return ticket.error();
            NoteRequest note;
            note.ticketId = ticket.value();
            note.body = QString::fromStdString(req.body());
            for (const std::string &u : req.mention_user_ids()) {
                Result<QUuid> id = parseId(u, QStringLiteral("mentionUserIds"));
                if (!id.ok())
                    co_return id.error();
                note.mentions.append(id.value());
            }
            auto rTask = s.note(std::move(ctx), note);
            Result<MessageRecord> r = co_await rTask;
            co_return messageReply(r);
        });

    addMessageOperation<v1::RetryMessageRequest, v1::Message>(
        table, svc, QStringLiteral("messages.retry"), "POST", QStringLiteral("/api/v1/messages/{message_id}/retry"),
        api::perm::kMessagesSend, QStringLiteral("Queues a failed outbound message again."),
        [](MessagesService &s, api::CallContext ctx, v1::RetryMessageRequest req) -> QCoro::Task<Result<v1::Message>> {
            Result<QUuid> id = parseId(req.message_id(), QStringLiteral("messageId"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.retry(std::move(ctx), id.value());
            Result<MessageRecord> r = co_await rTask;
            co_return messageReply(r);
        });

    addMessageOperation<v1::MarkReadRequest, v1::MarkReadResponse>(
        table, svc, QStringLiteral("messages.mark_read"), "POST", QStringLiteral("/api/v1/tickets/{ticket_id}/read"),
        api::perm::kTicketsRead,
        QStringLiteral("Clears the ticket's unread count; the customer gets a read receipt when you work the ticket."),
        [](MessagesService &s, api::CallContext ctx,
           v1::MarkReadRequest req) -> QCoro::Task<Result<v1::MarkReadResponse>> {
            Result<QUuid> id = parseId(req.ticket_id(), QStringLiteral("ticketId"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.markRead(std::move(ctx), id.value());
            Result<bool> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::MarkReadResponse out;
            out.set_receipt_queued(r.value());
            co_return out;
        });
}

} // namespace

void addMessageOperations(api::OperationTable &table, MessagesService &service)
{
    const ServicePtr svc(&service);
    addConversationOperations(table, svc);
    addSearchOperations(table, svc);
}

} // namespace atende::server::desk
