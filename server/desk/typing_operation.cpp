#include "server/desk/typing_operation.h"

#include "server/desk/message_operations_impl.h"

#include <QPointer>

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::server::accounts::parseId;

void addTypingOperation(api::OperationTable &table, MessagesService &service, ConnectorRegistry &connectors)
{
    ConnectorRegistry *registry = &connectors; // outlives the table (both owned by the server application)
    addMessageOperation<v1::SetTypingRequest, v1::SetTypingResponse>(
        table, ServicePtr(&service), QStringLiteral("tickets.typing"), "POST",
        QStringLiteral("/api/v1/tickets/{ticket_id}/typing"), api::perm::kMessagesSend,
        QStringLiteral("Tells the customer you are typing (composing) or stopped; nothing is stored."),
        [registry](MessagesService &s, api::CallContext ctx,
                   v1::SetTypingRequest req) -> QCoro::Task<Result<v1::SetTypingResponse>> {
            Result<QUuid> id = parseId(req.ticket_id(), QStringLiteral("ticketId"));
            if (!id.ok())
                co_return id.error();
            auto tTask = s.typingTarget(std::move(ctx), id.value());
            Result<TypingTarget> target = co_await tTask;
            if (!target.ok())
                co_return target.error();
            v1::SetTypingResponse out;
            QPointer<Connector> connector = registry->connectorFor(target->peer.connectionId, target->connectionKind);
            if (!connector)
                co_return out;
            auto cTask = connector->setTyping(target->peer, req.composing());
            ConnectorResult sent = co_await cTask;
            out.set_delivered(sent.ok);
            co_return out;
        });
}

} // namespace atende::server::desk
