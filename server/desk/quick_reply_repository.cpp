#include "server/desk/quick_reply_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/reply_template.h"

#include <QSqlQuery>
#include <QTimeZone>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

const QString kSelect = QStringLiteral("SELECT id, scope, sector_id, owner_id, shortcut, title, body, created_at, "
                                       "updated_at FROM quick_replies");

QuickReplyRecord readReply(const QSqlQuery &q)
{
    QuickReplyRecord r;
    r.id = QUuid::fromString(q.value(0).toString());
    r.scope = q.value(1).toString();
    r.sectorId = QUuid::fromString(q.value(2).toString());
    r.ownerId = QUuid::fromString(q.value(3).toString());
    r.shortcut = q.value(4).toString();
    r.title = q.value(5).toString();
    r.body = q.value(6).toString();
    r.createdAt = q.value(7).toDateTime().toUTC();
    r.updatedAt = q.value(8).toDateTime().toUTC();
    return r;
}

Error noSuchReply()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such quick reply"));
}

QVariant nullableId(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(sql::text(id));
}

} // namespace

Result<QList<QuickReplyRecord>> QuickReplyRepository::list(QSqlDatabase &db, const QUuid &tenantId,
                                                           const QuickReplyReach &reach, const QuickReplyFilter &filter)
{
    QString where = QStringLiteral(" WHERE tenant_id = ?::uuid AND (scope = 'tenant' OR owner_id = ?::uuid");
    QVariantList binds{sql::text(tenantId), sql::text(reach.userId)};
    if (reach.allSectors) {
        where += QStringLiteral(" OR scope = 'sector'");
    } else if (!reach.sectorIds.isEmpty()) {
        where += QStringLiteral(" OR sector_id = ANY(?::uuid[])");
        binds.append(sql::uuidArray(reach.sectorIds));
    }
    where += QLatin1Char(')');
    if (!filter.scope.isEmpty()) {
        where += QStringLiteral(" AND scope = ?");
        binds.append(filter.scope);
    }
    if (!filter.prefix.isEmpty()) {
        where += QStringLiteral(" AND shortcut LIKE ? ESCAPE '\\'");
        QString pattern = sql::containsPattern(filter.prefix);
        pattern.remove(0, 1); // a prefix: no leading %
        binds.append(pattern);
    }
    if (!filter.search.isEmpty()) {
        where += QStringLiteral(" AND (shortcut ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\' "
                                "OR body ILIKE ? ESCAPE '\\')");
        const QString pattern = sql::containsPattern(filter.search);
        binds << pattern << pattern << pattern;
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(kSelect + where +
              QStringLiteral(" ORDER BY CASE scope WHEN 'personal' THEN 0 WHEN 'sector' THEN 1 ELSE 2 END, "
                             "shortcut, id LIMIT 500"));
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<QuickReplyRecord> out;
    while (q.next())
        out.append(readReply(q));
    return out;
}

Result<QuickReplyRecord> QuickReplyRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id,
                                                    bool forUpdate)
{
    db::Query q(db, kSelect + QStringLiteral(" WHERE tenant_id = ?::uuid AND id = ?::uuid") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(id));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return noSuchReply();
    return readReply(q);
}

Result<QUuid> QuickReplyRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const QuickReplyRecord &r,
                                           const QUuid &createdBy)
{
    db::Query q(
        db, QStringLiteral("INSERT INTO quick_replies (tenant_id, scope, sector_id, owner_id, shortcut, title, body, "
                           "created_by) VALUES (?::uuid, ?, ?::uuid, ?::uuid, ?, ?, ?, ?::uuid) RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(r.scope);
    q.addBindValue(nullableId(r.sectorId));
    q.addBindValue(nullableId(r.ownerId));
    q.addBindValue(r.shortcut);
    q.addBindValue(r.title);
    q.addBindValue(r.body);
    q.addBindValue(nullableId(createdBy));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("insert returned no id"));
    return QUuid::fromString(q.value(0).toString());
}

Status QuickReplyRepository::update(QSqlDatabase &db, const QUuid &tenantId, const QuickReplyRecord &r)
{
    db::Query q(db, QStringLiteral("UPDATE quick_replies SET shortcut = ?, title = ?, body = ?, updated_at = now() "
                                   "WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(r.shortcut);
    q.addBindValue(r.title);
    q.addBindValue(r.body);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(r.id));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status{} : Status(noSuchReply());
}

Status QuickReplyRepository::remove(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id)
{
    db::Query q(db, QStringLiteral("DELETE FROM quick_replies WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(id));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status{} : Status(noSuchReply());
}

Result<QHash<QString, QString>> QuickReplyRepository::variables(QSqlDatabase &db, const QUuid &tenantId,
                                                                const QUuid &ticketId, const QUuid &agentId,
                                                                const QDateTime &now)
{
    db::Query q(db, QStringLiteral(
                        "SELECT c.name, coalesce(c.phone, ''), coalesce(c.email, ''), coalesce(s.name, ''), tn.name, "
                        "  coalesce(tn.time_zone, 'UTC'), coalesce(tn.language, 'pt_BR'), "
                        "  (SELECT u.name FROM users u WHERE u.tenant_id = t.tenant_id AND u.id = ?::uuid) "
                        "FROM tickets t JOIN contacts c ON c.tenant_id = t.tenant_id AND c.id = t.contact_id "
                        "JOIN tenants tn ON tn.id = t.tenant_id "
                        "LEFT JOIN sectors s ON s.tenant_id = t.tenant_id AND s.id = t.sector_id "
                        "WHERE t.tenant_id = ?::uuid AND t.id = ?::uuid"));
    q.addBindValue(sql::text(agentId));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such ticket"));
    const QString contactName = q.value(0).toString();
    const QString agentName = q.value(7).toString();
    QTimeZone zone(q.value(5).toString().toUtf8());
    if (!zone.isValid())
        zone = QTimeZone::utc();
    const QDateTime local = now.toTimeZone(zone);
    const QString language = q.value(6).toString();
    const bool pt = language.startsWith(QLatin1String("pt"));
    QHash<QString, QString> v;
    v.insert(QStringLiteral("contact.name"), contactName);
    v.insert(QStringLiteral("contact.first_name"), firstName(contactName));
    v.insert(QStringLiteral("contact.phone"), q.value(1).toString());
    v.insert(QStringLiteral("contact.email"), q.value(2).toString());
    v.insert(QStringLiteral("sector.name"), q.value(3).toString());
    v.insert(QStringLiteral("tenant.name"), q.value(4).toString());
    v.insert(QStringLiteral("agent.name"), agentName);
    v.insert(QStringLiteral("agent.first_name"), firstName(agentName));
    v.insert(QStringLiteral("greeting"), greetingFor(local, language));
    v.insert(QStringLiteral("date"), local.toString(pt ? QStringLiteral("dd/MM/yyyy") : QStringLiteral("yyyy-MM-dd")));
    v.insert(QStringLiteral("time"), local.toString(QStringLiteral("HH:mm")));
    return v;
}

} // namespace atende::server::desk
