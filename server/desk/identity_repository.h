#pragma once
// SQL for contact identities (PRODUCT.md N4: one person, several WhatsApp names -> one contact). Runs
// inside runTenant() for that tenant. (kind, value) is unique per tenant: claiming an identity another
// contact holds is a conflict with reason identity_taken.

#include "common/core/result.h"
#include "server/desk/desk_types.h"

#include <QSqlDatabase>

namespace atende::server::desk {

struct FoundContact {
    QUuid contactId; // the surviving contact (merged_into followed)
    bool created = false;
};

class IdentityRepository {
public:
    // Ordered by kind, value.
    static atende::core::Result<QList<IdentityRecord>> ofContact(QSqlDatabase &db, const QUuid &tenantId,
                                                                 const QUuid &contactId);
    // Returns the new identity's id.
    static atende::core::Result<QUuid> insert(QSqlDatabase &db, const QUuid &tenantId, const IdentityRecord &identity);
    // not_found unless the identity belongs to contactId.
    static atende::core::Status remove(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                                       const QUuid &identityId);
    // Re-points every identity of fromContact to toContact; returns how many moved.
    static atende::core::Result<int> moveAll(QSqlDatabase &db, const QUuid &tenantId, const QUuid &fromContact,
                                             const QUuid &toContact);

    // The live contact owning (kind, value) (merged_into followed), or a null id when nobody owns it.
    static atende::core::Result<QUuid> contactOf(QSqlDatabase &db, const QUuid &tenantId, const QString &kind,
                                                 const QString &value);

    // Ingest's entry point: the contact owning (kind, value), creating a contact named displayName (with
    // the phone set for wa_phone) and the identity when there is none. Race-safe without locks: the
    // identity is inserted with ON CONFLICT DO NOTHING on its unique key, which waits for a concurrent
    // inserter; when that one wins, our fresh contact is deleted and the winner's identity is re-read.
    // `kind` and `value` must already be valid (see checkIdentity()).
    static atende::core::Result<FoundContact> findOrCreateByIdentity(QSqlDatabase &db, const QUuid &tenantId,
                                                                     const QString &kind, const QString &value,
                                                                     const QUuid &connectionId,
                                                                     const QString &displayName);
};

} // namespace atende::server::desk
