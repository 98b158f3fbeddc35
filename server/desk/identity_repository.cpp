#include "server/desk/identity_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/contact_repository.h"

#include <QJsonObject>
#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

QVariant nullableId(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(sql::text(id));
}

Error identityTaken()
{
    return Error::make(atende::core::errc::kConflict, QStringLiteral("another contact already has this identity"),
                       QJsonObject{{QStringLiteral("field"), QStringLiteral("value")},
                                   {QStringLiteral("reason"), QStringLiteral("identity_taken")}});
}

Error noSuchIdentity()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such identity"));
}

// The contact owning (kind, value), or a null id.
Result<QUuid> ownerOf(QSqlDatabase &db, const QUuid &tenantId, const QString &kind, const QString &value)
{
    db::Query q(db, QStringLiteral("SELECT contact_id FROM contact_identities "
                                   "WHERE tenant_id = ?::uuid AND kind = ? AND value = ?"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(kind);
    q.addBindValue(value);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.next() ? QUuid::fromString(q.value(0).toString()) : QUuid();
}

} // namespace

Result<QList<IdentityRecord>> IdentityRepository::ofContact(QSqlDatabase &db, const QUuid &tenantId,
                                                            const QUuid &contactId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, contact_id, kind, value, connection_id FROM contact_identities "
                             "WHERE tenant_id = ?::uuid AND contact_id = ?::uuid ORDER BY kind, value"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contactId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<IdentityRecord> out;
    while (q.next()) {
        IdentityRecord i;
        i.id = QUuid::fromString(q.value(0).toString());
        i.contactId = QUuid::fromString(q.value(1).toString());
        i.kind = q.value(2).toString();
        i.value = q.value(3).toString();
        i.connectionId = QUuid::fromString(q.value(4).toString());
        out.append(i);
    }
    return out;
}

Result<QUuid> IdentityRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const IdentityRecord &identity)
{
    // ON CONFLICT instead of catching 23505: an error would abort the surrounding transaction.
    db::Query q(db, QStringLiteral("INSERT INTO contact_identities (tenant_id, contact_id, kind, value, connection_id) "
                                   "VALUES (?::uuid, ?::uuid, ?, ?, ?::uuid) "
                                   "ON CONFLICT (tenant_id, kind, value) DO NOTHING RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(identity.contactId));
    q.addBindValue(identity.kind);
    q.addBindValue(identity.value);
    q.addBindValue(nullableId(identity.connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return identityTaken();
    return QUuid::fromString(q.value(0).toString());
}

Status IdentityRepository::remove(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                                  const QUuid &identityId)
{
    db::Query q(db, QStringLiteral("DELETE FROM contact_identities "
                                   "WHERE tenant_id = ?::uuid AND contact_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contactId));
    q.addBindValue(sql::text(identityId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchIdentity());
}

Result<int> IdentityRepository::moveAll(QSqlDatabase &db, const QUuid &tenantId, const QUuid &fromContact,
                                        const QUuid &toContact)
{
    db::Query q(db, QStringLiteral("UPDATE contact_identities SET contact_id = ?::uuid "
                                   "WHERE tenant_id = ?::uuid AND contact_id = ?::uuid"));
    q.addBindValue(sql::text(toContact));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(fromContact));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.numRowsAffected();
}

Result<QUuid> IdentityRepository::contactOf(QSqlDatabase &db, const QUuid &tenantId, const QString &kind,
                                            const QString &value)
{
    Result<QUuid> owner = ownerOf(db, tenantId, kind, value);
    if (!owner.ok() || owner->isNull())
        return owner;
    return ContactRepository::resolve(db, tenantId, owner.value());
}

Result<FoundContact> IdentityRepository::findOrCreateByIdentity(QSqlDatabase &db, const QUuid &tenantId,
                                                                const QString &kind, const QString &value,
                                                                const QUuid &connectionId, const QString &displayName)
{
    Result<QUuid> owner = ownerOf(db, tenantId, kind, value);
    if (!owner.ok())
        return owner.error();
    if (!owner->isNull()) {
        Result<QUuid> alive = ContactRepository::resolve(db, tenantId, owner.value());
        if (!alive.ok())
            return alive.error();
        return FoundContact{alive.value(), false};
    }

    ContactRecord contact;
    contact.name = displayName.trimmed().isEmpty() ? value : displayName.trimmed();
    if (kind == QLatin1String("wa_phone"))
        contact.phone = value;
    else if (kind == QLatin1String("email"))
        contact.email = value;
    Result<QUuid> created = ContactRepository::insert(db, tenantId, contact);
    if (!created.ok())
        return created.error();
    Result<QUuid> identity = IdentityRepository::insert(db, tenantId, {{}, created.value(), kind, value, connectionId});
    if (identity.ok())
        return FoundContact{created.value(), true};
    if (identity.error().code != QLatin1String(atende::core::errc::kConflict))
        return identity.error();

    // A concurrent transaction committed the identity first: drop our contact and use theirs.
    db::Query drop(db, QStringLiteral("DELETE FROM contacts WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    drop.addBindValue(sql::text(tenantId));
    drop.addBindValue(sql::text(created.value()));
    if (Status s = db::exec(drop); !s.ok())
        return s.error();
    owner = ownerOf(db, tenantId, kind, value);
    if (!owner.ok())
        return owner.error();
    if (owner->isNull())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("identity vanished during find-or-create"));
    Result<QUuid> alive = ContactRepository::resolve(db, tenantId, owner.value());
    if (!alive.ok())
        return alive.error();
    return FoundContact{alive.value(), false};
}

} // namespace atende::server::desk
