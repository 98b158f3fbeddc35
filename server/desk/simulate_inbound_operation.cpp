// connections.simulate_inbound: a customer message arriving on a connection of kind "test", through the
// same Inbox a network connector uses. For the demo tenant's simulated customers, the desk benchmark and
// integration tests; refused on every other kind of connection (409 not_a_test_connection).

#include "server/desk/simulate_inbound_operation.h"

#include "server/accounts/accounts_validation.h"
#include "server/desk/contacts_service_impl.h"
#include "server/desk/desk_proto.h"
#include "server/desk/operations_impl.h"

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Result;
using atende::server::accounts::parseId;

void addSimulateInboundOperation(api::OperationTable &table, const QPointer<ContactsService> &contacts,
                                 const QPointer<Inbox> &inbox)
{
    addDeskOperation<v1::SimulateInboundRequest, v1::SimulateInboundResponse>(
        table, contacts, QStringLiteral("connections.simulate_inbound"), "POST",
        QStringLiteral("/api/v1/connections/{connection_id}/inbound"), api::perm::kConnectionsManage,
        QStringLiteral("Delivers a simulated customer message on a test connection (demo, benchmarks)."),
        [inbox](ContactsService &s, Actor actor,
                v1::SimulateInboundRequest req) -> QCoro::Task<Result<v1::SimulateInboundResponse>> {
            Result<QUuid> id = parseId(req.connection_id(), QStringLiteral("connection_id"));
            if (!id.ok())
                co_return id.error();
            auto cTask = s.connection(actor.tenantId, id.value());
            Result<ConnectionRecord> c = co_await cTask;
            if (!c.ok())
                co_return c.error();
            if (c->kind != QLatin1String("test"))
                co_return deskConflict(QStringLiteral("connection_id"), QStringLiteral("not_a_test_connection"),
                                       QStringLiteral("only connections of kind test take simulated messages"));
            if (!inbox)
                co_return deskServiceGone();
            InboundMessage m;
            m.tenantId = actor.tenantId;
            m.connectionId = id.value();
            m.senderKind = QStringLiteral("wa_phone");
            m.senderValue = QString::fromStdString(req.sender_phone());
            m.displayName = QString::fromStdString(req.sender_name());
            m.externalId = QString::fromStdString(req.external_id());
            m.body = QString::fromStdString(req.body());
            m.timestamp = QDateTime::currentDateTimeUtc();
            if (m.externalId.isEmpty())
                m.externalId = QStringLiteral("sim-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
            if (atende::core::Status st = checkInbound(m); !st.ok())
                co_return st.error();
            auto rTask = inbox->ingest(m);
            Result<IngestResult> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::SimulateInboundResponse out;
            out.set_message_id(r->messageId.toString(QUuid::WithoutBraces).toStdString());
            out.set_ticket_id(r->ticketId.toString(QUuid::WithoutBraces).toStdString());
            out.set_contact_id(r->contactId.toString(QUuid::WithoutBraces).toStdString());
            out.set_duplicate(r->duplicate);
            co_return out;
        });
}

} // namespace atende::server::desk
