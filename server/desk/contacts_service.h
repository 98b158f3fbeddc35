#pragma once
// Contacts with their identities (issue 4 item 1, PRODUCT.md N4) and WhatsApp connections as records
// (issue 4 item 2).
//
// Every method works on the tenant of the caller (Actor::tenantId / the tenantId argument, which the
// operations take from CallContext, never from a request) through DbExecutor::runTenant, so Row-Level
// Security hides other tenants: their ids are simply not_found. Each change commits together with an
// audit row (before/after) and the event sequence numbers of its events (ContactChanged for holders of
// contacts.read, ConnectionChanged for connections.read); the events are published to the EventHub only
// after COMMIT.
//
// Lives on the main thread; coroutines resume there.

#include "common/core/result.h"
#include "server/accounts/account_types.h"
#include "server/desk/desk_types.h"
#include "server/desk/identity_repository.h"

#include <QObject>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}
namespace atende::server::accounts {
struct Outbox;
}

namespace atende::server::desk {

using Actor = atende::server::accounts::Actor;

class ContactsService : public QObject {
    Q_OBJECT
public:
    // hub may be null (no events are published then).
    ContactsService(db::DbExecutor &db, api::EventHub *hub, QObject *parent = nullptr);

    QCoro::Task<atende::core::Result<ContactPage>> contacts(QUuid tenantId, ContactFilter filter);
    // A merged contact is returned too, with mergedInto naming the surviving one.
    QCoro::Task<atende::core::Result<ContactRecord>> contact(QUuid tenantId, QUuid contactId);
    QCoro::Task<atende::core::Result<ContactRecord>> createContact(Actor actor, ContactPatch patch);
    // A merged contact cannot change (conflict, reason contact_merged).
    QCoro::Task<atende::core::Result<ContactRecord>> updateContact(Actor actor, QUuid contactId, ContactPatch patch);
    QCoro::Task<atende::core::Result<ContactRecord>> addIdentity(Actor actor, QUuid contactId, IdentityRecord identity);
    QCoro::Task<atende::core::Result<ContactRecord>> removeIdentity(Actor actor, QUuid contactId, QUuid identityId);
    // Moves the source's identities (and tickets, see moveTicketsOnMerge) to the target and marks the source
    // merged; returns the target. Conflict reasons: merge_into_self, source_merged, target_merged.
    QCoro::Task<atende::core::Result<ContactRecord>> mergeContacts(Actor actor, QUuid sourceId, QUuid targetId);
    // Ingest's entry point as a service call: a created contact is audited (actor null) and announced.
    QCoro::Task<atende::core::Result<FoundContact>> findOrCreateByIdentity(QUuid tenantId, QString kind, QString value,
                                                                           QUuid connectionId, QString displayName);

    QCoro::Task<atende::core::Result<QList<ConnectionRecord>>> connections(QUuid tenantId);
    QCoro::Task<atende::core::Result<ConnectionRecord>> connection(QUuid tenantId, QUuid connectionId);
    QCoro::Task<atende::core::Result<ConnectionRecord>> createConnection(Actor actor, ConnectionPatch patch);
    QCoro::Task<atende::core::Result<ConnectionRecord>> updateConnection(Actor actor, QUuid connectionId,
                                                                         ConnectionPatch patch);
    QCoro::Task<atende::core::Status> deleteConnection(Actor actor, QUuid connectionId);

private:
    // Runs f(QSqlDatabase &) -> Result<Committed<T>> in a tenant transaction, then publishes its outbox.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> commit(QUuid tenantId, F f);
    // Runs f(QSqlDatabase &) -> Result<T> in a tenant transaction.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> query(QUuid tenantId, F f);
    void publish(const atende::server::accounts::Outbox &outbox);

    db::DbExecutor &m_db;
    api::EventHub *m_hub;
};

// Ingest's find-or-create inside the caller's tenant transaction (the Inbox's one transaction): the contact
// owning identity (kind, value), created with displayName when there is none; a created contact is audited
// (actor null) and its ContactChanged queued in `outbox`. kind and value must already be valid
// (checkIdentity()). Race-safe, see IdentityRepository::findOrCreateByIdentity().
atende::core::Result<FoundContact> findOrCreateContactIn(QSqlDatabase &db, const QUuid &tenantId, const QString &kind,
                                                         const QString &value, const QUuid &connectionId,
                                                         const QString &displayName,
                                                         atende::server::accounts::Outbox &outbox);

} // namespace atende::server::desk
