#include "server/desk/ticket_router.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/ticket_proto.h"
#include "server/desk/ticket_repository.h"

#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

// A ticket of no sector reopens within the sectors' default window (migration 0006).
constexpr int kDefaultReopenWindowMinutes = 120;
// Each round either returns or lost a race to a transaction that committed meanwhile; the next round sees
// that transaction's ticket. Three rounds cover a reopen racing a create racing a close.
constexpr int kRouteAttempts = 3;
constexpr qsizetype kPreviewLength = 120;

struct ClosedCandidate {
    TicketRecord ticket;
    bool withinWindow = false;
};

// The most recently closed ticket of (contact, connection), locked, and whether its sector's reopen window
// is still open.
Result<std::optional<ClosedCandidate>> lastClosed(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                                                  const QUuid &connectionId)
{
    db::Query q(db,
                QStringLiteral("SELECT t.id, t.closed_at > clock_timestamp() - make_interval(mins => "
                               "coalesce(s.reopen_window_minutes, %1)) FROM tickets t "
                               "LEFT JOIN sectors s ON s.tenant_id = t.tenant_id AND s.id = t.sector_id "
                               "WHERE t.tenant_id = ?::uuid AND t.contact_id = ?::uuid AND t.connection_id = ?::uuid "
                               "AND t.state = 'closed' ORDER BY t.closed_at DESC, t.id DESC LIMIT 1 FOR UPDATE OF t")
                    .arg(kDefaultReopenWindowMinutes));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contactId));
    q.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<ClosedCandidate>();
    const QUuid id = QUuid::fromString(q.value(0).toString());
    const bool within = q.value(1).toBool();
    Result<TicketRecord> t = TicketRepository::find(db, tenantId, id);
    if (!t.ok())
        return t.error();
    return std::optional<ClosedCandidate>(ClosedCandidate{t.value(), within});
}

Status appendAll(QSqlDatabase &db, const QUuid &tenantId, const QList<TicketEventRecord> &events)
{
    for (const TicketEventRecord &e : events) {
        Result<qint64> id = TicketRepository::appendEvent(db, tenantId, e);
        if (!id.ok())
            return id.error();
    }
    return {};
}

// The `queued` event that starts a wait in the ticket's sector.
TicketEventRecord queuedEvent(const TicketRecord &t)
{
    TicketEventRecord e = ticketEvent(t, QStringLiteral("queued"), {});
    e.toState = t.state;
    e.toSectorId = t.sectorId;
    return e;
}

// Reopens `closed` as cycle n+1 (waiting in its sector, assignee and times of the old cycle cleared).
// nullopt when the row changed meanwhile, or when another active ticket of (contact, connection) appeared
// (the one-active index refused the update: rolled back to a savepoint so the transaction goes on).
Result<std::optional<TicketRecord>> reopen(QSqlDatabase &db, const QUuid &tenantId, const TicketRecord &closed)
{
    if (Status s = db::exec(db, QStringLiteral("SAVEPOINT route_reopen")); !s.ok())
        return s.error();
    Result<std::optional<TicketRecord>> r = TicketRepository::update(
        db, tenantId, closed.id,
        QStringLiteral("state = 'waiting', cycle = t.cycle + 1, cycle_started_at = v.ts, queued_at = v.ts, "
                       "accepted_at = NULL, closed_at = NULL, assignee_id = NULL, last_activity_at = v.ts"),
        {}, QStringLiteral("t.state = 'closed'"));
    if (!r.ok()) {
        if (r.error().code != QLatin1String(atende::core::errc::kConflict))
            return r.error();
        if (Status s = db::exec(db, QStringLiteral("ROLLBACK TO SAVEPOINT route_reopen")); !s.ok())
            return s.error();
        return std::optional<TicketRecord>();
    }
    if (Status s = db::exec(db, QStringLiteral("RELEASE SAVEPOINT route_reopen")); !s.ok())
        return s.error();
    return r;
}

