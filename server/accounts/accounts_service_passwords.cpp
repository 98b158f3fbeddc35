// AccountsService: passwords (reset by an admin, changed by the user) and availability.

#include "server/accounts/accounts_proto.h"
#include "server/accounts/accounts_service_impl.h"
#include "server/accounts/accounts_validation.h"
#include "server/accounts/user_admin_repository.h"
#include "server/api/permissions.h"

#include <QtConcurrent/QtConcurrentRun>

namespace atende::server::accounts {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

const QString kUser = QStringLiteral("user");

QJsonObject passwordChanged(std::optional<int> revoked = std::nullopt)
{
    QJsonObject o{{QStringLiteral("password"), QStringLiteral("changed")}};
    if (revoked)
        o.insert(QStringLiteral("revokedRefreshTokens"), *revoked);
    return o;
}

} // namespace

QCoro::Task<Result<QString>> AccountsService::resetPassword(Actor actor, QUuid userId)
{
    QPointer<AccountsService> self(this);
    Result<QString> generated = generatePassword();
    if (!generated.ok())
        co_return reported(generated.error(), "password generation");
    const QString password = generated.value();
    auto hashTask = hashPassword(password);
    Result<QString> hash = co_await hashTask;
    if (!hash.ok())
        co_return hash.error();
    if (!self)
        co_return shuttingDown();
    const QString passwordHash = hash.value();
    auto rTask = commit<QString>(
        actor.tenantId, [actor, userId, passwordHash, password](QSqlDatabase &db) -> Result<Committed<QString>> {
            Result<UserRecord> user = UserAdminRepository::find(db, actor.tenantId, userId, true);
            if (!user.ok())
                return user.error();
            if (Status s = UserAdminRepository::setPasswordHash(db, actor.tenantId, userId, passwordHash); !s.ok())
                return s.error();
            Result<int> revoked = UserAdminRepository::revokeRefreshTokens(db, actor.tenantId, userId);
            if (!revoked.ok())
                return revoked.error();
            if (Status s = audit(db, actor, QStringLiteral("user.reset_password"), kUser, userId, std::nullopt,
                                 passwordChanged(revoked.value()));
                !s.ok())
                return s.error();
            Committed<QString> c{password, {}};
            if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kUsersRead, userChangedEvent(user.value()));
                !s.ok())
                return s.error();
            c.outbox.revokeCredentials(userId);
            c.outbox.principalChanged(userId);
            return c;
        });
    Result<QString> r = co_await rTask;
    co_return r;
}

QCoro::Task<Status> AccountsService::changePassword(Actor actor, QString currentPassword, QString newPassword)
{
    QPointer<AccountsService> self(this);
    if (Status s = checkPassword(newPassword, QStringLiteral("newPassword")); !s.ok())
        co_return s.error();
    const QUuid tenantId = actor.tenantId;
    const QUuid userId = actor.userId;
    auto storedTask = query<QString>(tenantId, [tenantId, userId](QSqlDatabase &db) {
        return UserAdminRepository::passwordHash(db, tenantId, userId);
    });
    Result<QString> stored = co_await storedTask;
    if (!stored.ok())
        co_return stored.error();
    if (!self)
        co_return shuttingDown();
    const security::PasswordHasher hasher = m_hasher;
    const QString storedHash = stored.value();
    QFuture<bool> verified =
        QtConcurrent::run([hasher, currentPassword, storedHash] { return hasher.verify(currentPassword, storedHash); });
    Finished<bool> verifiedDone(verified);
    co_await verifiedDone;
    const bool matches = verified.result();
    if (!self)
        co_return shuttingDown();
    if (!matches)
        co_return Error::make(errc::kPermissionDenied, QStringLiteral("the current password is not correct"),
                              QJsonObject{{QStringLiteral("reason"), QStringLiteral("wrong_password")}});
    auto hashTask = hashPassword(newPassword);
    Result<QString> hash = co_await hashTask;
    if (!hash.ok())
        co_return hash.error();
    if (!self)
        co_return shuttingDown();
    const QString newHash = hash.value();
    auto rTask = commit<bool>(tenantId, [actor, newHash](QSqlDatabase &db) -> Result<Committed<bool>> {
        Result<UserRecord> user = UserAdminRepository::find(db, actor.tenantId, actor.userId, true);
        if (!user.ok())
            return user.error();
        if (Status s = UserAdminRepository::setPasswordHash(db, actor.tenantId, actor.userId, newHash); !s.ok())
            return s.error();
        if (Status s = audit(db, actor, QStringLiteral("user.change_password"), kUser, actor.userId, std::nullopt,
                             passwordChanged());
            !s.ok())
            return s.error();
        Committed<bool> c{true, {}};
        if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kUsersRead, userChangedEvent(user.value())); !s.ok())
            return s.error();
        return c;
    });
    Result<bool> r = co_await rTask;
    if (!r.ok())
        co_return r.error();
    co_return Status();
}

QCoro::Task<Result<UserRecord>> AccountsService::setAvailability(Actor actor, QUuid userId, Availability availability)
{
    if (Status s = checkAvailability(availability); !s.ok())
        co_return s.error();
    auto rTask = commit<UserRecord>(
        actor.tenantId, [actor, userId, availability](QSqlDatabase &db) -> Result<Committed<UserRecord>> {
            Result<UserRecord> before = UserAdminRepository::find(db, actor.tenantId, userId, true);
            if (!before.ok())
                return before.error();
            if (!before->active && availability.state != QLatin1String("offline"))
                return Error::make(errc::kConflict, QStringLiteral("an inactive user can only be offline"),
                                   QJsonObject{{QStringLiteral("reason"), QStringLiteral("user_inactive")}});
            UserRecord after = before.value();
            after.availability = availability.state;
            after.pauseReason = availability.pauseReason;
            if (Status s = UserAdminRepository::update(db, actor.tenantId, after); !s.ok())
                return s.error();
            if (Status s = audit(db, actor, QStringLiteral("user.set_availability"), kUser, userId,
                                 auditJson(before.value()), auditJson(after));
                !s.ok())
                return s.error();
            Committed<UserRecord> c{after, {}};
            if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kUsersRead, userChangedEvent(after)); !s.ok())
                return s.error();
            return c;
        });
    Result<UserRecord> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::accounts
