#include "server/accounts/change_log.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/events/event_log.h"
#include "server/tenancy/audit_log.h"

#include <QDateTime>
#include <QJsonArray>

namespace atende::server::accounts {

namespace {

QJsonArray idArray(const QList<QUuid> &ids)
{
    QJsonArray a;
    for (const QUuid &id : ids)
        a.append(sql::text(id));
    return a;
}

} // namespace

QJsonObject auditJson(const TenantSettings &tenant)
{
    return QJsonObject{{QStringLiteral("name"), tenant.name},
                       {QStringLiteral("timeZone"), tenant.timeZone},
                       {QStringLiteral("language"), tenant.language}};
}

QJsonObject auditJson(const UserRecord &user)
{
    return QJsonObject{{QStringLiteral("email"), user.email},
                       {QStringLiteral("name"), user.name},
                       {QStringLiteral("role"), user.role},
                       {QStringLiteral("active"), user.active},
                       {QStringLiteral("availability"), user.availability},
                       {QStringLiteral("pauseReason"), user.pauseReason},
                       {QStringLiteral("sectorIds"), idArray(user.sectorIds)}};
}

QJsonObject auditJson(const SectorRecord &sector)
{
    return QJsonObject{{QStringLiteral("name"), sector.name},
                       {QStringLiteral("color"), sector.color},
                       {QStringLiteral("greeting"), sector.greeting},
                       {QStringLiteral("reopenWindowMinutes"), sector.reopenWindowMinutes},
                       {QStringLiteral("memberIds"), idArray(sector.memberIds)}};
}

atende::core::Status audit(QSqlDatabase &db, const Actor &actor, const QString &action, const QString &objectType,
                           const QUuid &objectId, std::optional<QJsonObject> before, std::optional<QJsonObject> after)
{
    tenancy::AuditEntry e;
    e.actorUserId = actor.userId;
    e.action = action;
    e.objectType = objectType;
    e.objectId = sql::text(objectId);
    e.before = std::move(before);
    e.after = std::move(after);
    e.ip = actor.ip;
    atende::core::Result<tenancy::AuditRecord> r = tenancy::AuditLog::append(db, actor.tenantId, e);
    if (!r.ok())
        return r.error();
    return {};
}

atende::core::Status Outbox::add(QSqlDatabase &db, const QUuid &tenantId, const char *permission,
                                 atende::api::v1::Event event)
{
    api::Audience audience;
    audience.tenantId = tenantId;
    audience.permission = QString::fromLatin1(permission);
    return add(db, audience, std::move(event));
}

atende::core::Status Outbox::add(QSqlDatabase &db, const api::Audience &audience, atende::api::v1::Event event)
{
    atende::core::Result<qint64> seq = db::nextEventSeq(db, audience.tenantId);
    if (!seq.ok())
        return seq.error();
    event.set_seq(quint64(seq.value()));
    event.set_tenant_id(sql::text(audience.tenantId).toStdString());
    event.set_at(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
    if (atende::core::Status s = events::EventLog::append(db, audience, event); !s.ok())
        return s;
    PendingEvent p;
    p.audience = audience;
    p.event = std::move(event);
    events.append(std::move(p));
    return {};
}

} // namespace atende::server::accounts
