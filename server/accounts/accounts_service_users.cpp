// AccountsService: listing, creating and editing users and their sector memberships.

#include "server/accounts/accounts_proto.h"
#include "server/accounts/accounts_service_impl.h"
#include "server/accounts/accounts_validation.h"
#include "server/accounts/sector_repository.h"
#include "server/accounts/user_admin_repository.h"
#include "server/api/permissions.h"

namespace atende::server::accounts {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

const QString kUser = QStringLiteral("user");

Error selfLockout()
{
    return Error::make(errc::kPermissionDenied,
                       QStringLiteral("you cannot deactivate yourself or change your own role"),
                       QJsonObject{{QStringLiteral("reason"), QStringLiteral("self_lockout")}});
}

// Queues SectorChanged for every sector whose member list changed.
Status addSectorEvents(QSqlDatabase &db, const QUuid &tenantId, Outbox &outbox, const QList<QUuid> &sectorIds)
{
    for (const QUuid &id : sectorIds) {
        Result<SectorRecord> s = SectorRepository::find(db, tenantId, id);
        if (!s.ok())
            return s.error();
        if (Status st = outbox.add(db, tenantId, api::perm::kSectorsRead, sectorChangedEvent(s.value(), false));
            !st.ok())
            return st;
    }
    return {};
}

QList<QUuid> symmetricDifference(const QList<QUuid> &a, const QList<QUuid> &b)
{
    QList<QUuid> out;
    for (const QUuid &id : a)
        if (!b.contains(id))
            out.append(id);
    for (const QUuid &id : b)
        if (!a.contains(id))
            out.append(id);
    return out;
}

} // namespace

QCoro::Task<Result<QList<UserRecord>>> AccountsService::users(QUuid tenantId, UserFilter filter)
{
    if (!filter.role.isEmpty())
        if (Status s = checkRole(filter.role); !s.ok())
            co_return s.error();
    auto rTask = query<QList<UserRecord>>(
        tenantId, [tenantId, filter](QSqlDatabase &db) { return UserAdminRepository::list(db, tenantId, filter); });
    Result<QList<UserRecord>> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<UserRecord>> AccountsService::user(QUuid tenantId, QUuid userId)
{
    auto rTask = query<UserRecord>(
        tenantId, [tenantId, userId](QSqlDatabase &db) { return UserAdminRepository::find(db, tenantId, userId); });
    Result<UserRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<CreatedUser>> AccountsService::createUser(Actor actor, NewAccount account, QString password)
{
    QPointer<AccountsService> self(this);
    if (Status s = checkEmail(account.email); !s.ok())
        co_return s.error();
    if (Status s = checkName(account.name, QStringLiteral("name")); !s.ok())
        co_return s.error();
    if (Status s = checkRole(account.role); !s.ok())
        co_return s.error();
    CreatedUser created;
    if (password.isEmpty()) {
        Result<QString> generated = generatePassword();
        if (!generated.ok())
            co_return reported(generated.error(), "password generation");
        created.generatedPassword = generated.value();
        password = created.generatedPassword;
    } else if (Status s = checkPassword(password, QStringLiteral("password")); !s.ok()) {
        co_return s.error();
    }
    auto hashTask = hashPassword(password);
    Result<QString> hash = co_await hashTask;
    if (!hash.ok())
        co_return hash.error();
    if (!self)
        co_return shuttingDown();
    const QString passwordHash = hash.value();
    auto userTask = commit<UserRecord>(
        actor.tenantId, [actor, account, passwordHash](QSqlDatabase &db) -> Result<Committed<UserRecord>> {
            Result<QUuid> id = UserAdminRepository::insert(db, actor.tenantId, account, passwordHash);
            if (!id.ok())
                return id.error();
            Result<UserRecord> rec = UserAdminRepository::find(db, actor.tenantId, id.value());
            if (!rec.ok())
                return rec.error();
            if (Status s = audit(db, actor, QStringLiteral("user.create"), kUser, rec->id, std::nullopt,
                                 auditJson(rec.value()));
                !s.ok())
                return s.error();
            Committed<UserRecord> c{rec.value(), {}};
            if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kUsersRead, userChangedEvent(c.value)); !s.ok())
                return s.error();
            return c;
        });
    Result<UserRecord> user = co_await userTask;
    if (!user.ok())
        co_return user.error();
    created.user = user.value();
    co_return created;
}

