#pragma once
// What a WebSocket session needs from the event log to resume a client (operation sync.resume, see
// sync.proto): one page of the tenant's stored events after a seq, each with the audience it was stored
// with, so the session filters them with the same mayReceive() rule as live events. The events module
// (server/events, EventLog) answers it from PostgreSQL.

#include "common/core/result.h"
#include "server/api/event_hub.h"

#include "atende/api/v1/sync.pb.h"

#include <QList>
#include <QUuid>
#include <qcoro/qcorotask.h>

#include <functional>

namespace atende::server::api {

struct LoggedEvent {
    Audience audience;
    atende::api::v1::Event event;
};

struct BacklogPage {
    QList<LoggedEvent> events; // seq order, unfiltered
    quint64 headSeq = 0;       // the tenant's newest seq when read
    quint64 scannedTo = 0;     // the last seq read (the request's afterSeq when none)
    bool more = false;         // stored events after scannedTo exist
    bool gap = false;          // events after afterSeq are no longer stored (or afterSeq is unknown)
};

using BacklogReader =
    std::function<QCoro::Task<atende::core::Result<BacklogPage>>(QUuid tenantId, quint64 afterSeq, int limit)>;

} // namespace atende::server::api