Result<RoutedTicket> reopened(QSqlDatabase &db, const QUuid &tenantId, const TicketRecord &before,
                              const TicketRecord &after, accounts::Outbox &outbox)
{
    TicketEventRecord e = ticketEvent(after, QStringLiteral("reopened"), {});
    e.fromState = before.state;
    e.toState = after.state;
    e.fromUserId = before.assigneeId;
    e.fromSectorId = before.sectorId;
    e.toSectorId = after.sectorId;
    e.data = QJsonObject{{QStringLiteral("previous_cycle"), before.cycle}};
    if (Status s = appendAll(db, tenantId, {e, queuedEvent(after)}); !s.ok())
        return s.error();
    if (Status s = queueTicketChanged(db, tenantId, outbox, after, QStringLiteral("reopened"), before.sectorId,
                                      before.assigneeId);
        !s.ok())
        return s.error();
    return RoutedTicket{after, RoutedTicket::How::Reopened};
}

Result<RoutedTicket> created(QSqlDatabase &db, const QUuid &tenantId, const TicketRecord &t, accounts::Outbox &outbox)
{
    TicketEventRecord e = ticketEvent(t, QStringLiteral("created"), {});
    e.toState = t.state;
    e.toSectorId = t.sectorId;
    if (Status s = appendAll(db, tenantId, {e, queuedEvent(t)}); !s.ok())
        return s.error();
    if (Status s = queueTicketChanged(db, tenantId, outbox, t, QStringLiteral("created"), t.sectorId, {}); !s.ok())
        return s.error();
    return RoutedTicket{t, RoutedTicket::How::Created};
}

} // namespace

Result<RoutedTicket> routeInbound(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                                  const QUuid &connectionId, const QUuid &sectorId, accounts::Outbox &outbox)
{
    for (int attempt = 0; attempt < kRouteAttempts; ++attempt) {
        Result<std::optional<TicketRecord>> active =
            TicketRepository::findActive(db, tenantId, contactId, connectionId, true);
        if (!active.ok())
            return active.error();
        if (active.value())
            return RoutedTicket{*active.value(), RoutedTicket::How::Existing};

        Result<std::optional<ClosedCandidate>> closed = lastClosed(db, tenantId, contactId, connectionId);
        if (!closed.ok())
            return closed.error();
        if (closed.value() && closed.value()->withinWindow) {
            const TicketRecord before = closed.value()->ticket;
            Result<std::optional<TicketRecord>> after = reopen(db, tenantId, before);
            if (!after.ok())
                return after.error();
            if (after.value())
                return reopened(db, tenantId, before, *after.value(), outbox);
            continue; // someone else opened a ticket meanwhile: read it in the next round
        }

        TicketRecord fresh;
        fresh.contactId = contactId;
        fresh.connectionId = connectionId;
        fresh.sectorId = sectorId;
        fresh.state = QStringLiteral("waiting");
        Result<std::optional<TicketRecord>> inserted = TicketRepository::insert(db, tenantId, fresh);
        if (!inserted.ok())
            return inserted.error();
        if (inserted.value())
            return created(db, tenantId, *inserted.value(), outbox);
        // Lost the insert to a concurrent transaction (ON CONFLICT DO NOTHING waited for it to commit): the
        // next round reads the winner.
    }
    return Error::make(atende::core::errc::kInternal, QStringLiteral("could not route the message to a ticket"));
}

Status touchTicketForMessage(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId, const QDateTime &at,
                             const QString &preview, bool inbound)
{
    db::Query q(
        db, QStringLiteral("UPDATE tickets SET last_message_at = ?::timestamptz, last_activity_at = ?::timestamptz, "
                           "last_message_preview = ?, unread_count = unread_count + ?, updated_at = clock_timestamp() "
                           "WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    const QString when = (at.isValid() ? at : QDateTime::currentDateTimeUtc()).toUTC().toString(Qt::ISODateWithMs);
    q.addBindValue(when);
    q.addBindValue(when);
    QString cut = preview.left(kPreviewLength);
    if (!cut.isEmpty() && cut.back().isHighSurrogate())
        cut.chop(1); // never half a character
    q.addBindValue(cut);
    q.addBindValue(inbound ? 1 : 0);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchTicket());
}

} // namespace atende::server::desk
