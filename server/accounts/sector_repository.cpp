#include "server/accounts/sector_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"

#include <QJsonObject>
#include <QSqlQuery>

namespace atende::server::accounts {

namespace {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

const QString kSelect = QStringLiteral("SELECT s.id, s.name, s.color, s.greeting, s.reopen_window_minutes, "
                                       "(SELECT string_agg(us.user_id::text, ',') FROM user_sectors us "
                                       " WHERE us.tenant_id = s.tenant_id AND us.sector_id = s.id) "
                                       "FROM sectors s");

SectorRecord readSector(const QSqlQuery &q)
{
    SectorRecord s;
    s.id = QUuid::fromString(q.value(0).toString());
    s.name = q.value(1).toString();
    s.color = q.value(2).toString();
    s.greeting = q.value(3).toString();
    s.reopenWindowMinutes = q.value(4).toInt();
    s.memberIds = sql::uuidList(q.value(5));
    return s;
}

Error noSuchSector()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such sector"));
}

Error nameTaken()
{
    return Error::make(atende::core::errc::kConflict, QStringLiteral("another sector already has this name"),
                       QJsonObject{{QStringLiteral("field"), QStringLiteral("name")},
                                   {QStringLiteral("reason"), QStringLiteral("name_taken")}});
}

// The only unique constraint a sector write can hit is the name.
Status execWrite(QSqlQuery &q)
{
    Status s = db::exec(q);
    if (!s.ok() && s.error().code == QLatin1String(atende::core::errc::kConflict))
        return nameTaken();
    return s;
}

} // namespace

Result<QList<SectorRecord>> SectorRepository::list(QSqlDatabase &db, const QUuid &tenantId, const QString &search)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(kSelect + QStringLiteral(" WHERE s.tenant_id = ?::uuid") +
              (search.isEmpty() ? QString() : QStringLiteral(" AND s.name ILIKE ? ESCAPE '\\'")) +
              QStringLiteral(" ORDER BY lower(s.name), s.id"));
    q.addBindValue(sql::text(tenantId));
    if (!search.isEmpty())
        q.addBindValue(sql::containsPattern(search));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<SectorRecord> out;
    while (q.next())
        out.append(readSector(q));
    return out;
}

Result<SectorRecord> SectorRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId,
                                            bool forUpdate)
{
    db::Query q(db, kSelect + QStringLiteral(" WHERE s.tenant_id = ?::uuid AND s.id = ?::uuid") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE OF s") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(sectorId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return noSuchSector();
    return readSector(q);
}

Result<QUuid> SectorRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const SectorRecord &sector)
{
    db::Query q(db, QStringLiteral("INSERT INTO sectors (tenant_id, name, color, greeting, reopen_window_minutes) "
                                   "VALUES (?::uuid, ?, ?, ?, ?) RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sector.name);
    q.addBindValue(sql::nullable(sector.color));
    q.addBindValue(sector.greeting);
    q.addBindValue(sector.reopenWindowMinutes);
    if (Status s = execWrite(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("sector insert returned nothing"));
    return QUuid::fromString(q.value(0).toString());
}

Status SectorRepository::update(QSqlDatabase &db, const QUuid &tenantId, const SectorRecord &sector)
{
    db::Query q(db, QStringLiteral("UPDATE sectors SET name = ?, color = ?, greeting = ?, reopen_window_minutes = ?, "
                                   "updated_at = now() WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sector.name);
    q.addBindValue(sql::nullable(sector.color));
    q.addBindValue(sector.greeting);
    q.addBindValue(sector.reopenWindowMinutes);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(sector.id));
    if (Status s = execWrite(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchSector());
}

Status SectorRepository::remove(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId)
{
    db::Query q(db, QStringLiteral("DELETE FROM sectors WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(sectorId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchSector());
}

Status SectorRepository::setMembers(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId,
                                    const QList<QUuid> &userIds)
{
    db::Query q(db, QStringLiteral("DELETE FROM user_sectors WHERE tenant_id = ?::uuid AND sector_id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(sectorId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (userIds.isEmpty())
        return {};
    db::Query insert(db, QStringLiteral("INSERT INTO user_sectors (tenant_id, user_id, sector_id) "
                                        "SELECT ?::uuid, u, ?::uuid FROM unnest(?::uuid[]) AS u"));
    insert.addBindValue(sql::text(tenantId));
    insert.addBindValue(sql::text(sectorId));
    insert.addBindValue(sql::uuidArray(userIds));
    return db::exec(insert);
}

Result<int> SectorRepository::countExisting(QSqlDatabase &db, const QUuid &tenantId, const QList<QUuid> &ids)
{
    if (ids.isEmpty())
        return 0;
    db::Query q(db, QStringLiteral("SELECT count(*) FROM sectors WHERE tenant_id = ?::uuid AND id = ANY(?::uuid[])"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::uuidArray(ids));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace atende::server::accounts
