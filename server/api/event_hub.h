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
//
// Events with a seq (the tenant's event sequence, stored in the event log) are delivered to sessions in seq
// order, each once: a seq already delivered is dropped (the instance that made a change publishes it right
// after COMMIT and gets it again through NOTIFY), and a seq that arrives before its predecessors is held
// until they arrive or the relay filled the gap from the log (fillGap hook), at most kGapWaitMs. A session
// therefore sees its tenant's events in increasing seq order, so "the last seq I saw" is a safe resume
// point. Events without a seq (ephemeral: typing, presence, notices) go out at once and are never stored.
//
// Events of other instances arrive through PostgreSQL LISTEN/NOTIFY (server/events, EventRelay), which
// installs EventPeers so ephemeral events and principal changes made here reach the other instances too.

#include "atende/api/v1/sync.pb.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUuid>
#include <qcoro/qcorotask.h>

#include <functional>
#include <map>

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

enum class PrincipalChange { Changed, CredentialsRevoked };

// Hooks to the other server instances (installed by events::EventRelay; every one is optional).
struct EventPeers {
    // An ephemeral event published here, to be forwarded.
    std::function<void(const Audience &, const atende::api::v1::Event &)> ephemeral;
    // A principal change made here, to be forwarded.
    std::function<void(PrincipalChange, QUuid tenantId, QUuid userId)> principal;
    // Events (afterSeq, beforeSeq) of the tenant are missing here: publish them from the log, then skipGap().
    std::function<void(QUuid tenantId, quint64 afterSeq, quint64 beforeSeq)> fillGap;
};

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

    // Delivers synchronously to every allowed subscriber of the tenant. Returns how many received it (0 for
    // a duplicate seq and for an event held until its predecessors arrived).
    int publish(const Audience &audience, const atende::api::v1::Event &event);
    // An event that is not stored (typing, presence; seq must be 0): delivered here and forwarded to the
    // other instances. Returns how many sessions of this instance received it.
    int publishEphemeral(const Audience &audience, const atende::api::v1::Event &event);

    void setPeers(EventPeers peers) { m_peers = std::move(peers); }
    // The highest seq of the tenant delivered (or skipped) here in order; 0 when none was seen yet.
    quint64 deliveredUpTo(const QUuid &tenantId) const;
    bool alreadyDelivered(const QUuid &tenantId, quint64 seq) const;
    // The relay found nothing more in the log up to `upTo`: held events after the gap go out now.
    void skipGap(const QUuid &tenantId, quint64 upTo);

    static constexpr int kGapWaitMs = 2000;
    static constexpr int kMaxHeldPerTenant = 4096;

    // A user's sector memberships, role or active flag changed: that user's sessions reload what they may
    // see (and a deactivated user's sessions stop receiving).
    void notifyPrincipalChanged(const QUuid &tenantId, const QUuid &userId)
    {
        Q_EMIT principalChanged(tenantId, userId);
        if (m_peers.principal)
            m_peers.principal(PrincipalChange::Changed, tenantId, userId);
    }

    // A user's access tokens must stop working now (deactivated, role changed, password reset by an
    // admin). Emitted before principalChanged, so sessions re-authenticating are already refused.
    void notifyCredentialsRevoked(const QUuid &tenantId, const QUuid &userId)
    {
        Q_EMIT credentialsRevoked(tenantId, userId);
        if (m_peers.principal)
            m_peers.principal(PrincipalChange::CredentialsRevoked, tenantId, userId);
    }

    // A change made on another instance: emits the signal here only (never forwarded again). A revocation
    // also re-checks the user's sessions: the two notifications may arrive in either order.
    void applyRemotePrincipalChange(PrincipalChange change, const QUuid &tenantId, const QUuid &userId)
    {
        if (change == PrincipalChange::CredentialsRevoked)
            Q_EMIT credentialsRevoked(tenantId, userId);
        Q_EMIT principalChanged(tenantId, userId);
    }

Q_SIGNALS:
    void principalChanged(QUuid tenantId, QUuid userId);
    void credentialsRevoked(QUuid tenantId, QUuid userId);

private:
    struct Held {
        Audience audience;
        atende::api::v1::Event event;
    };
    struct TenantOrder {
        quint64 delivered = 0; // every seq up to this one was delivered or skipped
        std::map<quint64, Held> held;
        qint64 heldSinceMs = 0;
    };

    int deliver(const Audience &audience, const atende::api::v1::Event &event);
    // Delivers held events that follow `delivered` without a gap.
    void drain(TenantOrder &order);
    void releaseStale();

    quint64 m_next = 1;
    QHash<quint64, Subscriber> m_subscribers;
    QHash<QUuid, TenantOrder> m_order;
    EventPeers m_peers;
    QTimer m_gapTimer;
};

} // namespace atende::server::api
