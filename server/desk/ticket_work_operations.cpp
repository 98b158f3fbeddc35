// The tickets.* operations that change a ticket (accept ... assign) and tickets.create.

#include "server/accounts/accounts_validation.h"
#include "server/desk/ticket_operations_impl.h"
#include "server/desk/tickets_service_impl.h"

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Result;
using atende::server::accounts::invalidField;
using atende::server::accounts::parseId;
using TicketTask = QCoro::Task<Result<v1::Ticket>>;

namespace {

void addStateOperations(api::OperationTable &table, const TicketsPtr &svc)
{
    addTicketOperation<v1::AcceptNextTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.accept_next"), "POST", QStringLiteral("/api/v1/tickets/accept_next"),
        api::perm::kTicketsWork,
        QStringLiteral("Accepts the longest-waiting ticket the caller can see (not_found/queue_empty when none)."),
        [](TicketsService &s, api::CallContext ctx, v1::AcceptNextTicketRequest req) -> TicketTask {
            Result<QUuid> sector = optionalId(req.sector_id(), QStringLiteral("sectorId"));
            if (!sector.ok())
                co_return sector.error();
            auto rTask = s.acceptNext(ctx, sector.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    addTicketOperation<v1::AcceptTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.accept"), "POST", QStringLiteral("/api/v1/tickets/{id}/accept"),
        api::perm::kTicketsWork, QStringLiteral("A waiting ticket becomes in_service with the caller."),
        [](TicketsService &s, api::CallContext ctx, v1::AcceptTicketRequest req) -> TicketTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.accept(ctx, id.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    addTicketOperation<v1::HoldTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.hold"), "POST", QStringLiteral("/api/v1/tickets/{id}/hold"),
        api::perm::kTicketsWork, QStringLiteral("in_service -> on_hold, with an optional reason."),
        [](TicketsService &s, api::CallContext ctx, v1::HoldTicketRequest req) -> TicketTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            Result<QString> reason = checkedText(req.reason(), QStringLiteral("reason"), kMaxReasonLength);
            if (!reason.ok())
                co_return reason.error();
            auto rTask = s.hold(ctx, id.value(), reason.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    addTicketOperation<v1::ResumeTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.resume"), "POST", QStringLiteral("/api/v1/tickets/{id}/resume"),
        api::perm::kTicketsWork, QStringLiteral("on_hold -> in_service."),
        [](TicketsService &s, api::CallContext ctx, v1::ResumeTicketRequest req) -> TicketTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.resume(ctx, id.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    addTicketOperation<v1::CloseTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.close"), "POST", QStringLiteral("/api/v1/tickets/{id}/close"),
        api::perm::kTicketsWork,
        QStringLiteral("Closes an open ticket; an optional closing message is sent to the customer."),
        [](TicketsService &s, api::CallContext ctx, v1::CloseTicketRequest req) -> TicketTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            Result<QString> reason = checkedText(req.reason(), QStringLiteral("reason"), kMaxReasonLength);
            if (!reason.ok())
                co_return reason.error();
            Result<QString> message =
                checkedText(req.closing_message(), QStringLiteral("closingMessage"), kMaxTicketMessageLength);
            if (!message.ok())
                co_return message.error();
            auto rTask = s.close(ctx, id.value(), reason.value(), message.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    addTicketOperation<v1::ReopenTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.reopen"), "POST", QStringLiteral("/api/v1/tickets/{id}/reopen"),
        api::perm::kTicketsWork, QStringLiteral("A closed ticket goes back to waiting in its sector as a new cycle."),
        [](TicketsService &s, api::CallContext ctx, v1::ReopenTicketRequest req) -> TicketTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            Result<QString> reason = checkedText(req.reason(), QStringLiteral("reason"), kMaxReasonLength);
            if (!reason.ok())
                co_return reason.error();
            auto rTask = s.reopen(ctx, id.value(), reason.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });
}

void addRoutingOperations(api::OperationTable &table, const TicketsPtr &svc)
{
    addTicketOperation<v1::TransferTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.transfer"), "POST", QStringLiteral("/api/v1/tickets/{id}/transfer"),
        api::perm::kTicketsWork,
        QStringLiteral("To a sector (waiting there) and/or an agent (in_service with them); reason and an internal "
                       "note optional."),
        [](TicketsService &s, api::CallContext ctx, v1::TransferTicketRequest req) -> TicketTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            TicketTransfer t;
            Result<QUuid> sector = optionalId(req.sector_id(), QStringLiteral("sectorId"));
            if (!sector.ok())
                co_return sector.error();
            Result<QUuid> user = optionalId(req.user_id(), QStringLiteral("userId"));
            if (!user.ok())
                co_return user.error();
            if (sector.value().isNull() && user.value().isNull())
                co_return invalidField(QStringLiteral("sectorId"), QStringLiteral("required"),
                                       QStringLiteral("a transfer needs a sector, a user or both"));
            Result<QString> reason = checkedText(req.reason(), QStringLiteral("reason"), kMaxReasonLength);
            if (!reason.ok())
                co_return reason.error();
            Result<QString> note = checkedText(req.note(), QStringLiteral("note"), kMaxTicketMessageLength);
            if (!note.ok())
                co_return note.error();
            t.sectorId = sector.value();
            t.userId = user.value();
            t.reason = reason.value();
            t.note = note.value();
            auto rTask = s.transfer(ctx, id.value(), t);
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    addTicketOperation<v1::AssignTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.assign"), "POST", QStringLiteral("/api/v1/tickets/{id}/assign"),
        api::perm::kTicketsSupervise, QStringLiteral("A supervisor gives an open ticket to an active agent."),
        [](TicketsService &s, api::CallContext ctx, v1::AssignTicketRequest req) -> TicketTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            Result<QUuid> user = parseId(req.user_id(), QStringLiteral("userId"));
            if (!user.ok())
                co_return user.error();
            Result<QString> reason = checkedText(req.reason(), QStringLiteral("reason"), kMaxReasonLength);
            if (!reason.ok())
                co_return reason.error();
            auto rTask = s.assign(ctx, id.value(), user.value(), reason.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    for (const bool add : {true, false}) {
        addTicketOperation<v1::TagTicketRequest, v1::Ticket>(
            table, svc, add ? QStringLiteral("tickets.tag") : QStringLiteral("tickets.untag"),
            add ? QByteArray("POST") : QByteArray("DELETE"),
            add ? QStringLiteral("/api/v1/tickets/{id}/tags") : QStringLiteral("/api/v1/tickets/{id}/tags/{tag}"),
            api::perm::kTicketsWork,
            add ? QStringLiteral("Adds a tag to a ticket (no change when present).")
                : QStringLiteral("Removes a tag from a ticket (no change when absent)."),
            [add](TicketsService &s, api::CallContext ctx, v1::TagTicketRequest req) -> TicketTask {
                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                if (!id.ok())
                    co_return id.error();
                Result<QString> tag = checkedText(req.tag(), QStringLiteral("tag"), kMaxTicketTagLength, true);
                if (!tag.ok())
                    co_return tag.error();
                auto rTask = s.tag(ctx, id.value(), tag.value(), add);
                Result<TicketRecord> r = co_await rTask;
                co_return ticketReply(r);
            });
    }

    addTicketOperation<v1::CreateTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.create"), "POST", QStringLiteral("/api/v1/tickets"),
        api::perm::kTicketsWork,
        QStringLiteral("Starts a conversation with a contact on a connection, in_service with the caller "
                       "(conflict active_ticket_exists names the open one)."),
        [](TicketsService &s, api::CallContext ctx, v1::CreateTicketRequest req) -> TicketTask {
            Result<QUuid> contact = parseId(req.contact_id(), QStringLiteral("contactId"));
            if (!contact.ok())
                co_return contact.error();
            Result<QUuid> connection = parseId(req.connection_id(), QStringLiteral("connectionId"));
            if (!connection.ok())
                co_return connection.error();
            Result<QUuid> sector = optionalId(req.sector_id(), QStringLiteral("sectorId"));
            if (!sector.ok())
                co_return sector.error();
            auto rTask = s.create(ctx, contact.value(), connection.value(), sector.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });
}

} // namespace

void addTicketWorkOperations(api::OperationTable &table, const TicketsPtr &svc)
{
    addStateOperations(table, svc);
    addRoutingOperations(table, svc);
}

} // namespace atende::server::desk
