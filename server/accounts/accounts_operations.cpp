#include "server/accounts/accounts_operations.h"

#include "server/accounts/accounts_proto.h"
#include "server/accounts/operations_impl.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcAccounts)

namespace atende::server::accounts {

namespace v1 = atende::api::v1;
using atende::core::Error;
using atende::core::Result;
namespace errc = atende::core::errc;

Error serviceGone()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

Result<Actor> actorOf(const api::CallContext &ctx)
{
    Actor a;
    a.tenantId = QUuid::fromString(ctx.tenantId);
    a.userId = QUuid::fromString(ctx.userId);
    a.ip = ctx.peer.isNull() ? QString() : ctx.peer.toString();
    if (a.tenantId.isNull() || a.userId.isNull())
        return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
    return a;
}

void addOperation(api::OperationTable &table, api::Operation op)
{
    const QString name = op.name;
    if (!table.add(std::move(op)))
        qCCritical(lcAccounts) << "operation" << name << "was refused by the operation table";
}

namespace {

void addTenantOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addOperation(table, api::makeOperation<v1::GetTenantRequest, v1::Tenant>(
                            QStringLiteral("tenant.get"), "GET", QStringLiteral("/api/v1/tenant"),
                            permission(api::perm::kTenantRead),
                            QStringLiteral("The caller's tenant: name, slug, time zone and language."),
                            [svc](api::CallContext ctx, v1::GetTenantRequest) -> QCoro::Task<Result<v1::Tenant>> {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                auto rTask = svc->tenant(actor->tenantId);
                                Result<TenantSettings> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                const v1::Tenant out = toProto(r.value());
                                co_return out;
                            }));

    addOperation(table,
                 api::makeOperation<v1::UpdateTenantRequest, v1::Tenant>(
                     QStringLiteral("tenant.update"), "PATCH", QStringLiteral("/api/v1/tenant"),
                     permission(api::perm::kTenantManage),
                     QStringLiteral("Changes the tenant's name, IANA time zone or language (pt_BR, en)."),
                     [svc](api::CallContext ctx, v1::UpdateTenantRequest req) -> QCoro::Task<Result<v1::Tenant>> {
                         if (!svc)
                             co_return serviceGone();
                         Result<Actor> actor = actorOf(ctx);
                         if (!actor.ok())
                             co_return actor.error();
                         auto rTask = svc->updateTenant(actor.value(), fromProto(req));
                         Result<TenantSettings> r = co_await rTask;
                         if (!r.ok())
                             co_return r.error();
                         const v1::Tenant out = toProto(r.value());
                         co_return out;
                     }));
}

} // namespace

void addAccountsOperations(api::OperationTable &table, AccountsService &service)
{
    const ServicePtr svc(&service);
    addTenantOperations(table, svc);
    addUserOperations(table, svc);
    addSectorOperations(table, svc);
}

} // namespace atende::server::accounts
