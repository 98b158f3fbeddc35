// users.* operations. The /users/me/... routes are added before /users/{id}/... so "me" never reaches the
// id-bound routes of the same shape.

#include "server/accounts/accounts_proto.h"
#include "server/accounts/accounts_validation.h"
#include "server/accounts/operations_impl.h"

namespace atende::server::accounts {

namespace v1 = atende::api::v1;
using atende::core::Result;
using atende::core::Status;
using UserTask = QCoro::Task<Result<v1::User>>;

namespace {

// Shared by users.set_availability (own) and users.set_availability_of (someone else's).
QCoro::Task<Result<v1::User>> setAvailability(ServicePtr svc, Actor actor, QUuid userId, Availability a)
{
    if (!svc)
        co_return serviceGone();
    auto rTask = svc->setAvailability(actor, userId, a);
    Result<UserRecord> r = co_await rTask;
    if (!r.ok())
        co_return r.error();
    const v1::User out = toProto(r.value());
    co_return out;
}

void addSelfOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addOperation(table, api::makeOperation<v1::ChangePasswordRequest, v1::ChangePasswordResponse>(
                            QStringLiteral("users.change_password"), "POST",
                            QStringLiteral("/api/v1/users/me/password"), permission(api::perm::kSelf),
                            QStringLiteral("Changes the caller's own password (needs the current one)."),
                            [svc](api::CallContext ctx,
                                  v1::ChangePasswordRequest req) -> QCoro::Task<Result<v1::ChangePasswordResponse>> {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                auto stTask = svc->changePassword(actor.value(), toQString(req.current_password()),
                                                                  toQString(req.new_password()));
                                Status st = co_await stTask;
                                if (!st.ok())
                                    co_return st.error();
                                const v1::ChangePasswordResponse out;
                                co_return out;
                            }));

    addOperation(table, api::makeOperation<v1::SetAvailabilityRequest, v1::User>(
                            QStringLiteral("users.set_availability"), "PUT",
                            QStringLiteral("/api/v1/users/me/availability"), permission(api::perm::kSelf),
                            QStringLiteral("Sets the caller online, paused (with a reason) or offline."),
                            [svc](api::CallContext ctx, v1::SetAvailabilityRequest req) -> UserTask {
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                const Availability a{toQString(req.availability()), toQString(req.pause_reason())};
                                auto rTask = setAvailability(svc, actor.value(), actor->userId, a);
                                Result<v1::User> r = co_await rTask;
                                co_return r;
                            }));
}

void addReadOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addOperation(
        table,
        api::makeOperation<v1::ListUsersRequest, v1::ListUsersResponse>(
            QStringLiteral("users.list"), "GET", QStringLiteral("/api/v1/users"), permission(api::perm::kUsersRead),
            QStringLiteral("Users of the tenant; filters: search (name or email), role, active, sectorId."),
            [svc](api::CallContext ctx, v1::ListUsersRequest req) -> QCoro::Task<Result<v1::ListUsersResponse>> {
                if (!svc)
                    co_return serviceGone();
                Result<Actor> actor = actorOf(ctx);
                if (!actor.ok())
                    co_return actor.error();
                UserFilter filter;
                filter.search = toQString(req.search()).trimmed();
                filter.role = toQString(req.role());
                if (req.has_active())
                    filter.active = req.active();
                if (!req.sector_id().empty()) {
                    Result<QUuid> sector = parseId(req.sector_id(), QStringLiteral("sectorId"));
                    if (!sector.ok())
                        co_return sector.error();
                    filter.sectorId = sector.value();
                }
                auto rTask = svc->users(actor->tenantId, filter);
                Result<QList<UserRecord>> r = co_await rTask;
                if (!r.ok())
                    co_return r.error();
                v1::ListUsersResponse out;
                for (const UserRecord &u : r.value())
                    *out.add_users() = toProto(u);
                co_return out;
            }));

    addOperation(table, api::makeOperation<v1::GetUserRequest, v1::User>(
                            QStringLiteral("users.get"), "GET", QStringLiteral("/api/v1/users/{id}"),
                            permission(api::perm::kUsersRead), QStringLiteral("One user of the tenant."),
                            [svc](api::CallContext ctx, v1::GetUserRequest req) -> UserTask {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                                if (!id.ok())
                                    co_return id.error();
                                auto rTask = svc->user(actor->tenantId, id.value());
                                Result<UserRecord> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                const v1::User out = toProto(r.value());
                                co_return out;
                            }));
}

void addManageOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addOperation(
        table,
        api::makeOperation<v1::CreateUserRequest, v1::CreateUserResponse>(
            QStringLiteral("users.create"), "POST", QStringLiteral("/api/v1/users"),
            permission(api::perm::kUsersManage),
            QStringLiteral("Creates a user; without a password one is generated and returned once."),
            [svc](api::CallContext ctx, v1::CreateUserRequest req) -> QCoro::Task<Result<v1::CreateUserResponse>> {
                if (!svc)
                    co_return serviceGone();
                Result<Actor> actor = actorOf(ctx);
                if (!actor.ok())
                    co_return actor.error();
                const NewAccount account{toQString(req.email()), toQString(req.name()), toQString(req.role())};
                auto rTask = svc->createUser(actor.value(), account, toQString(req.password()));
                Result<CreatedUser> r = co_await rTask;
                if (!r.ok())
                    co_return r.error();
                v1::CreateUserResponse out;
                *out.mutable_user() = toProto(r->user);
                out.set_generated_password(r->generatedPassword.toStdString());
                co_return out;
            }));

    addOperation(table, api::makeOperation<v1::UpdateUserRequest, v1::User>(
                            QStringLiteral("users.update"), "PATCH", QStringLiteral("/api/v1/users/{id}"),
                            permission(api::perm::kUsersManage),
                            QStringLiteral("Changes a user's name, email, role or active flag; deactivation signs "
                                           "them out everywhere."),
                            [svc](api::CallContext ctx, v1::UpdateUserRequest req) -> UserTask {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                                if (!id.ok())
                                    co_return id.error();
                                auto rTask = svc->updateUser(actor.value(), id.value(), fromProto(req));
                                Result<UserRecord> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                const v1::User out = toProto(r.value());
                                co_return out;
                            }));

    addOperation(table, api::makeOperation<v1::ResetPasswordRequest, v1::ResetPasswordResponse>(
                            QStringLiteral("users.reset_password"), "POST",
                            QStringLiteral("/api/v1/users/{id}/reset-password"), permission(api::perm::kUsersManage),
                            QStringLiteral("Sets a generated password (returned once) and signs the user out."),
                            [svc](api::CallContext ctx,
                                  v1::ResetPasswordRequest req) -> QCoro::Task<Result<v1::ResetPasswordResponse>> {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                                if (!id.ok())
                                    co_return id.error();
                                auto rTask = svc->resetPassword(actor.value(), id.value());
                                Result<QString> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                v1::ResetPasswordResponse out;
                                out.set_generated_password(r.value().toStdString());
                                co_return out;
                            }));

    addOperation(table, api::makeOperation<v1::SetUserSectorsRequest, v1::User>(
                            QStringLiteral("users.set_sectors"), "PUT", QStringLiteral("/api/v1/users/{id}/sectors"),
                            permission(api::perm::kUsersManage), QStringLiteral("Replaces the user's sectors."),
                            [svc](api::CallContext ctx, v1::SetUserSectorsRequest req) -> UserTask {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                                if (!id.ok())
                                    co_return id.error();
                                Result<QList<QUuid>> sectors =
                                    parseIds(toStringList(req.sector_ids()), QStringLiteral("sectorIds"));
                                if (!sectors.ok())
                                    co_return sectors.error();
                                auto rTask = svc->setUserSectors(actor.value(), id.value(), sectors.value());
                                Result<UserRecord> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                const v1::User out = toProto(r.value());
                                co_return out;
                            }));

    addOperation(table, api::makeOperation<v1::SetAvailabilityOfRequest, v1::User>(
                            QStringLiteral("users.set_availability_of"), "PUT",
                            QStringLiteral("/api/v1/users/{id}/availability"), permission(api::perm::kTicketsSupervise),
                            QStringLiteral("A supervisor sets someone's availability (online, paused, offline)."),
                            [svc](api::CallContext ctx, v1::SetAvailabilityOfRequest req) -> UserTask {
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                                if (!id.ok())
                                    co_return id.error();
                                const Availability a{toQString(req.availability()), toQString(req.pause_reason())};
                                auto rTask = setAvailability(svc, actor.value(), id.value(), a);
                                Result<v1::User> r = co_await rTask;
                                co_return r;
                            }));
}

} // namespace

void addUserOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addSelfOperations(table, svc);
    addReadOperations(table, svc);
    addManageOperations(table, svc);
}

} // namespace atende::server::accounts
