#pragma once
// Account administration (issue 3 item 2): the tenant's settings, its users (profile, role, active flag,
// passwords, availability, sector memberships) and its sectors.
//
// Every method works on the tenant of the caller (Actor::tenantId / the tenantId argument, which the
// operations take from CallContext, never from a request) through DbExecutor::runTenant, so Row-Level
// Security hides other tenants: their ids are simply not_found. Each change commits together with an
// audit row (before/after) and the event sequence numbers of its events; the events are published to the
// EventHub only after COMMIT, and sessions of users whose role, active flag or sectors changed are told
// through EventHub::notifyPrincipalChanged().
//
// Lives on the main thread; coroutines resume there. Password hashing runs on the global thread pool.

#include "common/core/result.h"
#include "server/accounts/account_types.h"
#include "server/security/password_hasher.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUuid>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}

namespace atende::server::accounts {

struct Outbox;

struct CreatedUser {
    UserRecord user;
    QString generatedPassword; // empty when the caller chose the password
};

class AccountsService : public QObject {
    Q_OBJECT
public:
    // hub may be null (no events are published then).
    AccountsService(db::DbExecutor &db, security::PasswordHasher hasher, api::EventHub *hub, QObject *parent = nullptr);

    QCoro::Task<atende::core::Result<TenantSettings>> tenant(QUuid tenantId);
    QCoro::Task<atende::core::Result<TenantSettings>> updateTenant(Actor actor, TenantPatch patch);

    QCoro::Task<atende::core::Result<QList<UserRecord>>> users(QUuid tenantId, UserFilter filter);
    QCoro::Task<atende::core::Result<UserRecord>> user(QUuid tenantId, QUuid userId);
    // Without a password one is generated and returned once in CreatedUser::generatedPassword.
    QCoro::Task<atende::core::Result<CreatedUser>> createUser(Actor actor, NewAccount account, QString password);
    // The actor cannot deactivate or demote themselves (permission_denied, reason self_lockout).
    // Deactivating revokes the user's refresh tokens and sets them offline.
    QCoro::Task<atende::core::Result<UserRecord>> updateUser(Actor actor, QUuid userId, UserPatch patch);
    // Returns the generated password; revokes the user's refresh tokens.
    QCoro::Task<atende::core::Result<QString>> resetPassword(Actor actor, QUuid userId);
    QCoro::Task<atende::core::Result<UserRecord>> setUserSectors(Actor actor, QUuid userId, QList<QUuid> sectorIds);
    // The actor's own password; a wrong current password is permission_denied with reason wrong_password.
    QCoro::Task<atende::core::Status> changePassword(Actor actor, QString currentPassword, QString newPassword);
    QCoro::Task<atende::core::Result<UserRecord>> setAvailability(Actor actor, QUuid userId, Availability availability);

    QCoro::Task<atende::core::Result<QList<SectorRecord>>> sectors(QUuid tenantId, QString search);
    QCoro::Task<atende::core::Result<SectorRecord>> sector(QUuid tenantId, QUuid sectorId);
    // patch holds every field (see fromProto(CreateSectorRequest)).
    QCoro::Task<atende::core::Result<SectorRecord>> createSector(Actor actor, SectorPatch patch);
    QCoro::Task<atende::core::Result<SectorRecord>> updateSector(Actor actor, QUuid sectorId, SectorPatch patch);
    QCoro::Task<atende::core::Status> deleteSector(Actor actor, QUuid sectorId);
    QCoro::Task<atende::core::Result<SectorRecord>> setSectorMembers(Actor actor, QUuid sectorId, QList<QUuid> userIds);

private:
    // Runs f(QSqlDatabase &) -> Result<Committed<T>> in a tenant transaction, then publishes its outbox.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> commit(QUuid tenantId, F f);
    // Runs f(QSqlDatabase &) -> Result<T> in a tenant transaction.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> query(QUuid tenantId, F f);
    QCoro::Task<atende::core::Result<QString>> hashPassword(QString password);
    void publish(const QUuid &tenantId, const Outbox &outbox);

    db::DbExecutor &m_db;
    security::PasswordHasher m_hasher;
    api::EventHub *m_hub;
};

} // namespace atende::server::accounts
