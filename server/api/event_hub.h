#pragma once
// Delivers server events to the WebSocket sessions allowed to see them (issue 3 item 4: events are
// filtered by the same rules as operations). A producer commits its change, then publishes the event with
// an Audience:
//   tenantId    only sessions of this tenant (always required; a null tenant is dropped)
//   permission  the receiver must hold it (e.g. "users.read")
//   sectorId    when set, the receiver must be a member of that sector or hold tickets.supervise
//   userId      when set, only that user receives it
//   assigneeId  with sectorId: this user receives it too without being a member of the sector (the agent a
//               ticket is assigned to always sees it, PRODUCT.md "agents see their sectors plus their own")
// Events of other instances arrive through PostgreSQL LISTEN/NOTIFY with the desk's event log (issue 4).

#include "atende/api/v1/sync.pb.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUuid>
#include <qcoro/qcorotask.h>

#include <functional>

namespace atende::server::api {

struct Audience {
    QUuid tenantId;
    QString permission;
    QUuid sectorId;
    QUuid userId;
    QUuid assigneeId;
};

// What the hub needs to know about a receiving session.
struct Subscriber {
    QUuid tenantId;
    QUuid userId;
    QSet<QString> permissions;
    QSet<QUuid> sectorIds;
    std::function<void(const atende::api::v1::Event &)> deliver;
};

// Loads the sectors a user belongs to (the accounts module answers from user_sectors).
using SectorResolver = std::function<QCoro::Task<QSet<QUuid>>(QUuid tenantId, QUuid userId)>;

// True when a subscriber with these properties may receive an event for this audience.
bool mayReceive(const Subscriber &subscriber, const Audience &audience);

class EventHub : public QObject {
    Q_OBJECT
public:
    explicit EventHub(QObject *parent = nullptr);

    // Returns a handle for update()/remove().
    quint64 add(Subscriber subscriber);
    void update(quint64 handle, Subscriber subscriber);
    void remove(quint64 handle);
    int subscriberCount() const { return int(m_subscribers.size()); }

    // Delivers synchronously to every allowed subscriber of the tenant. Returns how many received it.
    int publish(const Audience &audience, const atende::api::v1::Event &event);

    // A user's sector memberships, role or active flag changed: that user's sessions reload what they may
    // see (and a deactivated user's sessions stop receiving).
    void notifyPrincipalChanged(const QUuid &tenantId, const QUuid &userId)
    {
        Q_EMIT principalChanged(tenantId, userId);
    }

    // A user's access tokens must stop working now (deactivated, role changed, password reset by an
    // admin). Emitted before principalChanged, so sessions re-authenticating are already refused.
    void notifyCredentialsRevoked(const QUuid &tenantId, const QUuid &userId)
    {
        Q_EMIT credentialsRevoked(tenantId, userId);
    }

Q_SIGNALS:
    void principalChanged(QUuid tenantId, QUuid userId);
    void credentialsRevoked(QUuid tenantId, QUuid userId);

private:
    quint64 m_next = 1;
    QHash<quint64, Subscriber> m_subscribers;
};

} // namespace atende::server::api
