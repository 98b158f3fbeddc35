#include "server/accounts/accounts_service.h"

#include "server/accounts/accounts_proto.h"
#include "server/accounts/accounts_service_impl.h"
#include "server/accounts/accounts_validation.h"
#include "server/accounts/tenant_settings_repository.h"
#include "server/api/event_hub.h"
#include "server/api/permissions.h"

#include <QtConcurrent/QtConcurrentRun>

Q_LOGGING_CATEGORY(lcAccounts, "atende.server.accounts")

namespace atende::server::accounts {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

Error shuttingDown()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

Error reported(const Error &error, const char *what)
{
    if (error.code != QLatin1String(errc::kInternal))
        return error;
    qCWarning(lcAccounts) << "accounts" << what << "failed:" << error.message;
    return Error::make(errc::kInternal, QStringLiteral("internal error"));
}

AccountsService::AccountsService(db::DbExecutor &db, security::PasswordHasher hasher, api::EventHub *hub,
                                 QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hasher(std::move(hasher))
    , m_hub(hub)
{}

void AccountsService::publish(const QUuid &tenantId, const Outbox &outbox)
{
    if (!m_hub)
        return;
    for (const PendingEvent &e : outbox.events)
        m_hub->publish(e.audience, e.event);
    for (const QUuid &userId : outbox.credentialsRevoked)
        m_hub->notifyCredentialsRevoked(tenantId, userId);
    for (const QUuid &userId : outbox.principalsChanged)
        m_hub->notifyPrincipalChanged(tenantId, userId);
}

QCoro::Task<Result<QString>> AccountsService::hashPassword(QString password)
{
    QPointer<AccountsService> self(this);
    const security::PasswordHasher hasher = m_hasher;
    QFuture<Result<QString>> future = QtConcurrent::run([hasher, password] { return hasher.hash(password); });
    Finished<Result<QString>> done(future);
    co_await done;
    Result<QString> hash = future.result();
    if (!self)
        co_return shuttingDown();
    if (!hash.ok())
        co_return reported(hash.error(), "password hashing");
    co_return hash;
}

QCoro::Task<Result<TenantSettings>> AccountsService::tenant(QUuid tenantId)
{
    auto rTask = query<TenantSettings>(
        tenantId, [tenantId](QSqlDatabase &db) { return TenantSettingsRepository::find(db, tenantId); });
    Result<TenantSettings> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TenantSettings>> AccountsService::updateTenant(Actor actor, TenantPatch patch)
{
    if (Status s = checkTenantPatch(patch); !s.ok())
        co_return s.error();
    auto rTask =
        commit<TenantSettings>(actor.tenantId, [actor, patch](QSqlDatabase &db) -> Result<Committed<TenantSettings>> {
            Result<TenantSettings> before = TenantSettingsRepository::find(db, actor.tenantId, true);
            if (!before.ok())
                return before.error();
            TenantSettings after = before.value();
            after.name = patch.name.value_or(after.name);
            after.timeZone = patch.timeZone.value_or(after.timeZone);
            after.language = patch.language.value_or(after.language);
            if (Status s = TenantSettingsRepository::update(db, after); !s.ok())
                return s.error();
            if (Status s = audit(db, actor, QStringLiteral("tenant.update"), QStringLiteral("tenant"), after.id,
                                 auditJson(before.value()), auditJson(after));
                !s.ok())
                return s.error();
            Committed<TenantSettings> c{after, {}};
            if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kTenantRead, tenantChangedEvent(after)); !s.ok())
                return s.error();
            return c;
        });
    Result<TenantSettings> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::accounts
