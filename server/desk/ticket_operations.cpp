// tickets.list / counts / get / timeline, the shared request checks and addTicketOperations().

#include "server/accounts/accounts_validation.h"
#include "server/desk/desk_validation.h"
#include "server/desk/ticket_operations_impl.h"
#include "server/desk/ticket_proto.h"
#include "server/desk/tickets_operations.h"

#include <tuple>

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Error;
using atende::core::Result;
using atende::server::accounts::invalidField;
using atende::server::accounts::parseId;

Result<v1::Ticket> ticketReply(const Result<TicketRecord> &r)
{
    if (!r.ok())
        return r.error();
    return toProto(r.value());
}

Result<QUuid> optionalId(const std::string &text, const QString &field)
{
    if (text.empty())
        return QUuid();
    return parseId(text, field);
}

Result<QString> checkedText(const std::string &text, const QString &field, qsizetype maxLength, bool required)
{
    const QString t = QString::fromStdString(text).trimmed();
    if (required && t.isEmpty())
        return invalidField(field, QStringLiteral("required"), QStringLiteral("%1 must not be empty").arg(field));
    if (t.size() > maxLength)
        return invalidField(field, QStringLiteral("too_long"),
                            QStringLiteral("%1 may have at most %2 characters").arg(field).arg(maxLength));
    return t;
}

namespace {

Result<TicketFilter> checkListRequest(const v1::ListTicketsRequest &req)
{
    TicketFilter f;
    f.view = req.view().empty() ? QStringLiteral("waiting") : QString::fromStdString(req.view());
    static const QStringList views{QStringLiteral("waiting"), QStringLiteral("mine"), QStringLiteral("team"),
                                   QStringLiteral("closed")};
    if (!views.contains(f.view))
        return invalidField(QStringLiteral("view"), QStringLiteral("invalid_view"),
                            QStringLiteral("view must be waiting, mine, team or closed"));
    for (const auto &[text, field, target] :
         {std::tuple{&req.sector_id(), QStringLiteral("sectorId"), &f.sectorId},
          std::tuple{&req.connection_id(), QStringLiteral("connectionId"), &f.connectionId},
          std::tuple{&req.contact_id(), QStringLiteral("contactId"), &f.contactId}}) {
        Result<QUuid> id = optionalId(*text, field);
        if (!id.ok())
            return id.error();
        *target = id.value();
    }
    f.tag = QString::fromStdString(req.tag()).trimmed();
    if (f.tag.size() > kMaxTagLength)
        return invalidField(QStringLiteral("tag"), QStringLiteral("too_long"),
                            QStringLiteral("tag may have at most %1 characters").arg(kMaxTagLength));
    if (!req.after().empty()) {
        f.after = decodeTicketCursor(QString::fromStdString(req.after()));
        if (!f.after)
            return invalidField(QStringLiteral("after"), QStringLiteral("invalid_cursor"),
                                QStringLiteral("after is not a cursor of this list"));
    }
    if (req.limit() > quint32(kMaxPageSize))
        return invalidField(QStringLiteral("limit"), QStringLiteral("out_of_range"),
                            QStringLiteral("limit may be at most %1").arg(kMaxPageSize));
    f.limit = req.limit() == 0 ? kDefaultPageSize : int(req.limit());
    return f;
}

} // namespace

void addTicketReadOperations(api::OperationTable &table, const TicketsPtr &svc)
{
    addTicketOperation<v1::ListTicketsRequest, v1::ListTicketsResponse>(
        table, svc, QStringLiteral("tickets.list"), "GET", QStringLiteral("/api/v1/tickets"), api::perm::kTicketsRead,
        QStringLiteral("Tickets of a view (waiting, mine, team, closed) the caller can see, newest activity first; "
                       "filters: sector, connection, tag, contact; keyset pages via after."),
        [](TicketsService &s, api::CallContext ctx,
           v1::ListTicketsRequest req) -> QCoro::Task<Result<v1::ListTicketsResponse>> {
            Result<TicketFilter> filter = checkListRequest(req);
            if (!filter.ok())
                co_return filter.error();
            auto rTask = s.tickets(ctx, filter.value());
            Result<TicketPage> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::ListTicketsResponse out;
            for (const TicketRecord &t : r->tickets)
                *out.add_tickets() = toProto(t);
            if (r->next)
                out.set_next_cursor(encodeTicketCursor(*r->next).toStdString());
            co_return out;
        });

    // Registered before tickets.get: the table matches paths in order, and "counts" would bind as an {id}.
    addTicketOperation<v1::CountTicketsRequest, v1::CountTicketsResponse>(
        table, svc, QStringLiteral("tickets.counts"), "GET", QStringLiteral("/api/v1/tickets/counts"),
        api::perm::kTicketsRead,
        QStringLiteral("How many visible tickets wait, are the caller's and are in service (the console tabs)."),
        [](TicketsService &s, api::CallContext ctx,
           v1::CountTicketsRequest req) -> QCoro::Task<Result<v1::CountTicketsResponse>> {
            TicketFilter filter;
            Result<QUuid> sector = optionalId(req.sector_id(), QStringLiteral("sectorId"));
            if (!sector.ok())
                co_return sector.error();
            Result<QUuid> connection = optionalId(req.connection_id(), QStringLiteral("connectionId"));
            if (!connection.ok())
                co_return connection.error();
            filter.sectorId = sector.value();
            filter.connectionId = connection.value();
            filter.tag = QString::fromStdString(req.tag()).trimmed();
            if (filter.tag.size() > kMaxTagLength)
                co_return invalidField(QStringLiteral("tag"), QStringLiteral("too_long"),
                                       QStringLiteral("tag may have at most %1 characters").arg(kMaxTagLength));
            auto rTask = s.counts(ctx, filter);
            Result<TicketCounts> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::CountTicketsResponse out;
            out.set_waiting(r->waiting);
            out.set_mine(r->mine);
            out.set_team(r->team);
            if (r->oldestQueuedAt.isValid())
                out.set_oldest_waiting_since(r->oldestQueuedAt.toString(Qt::ISODateWithMs).toStdString());
            co_return out;
        });

    addTicketOperation<v1::GetTicketRequest, v1::Ticket>(
        table, svc, QStringLiteral("tickets.get"), "GET", QStringLiteral("/api/v1/tickets/{id}"),
        api::perm::kTicketsRead, QStringLiteral("One ticket the caller can see."),
        [](TicketsService &s, api::CallContext ctx, v1::GetTicketRequest req) -> QCoro::Task<Result<v1::Ticket>> {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.ticket(ctx, id.value());
            Result<TicketRecord> r = co_await rTask;
            co_return ticketReply(r);
        });

    addTicketOperation<v1::TicketTimelineRequest, v1::TicketTimelineResponse>(
        table, svc, QStringLiteral("tickets.timeline"), "GET", QStringLiteral("/api/v1/tickets/{id}/timeline"),
        api::perm::kTicketsRead, QStringLiteral("Every event of a ticket (all cycles), oldest first."),
        [](TicketsService &s, api::CallContext ctx,
           v1::TicketTimelineRequest req) -> QCoro::Task<Result<v1::TicketTimelineResponse>> {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.timeline(ctx, id.value());
            Result<QList<TicketEventRecord>> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::TicketTimelineResponse out;
            for (const TicketEventRecord &e : r.value())
                *out.add_events() = toProto(e);
            co_return out;
        });
}

void addTicketOperations(api::OperationTable &table, TicketsService &service)
{
    const TicketsPtr svc(&service);
    addTicketReadOperations(table, svc);
    addTicketWorkOperations(table, svc);
}

} // namespace atende::server::desk
