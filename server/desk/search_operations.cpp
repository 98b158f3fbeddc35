// search.query and contacts.history.

#include "server/desk/message_events.h"
#include "server/desk/message_operations_impl.h"

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::server::accounts::parseId;

namespace {

constexpr int kDefaultSearchLimit = 20;
constexpr int kMaxSearchLimit = 100;
constexpr qsizetype kMaxQueryLength = 200;

Result<SearchQuery> searchQuery(const v1::SearchRequest &req, const api::CallContext &ctx)
{
    SearchQuery q;
    q.text = QString::fromStdString(req.query()).trimmed();
    if (q.text.isEmpty())
        return invalidField(QStringLiteral("query"), QStringLiteral("required"),
                            QStringLiteral("query must not be empty"));
    if (q.text.size() > kMaxQueryLength)
        return invalidField(QStringLiteral("query"), QStringLiteral("too_long"), QStringLiteral("query is too long"));
    Result<int> limit = pageLimit(req.limit(), kDefaultSearchLimit, kMaxSearchLimit);
    if (!limit.ok())
        return limit.error();
    q.limit = limit.value();
    const bool mayContacts = ctx.can(api::perm::kContactsRead);
    if (req.kinds_size() == 0) {
        q.contacts = mayContacts; // everything the caller may read
        return q;
    }
    q.messages = q.notes = q.contacts = false;
    for (const std::string &k : req.kinds()) {
        if (k == "messages")
            q.messages = true;
        else if (k == "notes")
            q.notes = true;
        else if (k == "contacts")
            q.contacts = true;
        else
            return invalidField(QStringLiteral("kinds"), QStringLiteral("invalid_kind"),
                                QStringLiteral("kinds are messages, notes and contacts"));
    }
    if (q.contacts && !mayContacts)
        return Error::make(errc::kPermissionDenied, QStringLiteral("searching contacts needs contacts.read"));
    return q;
}

v1::SearchHit toProto(const SearchHitRecord &h)
{
    v1::SearchHit p;
    p.set_kind(h.kind.toStdString());
    p.set_ticket_id(idText(h.ticketId));
    p.set_message_id(idText(h.messageId));
    v1::SearchContact *c = p.mutable_contact();
    c->set_id(idText(h.contactId));
    c->set_name(h.contactName.toStdString());
    c->set_phone(h.contactPhone.toStdString());
    p.set_snippet(h.snippet.toStdString());
    p.set_created_at(timeText(h.createdAt));
    p.set_rank(h.rank);
    return p;
}

v1::HistoryTicket toProto(const HistoryTicketRecord &t)
{
    v1::HistoryTicket p;
    p.set_id(idText(t.id));
    p.set_connection_id(idText(t.connectionId));
    p.set_sector_id(idText(t.sectorId));
    p.set_assignee_id(idText(t.assigneeId));
    p.set_state(t.state.toStdString());
    p.set_cycle(quint32(qMax(1, t.cycle)));
    p.set_created_at(timeText(t.createdAt));
    p.set_closed_at(timeText(t.closedAt));
    return p;
}

} // namespace

void addSearchOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addMessageOperation<v1::SearchRequest, v1::SearchResponse>(
        table, svc, QStringLiteral("search.query"), "GET", QStringLiteral("/api/v1/search"), api::perm::kTicketsRead,
        QStringLiteral("Full-text search (Portuguese, accents ignored) over messages and notes of the tickets you "
                       "see, and over contacts."),
        [](MessagesService &s, api::CallContext ctx, v1::SearchRequest req) -> QCoro::Task<Result<v1::SearchResponse>> {
            Result<SearchQuery> q = searchQuery(req, ctx);
            if (!q.ok())
                co_return q.error();
            auto rTask = s.search(std::move(ctx), q.value());
            Result<QList<SearchHitRecord>> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::SearchResponse out;
            for (const SearchHitRecord &h : r.value())
                *out.add_hits() = toProto(h);
            co_return out;
        });

    addMessageOperation<v1::ContactHistoryRequest, v1::ContactHistoryResponse>(
        table, svc, QStringLiteral("contacts.history"), "GET", QStringLiteral("/api/v1/contacts/{contact_id}/history"),
        api::perm::kTicketsRead,
        QStringLiteral("A contact's tickets and messages across tickets and connections, newest first."),
        [](MessagesService &s, api::CallContext ctx,
           v1::ContactHistoryRequest req) -> QCoro::Task<Result<v1::ContactHistoryResponse>> {
            Result<QUuid> contact = parseId(req.contact_id(), QStringLiteral("contactId"));
            if (!contact.ok())
                co_return contact.error();
            Result<std::optional<MessageCursor>> before = cursorField(req.before(), QStringLiteral("before"));
            if (!before.ok())
                co_return before.error();
            Result<int> limit = pageLimit(req.limit(), kDefaultPageSize, kMaxPageSize);
            if (!limit.ok())
                co_return limit.error();
            auto rTask = s.history(std::move(ctx), contact.value(), before.value(), limit.value());
            Result<HistoryPage> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::ContactHistoryResponse out;
            for (const HistoryTicketRecord &t : r->tickets)
                *out.add_tickets() = toProto(t);
            for (const MessageRecord &m : r->messages)
                *out.add_messages() = desk::toProto(m);
            if (r->next)
                out.set_next_cursor(encodeMessageCursor(*r->next).toStdString());
            co_return out;
        });
}

} // namespace atende::server::desk
