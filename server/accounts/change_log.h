#pragma once
// What every accounts write does inside its transaction besides the change itself: one audit row with the
// object's state before and after (never a password hash; a password change is recorded as
// {"password":"changed"}), and events numbered with the tenant's event sequence, stored in the event log in
// the same transaction and collected in an Outbox that the service publishes only after COMMIT.

#include "common/core/result.h"
#include "server/accounts/account_types.h"
#include "server/api/event_hub.h"

#include "atende/api/v1/sync.pb.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace atende::server::accounts {

QJsonObject auditJson(const TenantSettings &tenant);
QJsonObject auditJson(const UserRecord &user);
QJsonObject auditJson(const SectorRecord &sector);

// Appends an audit row for objectType/objectId; actor and ip come from `actor`.
atende::core::Status audit(QSqlDatabase &db, const Actor &actor, const QString &action, const QString &objectType,
                           const QUuid &objectId, std::optional<QJsonObject> before, std::optional<QJsonObject> after);

struct PendingEvent {
    api::Audience audience;
    atende::api::v1::Event event;
};

struct Outbox {
    QList<PendingEvent> events;
    QList<QUuid> principalsChanged; // users whose role, active flag or sectors changed
    QList<QUuid> credentialsRevoked; // users whose access tokens must stop working (deactivated, new role, reset)

    // Takes the tenant's next event sequence number for `event` (inside the transaction), stores the event
    // in the event log (events::EventLog, NOTIFY to the other instances at COMMIT) and queues it for
    // holders of `permission`.
    atende::core::Status add(QSqlDatabase &db, const QUuid &tenantId, const char *permission,
                             atende::api::v1::Event event);
    // The same for a narrower audience (sector, assignee, single user; audience.tenantId required). The
    // audience is stored with the event: set it here, not on events.last() afterwards, or resuming clients
    // and other instances would apply the wrong one.
    atende::core::Status add(QSqlDatabase &db, const api::Audience &audience, atende::api::v1::Event event);
    void revokeCredentials(const QUuid &userId)
    {
        if (!credentialsRevoked.contains(userId))
            credentialsRevoked.append(userId);
    }
    void principalChanged(const QUuid &userId)
    {
        if (!principalsChanged.contains(userId))
            principalsChanged.append(userId);
    }
};

// A transaction's result and what to publish once it committed.
template <typename T> struct Committed {
    T value;
    Outbox outbox;
};

} // namespace atende::server::accounts
