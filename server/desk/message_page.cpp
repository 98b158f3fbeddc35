// MessageRepository::page(): keyset pages of one ticket's conversation on (created_at, id), both directions
// and around a message. The cursor carries created_at in microseconds, PostgreSQL's own precision, so rows
// with equal times are ordered (and never skipped or repeated) by id.

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/message_repository.h"

#include <QSqlQuery>

#include <algorithm>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

const QString kCursorValue = QStringLiteral("(timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)");

// Up to `limit` messages of the ticket beyond `from` (older: descending, newer: ascending); `inclusive`
// includes `from` itself. Without `from`, from the newest message backwards.
Result<QList<MessageRecord>> slice(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                   const std::optional<MessageCursor> &from, bool older, bool inclusive, int limit)
{
    QString where = QStringLiteral("WHERE m.tenant_id = ?::uuid AND m.ticket_id = ?::uuid");
    if (from) {
        const QString op = older ? (inclusive ? QStringLiteral("<=") : QStringLiteral("<"))
                                 : (inclusive ? QStringLiteral(">=") : QStringLiteral(">"));
        where += QStringLiteral(" AND (m.created_at, m.id) %1 %2").arg(op, kCursorValue);
    }
    const QString order = older ? QStringLiteral(" ORDER BY m.created_at DESC, m.id DESC")
                                : QStringLiteral(" ORDER BY m.created_at, m.id");
    db::Query q(db, selectMessageSql() + where + order + QStringLiteral(" LIMIT ?"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    if (from) {
        q.addBindValue(from->createdUs);
        q.addBindValue(sql::text(from->id));
    }
    q.addBindValue(limit);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<MessageRecord> out;
    while (q.next())
        out.append(messageFromRow(q));
    return out;
}

// Whether the ticket has a message strictly older / newer than `at`.
Result<bool> anyBeyond(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId, const MessageCursor &at,
                       bool older)
{
    db::Query q(db, QStringLiteral("SELECT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = ?::uuid AND "
                                   "m.ticket_id = ?::uuid AND (m.created_at, m.id) %1 %2)")
                        .arg(older ? QStringLiteral("<") : QStringLiteral(">"), kCursorValue));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    q.addBindValue(at.createdUs);
    q.addBindValue(sql::text(at.id));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.next() && q.value(0).toBool();
}

// Cuts a slice fetched with limit + 1 to `limit`, telling whether there was more.
bool trim(QList<MessageRecord> &rows, int limit)
{
    const bool more = rows.size() > limit;
    if (more)
        rows.resize(limit);
    return more;
}

} // namespace

Result<MessagePage> MessageRepository::page(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                            const MessagePageRequest &request)
{
    const int limit = std::max(1, request.limit);
    MessagePage page;

    if (!request.around.isNull()) {
        Result<MessageRecord> anchor = find(db, tenantId, request.around);
        if (!anchor.ok() || anchor->ticketId != ticketId)
            return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such message in this ticket"));
        const MessageCursor at = cursorOf(anchor.value());
        const int olderWanted = limit / 2;
        Result<QList<MessageRecord>> older = slice(db, tenantId, ticketId, at, true, false, olderWanted + 1);
        if (!older.ok())
            return older.error();
        Result<QList<MessageRecord>> newer = slice(db, tenantId, ticketId, at, false, true, limit - olderWanted + 1);
        if (!newer.ok())
            return newer.error();
        page.hasOlder = trim(older.value(), olderWanted);
        page.hasNewer = trim(newer.value(), limit - olderWanted);
        std::reverse(older->begin(), older->end());
        page.messages = older.value() + newer.value();
        return page;
    }

    const bool forward = request.after.has_value();
    const std::optional<MessageCursor> from = forward ? request.after : request.before;
    Result<QList<MessageRecord>> rows = slice(db, tenantId, ticketId, from, !forward, false, limit + 1);
    if (!rows.ok())
        return rows.error();
    const bool more = trim(rows.value(), limit);
    if (!forward)
        std::reverse(rows->begin(), rows->end());
    page.messages = rows.value();
    // The other direction: beyond the page's edge, or beyond the cursor when the page is empty.
    std::optional<MessageCursor> edge = from;
    if (!page.messages.isEmpty())
        edge = cursorOf(forward ? page.messages.constFirst() : page.messages.constLast());
    bool other = false;
    if (edge) {
        Result<bool> beyond = anyBeyond(db, tenantId, ticketId, *edge, forward);
        if (!beyond.ok())
            return beyond.error();
        other = beyond.value();
    }
    page.hasNewer = forward ? more : other;
    page.hasOlder = forward ? other : more;
    return page;
}

} // namespace atende::server::desk
