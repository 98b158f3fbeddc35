#pragma once
// The job handlers that hand outbound work to connectors (ARCHITECTURE.md "Outbound"):
//
//   message.send {"message_id"}  load the message as the job's tenant; a message that is no longer pending
//                                (already sent: the job ran before and was delivered again) is skipped, so a
//                                message is never sent twice by a retried job. Then the connector of the
//                                message's connection sends it: success -> sent + external id + sent_at +
//                                event; a retryable failure -> the job fails and the queue retries it with
//                                back-off; a permanent failure or the last attempt -> the message is failed
//                                with the reason (+ event) and the job goes dead.
//   message.read {"message_id"}  the read mark for an inbound message (messages.mark_read).
//
// Nothing here logs message bodies.

#include "common/core/result.h"
#include "server/desk/connector.h"
#include "server/jobs/job_types.h"

#include <QObject>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}
namespace atende::server::jobs {
class JobWorker;
}

namespace atende::server::desk {

class OutboundSender : public QObject {
    Q_OBJECT
public:
    // hub may be null (no events are published then).
    OutboundSender(db::DbExecutor &db, api::EventHub *hub, ConnectorRegistry &connectors, QObject *parent = nullptr);

    // Registers "message.send" and "message.read" (before worker.start()).
    void registerHandlers(jobs::JobWorker &worker);

    QCoro::Task<atende::core::Status> sendJob(jobs::Job job);
    QCoro::Task<atende::core::Status> readJob(jobs::Job job);

private:
    // Marks the message failed (when still pending) and announces it.
    QCoro::Task<atende::core::Status> fail(QUuid tenantId, QUuid messageId, QString reason);

    db::DbExecutor &m_db;
    api::EventHub *m_hub;
    ConnectorRegistry &m_connectors;
};

} // namespace atende::server::desk