QCoro::Task<Result<UserRecord>> AccountsService::updateUser(Actor actor, QUuid userId, UserPatch patch)
{
    if (Status s = checkUserPatch(patch); !s.ok())
        co_return s.error();
    auto rTask =
        commit<UserRecord>(actor.tenantId, [actor, userId, patch](QSqlDatabase &db) -> Result<Committed<UserRecord>> {
            Result<UserRecord> before = UserAdminRepository::find(db, actor.tenantId, userId, true);
            if (!before.ok())
                return before.error();
            UserRecord after = before.value();
            after.name = patch.name.value_or(after.name);
            after.email = patch.email.value_or(after.email);
            after.role = patch.role.value_or(after.role);
            after.active = patch.active.value_or(after.active);
            const bool roleChanged = after.role != before->role;
            const bool deactivated = before->active && !after.active;
            if (userId == actor.userId && (roleChanged || deactivated))
                return selfLockout();
            QJsonObject afterJson;
            if (deactivated) {
                after.availability = QStringLiteral("offline");
                after.pauseReason.clear();
            }
            if (Status s = UserAdminRepository::update(db, actor.tenantId, after); !s.ok())
                return s.error();
            afterJson = auditJson(after);
            if (deactivated) {
                Result<int> revoked = UserAdminRepository::revokeRefreshTokens(db, actor.tenantId, userId);
                if (!revoked.ok())
                    return revoked.error();
                afterJson.insert(QStringLiteral("revokedRefreshTokens"), revoked.value());
            }
            if (Status s = audit(db, actor, QStringLiteral("user.update"), kUser, userId, auditJson(before.value()),
                                 afterJson);
                !s.ok())
                return s.error();
            Committed<UserRecord> c{after, {}};
            if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kUsersRead, userChangedEvent(after)); !s.ok())
                return s.error();
            if (roleChanged || deactivated)
                c.outbox.revokeCredentials(userId);
            if (roleChanged || after.active != before->active)
                c.outbox.principalChanged(userId);
            return c;
        });
    Result<UserRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<UserRecord>> AccountsService::setUserSectors(Actor actor, QUuid userId, QList<QUuid> sectorIds)
{
    auto rTask = commit<UserRecord>(
        actor.tenantId, [actor, userId, sectorIds](QSqlDatabase &db) -> Result<Committed<UserRecord>> {
            Result<UserRecord> before = UserAdminRepository::find(db, actor.tenantId, userId, true);
            if (!before.ok())
                return before.error();
            Result<int> known = SectorRepository::countExisting(db, actor.tenantId, sectorIds);
            if (!known.ok())
                return known.error();
            if (known.value() != sectorIds.size())
                return Error::make(errc::kNotFound, QStringLiteral("no such sector"));
            if (Status s = UserAdminRepository::setSectors(db, actor.tenantId, userId, sectorIds); !s.ok())
                return s.error();
            Result<UserRecord> after = UserAdminRepository::find(db, actor.tenantId, userId);
            if (!after.ok())
                return after.error();
            if (Status s = audit(db, actor, QStringLiteral("user.set_sectors"), kUser, userId,
                                 auditJson(before.value()), auditJson(after.value()));
                !s.ok())
                return s.error();
            Committed<UserRecord> c{after.value(), {}};
            if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kUsersRead, userChangedEvent(c.value)); !s.ok())
                return s.error();
            const QList<QUuid> changed = symmetricDifference(before->sectorIds, after->sectorIds);
            if (Status s = addSectorEvents(db, actor.tenantId, c.outbox, changed); !s.ok())
                return s.error();
            if (!changed.isEmpty())
                c.outbox.principalChanged(userId);
            return c;
        });
    Result<UserRecord> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::accounts
