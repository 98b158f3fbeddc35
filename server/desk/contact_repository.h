#pragma once
// SQL for a tenant's contacts. Runs inside runTenant() for that tenant (RLS hides other tenants, whose ids
// are simply not_found). Identities and find-or-create live in IdentityRepository.

#include "common/core/result.h"
#include "server/desk/desk_types.h"

#include <QSqlDatabase>

namespace atende::server::desk {

class ContactRepository {
public:
    // Live (not merged) contacts in (lower(name), id) order after filter.after, at most filter.limit.
    static atende::core::Result<ContactPage> list(QSqlDatabase &db, const QUuid &tenantId, const ContactFilter &filter);
    // With identities. A merged contact is found too (mergedInto set).
    static atende::core::Result<ContactRecord> find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                                                    bool forUpdate = false);
    // Inserts every field of `contact` except id, identities and mergedInto; returns the new id.
    static atende::core::Result<QUuid> insert(QSqlDatabase &db, const QUuid &tenantId, const ContactRecord &contact);
    static atende::core::Status update(QSqlDatabase &db, const QUuid &tenantId, const ContactRecord &contact);
    static atende::core::Status markMerged(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sourceId,
                                           const QUuid &targetId);
    // Follows merged_into from contactId to the surviving contact (contactId itself when not merged).
    static atende::core::Result<QUuid> resolve(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId);
};

// Merge: moves the source contact's tickets and messages to the target inside the merge transaction and
// returns how many tickets moved. Where both have an active ticket on one connection, the source's is closed
// first (ticket event "closed", reason contact_merged), keeping one active ticket per contact and connection
// (PRODUCT.md N3); its history stays with the target.
atende::core::Result<int> moveTicketsOnMerge(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sourceId,
                                             const QUuid &targetId);

// The cursor text of contacts.list (opaque to clients) and back; nullopt for anything malformed.
QString encodeCursor(const ContactCursor &cursor);
std::optional<ContactCursor> decodeCursor(const QString &text);

} // namespace atende::server::desk
