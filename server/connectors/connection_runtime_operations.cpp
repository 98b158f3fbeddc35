// connections.pairing.start / pairing.get / health.get / events.list / logout (issue 5 item 4).

#include "server/accounts/accounts_validation.h"
#include "server/api/operation.h"
#include "server/api/permissions.h"
#include "server/connectors/connections_control.h"
#include "server/connectors/logging.h"

namespace atende::server::connectors {

namespace v1 = atende::api::v1;
namespace errc = atende::core::errc;
using atende::core::Error;
using atende::core::Result;
using atende::server::accounts::parseId;

namespace {

using ControlPtr = QPointer<ConnectionsControl>;

Result<accounts::Actor> actorOf(const api::CallContext &ctx)
{
    accounts::Actor a;
    a.tenantId = QUuid::fromString(ctx.tenantId);
    a.userId = QUuid::fromString(ctx.userId);
    a.ip = ctx.peer.isNull() ? QString() : ctx.peer.toString();
    if (a.tenantId.isNull() || a.userId.isNull())
        return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
    return a;
}

template <typename Req, typename Resp>
void add(api::OperationTable &table, const ControlPtr &control, QString name, QByteArray method, QString path,
         const char *permission, QString summary,
         std::function<QCoro::Task<Result<Resp>>(ConnectionsControl &, accounts::Actor, QUuid, Req)> body)
{
    api::Operation op = api::makeOperation<Req, Resp>(
        name, std::move(method), std::move(path), QString::fromLatin1(permission), std::move(summary),
        [control, body](api::CallContext ctx, Req req) -> QCoro::Task<Result<Resp>> {
            if (!control)
                co_return Error::make(errc::kUnavailable, QStringLiteral("the server is shutting down"));
            Result<accounts::Actor> actor = actorOf(ctx);
            if (!actor.ok())
                co_return actor.error();
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto t = body(*control, actor.value(), id.value(), std::move(req));
            Result<Resp> r = co_await t;
            co_return r;
        });
    if (!table.add(std::move(op)))
        qCCritical(lcConnectors) << "operation" << name << "was refused by the operation table";
}

} // namespace

void addConnectionRuntimeOperations(api::OperationTable &table, ConnectionsControl *control)
{
    const ControlPtr c(control);
    add<v1::StartPairingRequest, v1::ConnectionHealth>(
        table, c, QStringLiteral("connections.pairing.start"), "POST",
        QStringLiteral("/api/v1/connections/{id}/pairing"), api::perm::kConnectionsManage,
        QStringLiteral("Starts linking a WhatsApp account (QR or phone-number code); QR texts arrive as "
                       "connection_pairing events."),
        [](ConnectionsControl &s, accounts::Actor actor, QUuid id, v1::StartPairingRequest req) {
            return s.startPairing(actor, id, QString::fromStdString(req.method()),
                                  QString::fromStdString(req.phone_number()));
        });
    add<v1::GetPairingRequest, v1::PairingState>(
        table, c, QStringLiteral("connections.pairing.get"), "GET", QStringLiteral("/api/v1/connections/{id}/pairing"),
        api::perm::kConnectionsManage, QStringLiteral("The QR text or pairing code to show now, while valid."),
        [](ConnectionsControl &s, accounts::Actor actor, QUuid id, v1::GetPairingRequest) {
            return s.pairing(actor.tenantId, id);
        });
    add<v1::GetConnectionHealthRequest, v1::ConnectionHealth>(
        table, c, QStringLiteral("connections.health.get"), "GET", QStringLiteral("/api/v1/connections/{id}/health"),
        api::perm::kConnectionsRead,
        QStringLiteral("State, since, last frame, reconnects, uptime and owner instance of a WhatsApp connection."),
        [](ConnectionsControl &s, accounts::Actor actor, QUuid id, v1::GetConnectionHealthRequest) {
            return s.health(actor.tenantId, id);
        });
    add<v1::ListConnectionEventsRequest, v1::ListConnectionEventsResponse>(
        table, c, QStringLiteral("connections.events.list"), "GET", QStringLiteral("/api/v1/connections/{id}/events"),
        api::perm::kConnectionsRead, QStringLiteral("The connection's state changes with reasons, newest first."),
        [](ConnectionsControl &s, accounts::Actor actor, QUuid id, v1::ListConnectionEventsRequest req) {
            return s.events(actor.tenantId, id, QString::fromStdString(req.cursor()), int(req.limit()));
        });
    add<v1::LogoutConnectionRequest, v1::ConnectionHealth>(
        table, c, QStringLiteral("connections.logout"), "POST", QStringLiteral("/api/v1/connections/{id}/logout"),
        api::perm::kConnectionsManage,
        QStringLiteral("Unlinks the WhatsApp device and forgets its credentials; pairing is needed again."),
        [](ConnectionsControl &s, accounts::Actor actor, QUuid id, v1::LogoutConnectionRequest) {
            return s.logout(actor, id);
        });
}

} // namespace atende::server::connectors
