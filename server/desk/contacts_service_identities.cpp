// ContactsService: identities, merge and find-or-create.

#include "server/api/permissions.h"
#include "server/desk/connection_repository.h"
#include "server/desk/contact_repository.h"
#include "server/desk/contacts_service_impl.h"
#include "server/desk/desk_proto.h"
#include "server/desk/desk_validation.h"

namespace atende::server::desk {

using atende::core::Result;
using atende::core::Status;

namespace {

Status announce(QSqlDatabase &db, Outbox &outbox, const QUuid &tenantId, const ContactRecord &contact)
{
    return outbox.add(db, tenantId, api::perm::kContactsRead, contactChangedEvent(contact));
}

// The contact (locked), or conflict when it was merged away.
Result<ContactRecord> liveContact(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId, const QString &field,
                                  const QString &mergedReason)
{
    Result<ContactRecord> c = ContactRepository::find(db, tenantId, contactId, true);
    if (c.ok() && !c->mergedInto.isNull())
        return deskConflict(field, mergedReason, QStringLiteral("the contact was merged into another one"));
    return c;
}

} // namespace

QCoro::Task<Result<ContactRecord>> ContactsService::addIdentity(Actor actor, QUuid contactId, IdentityRecord identity)
{
    if (Status s = checkIdentity(identity.kind, identity.value); !s.ok())
        co_return s.error();
    identity.contactId = contactId;
    auto rTask = commit<ContactRecord>(
        actor.tenantId, [actor, contactId, identity](QSqlDatabase &db) -> Result<Committed<ContactRecord>> {
            Result<ContactRecord> before = liveContact(db, actor.tenantId, contactId, QStringLiteral("contactId"),
                                                       QStringLiteral("contact_merged"));
            if (!before.ok())
                return before.error();
            // Checked here so another tenant's connection is not_found rather than a foreign-key failure.
            if (!identity.connectionId.isNull())
                if (Result<ConnectionRecord> c = ConnectionRepository::find(db, actor.tenantId, identity.connectionId);
                    !c.ok())
                    return c.error();
            Result<QUuid> id = IdentityRepository::insert(db, actor.tenantId, identity);
            if (!id.ok())
                return id.error();
            Result<ContactRecord> after = ContactRepository::find(db, actor.tenantId, contactId);
            if (!after.ok())
                return after.error();
            if (Status s = audit(db, actor, QStringLiteral("contacts.add_identity"), QStringLiteral("contact"),
                                 contactId, auditJson(before.value()), auditJson(after.value()));
                !s.ok())
                return s.error();
            Committed<ContactRecord> out{after.value(), {}};
            if (Status s = announce(db, out.outbox, actor.tenantId, out.value); !s.ok())
                return s.error();
            return out;
        });
    Result<ContactRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ContactRecord>> ContactsService::removeIdentity(Actor actor, QUuid contactId, QUuid identityId)
{
    auto rTask = commit<ContactRecord>(
        actor.tenantId, [actor, contactId, identityId](QSqlDatabase &db) -> Result<Committed<ContactRecord>> {
            Result<ContactRecord> before = liveContact(db, actor.tenantId, contactId, QStringLiteral("contactId"),
                                                       QStringLiteral("contact_merged"));
            if (!before.ok())
                return before.error();
            if (Status s = IdentityRepository::remove(db, actor.tenantId, contactId, identityId); !s.ok())
                return s.error();
            Result<ContactRecord> after = ContactRepository::find(db, actor.tenantId, contactId);
            if (!after.ok())
                return after.error();
            if (Status s = audit(db, actor, QStringLiteral("contacts.remove_identity"), QStringLiteral("contact"),
                                 contactId, auditJson(before.value()), auditJson(after.value()));
                !s.ok())
                return s.error();
            Committed<ContactRecord> out{after.value(), {}};
            if (Status s = announce(db, out.outbox, actor.tenantId, out.value); !s.ok())
                return s.error();
            return out;
        });
    Result<ContactRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ContactRecord>> ContactsService::mergeContacts(Actor actor, QUuid sourceId, QUuid targetId)
{
    if (sourceId == targetId)
        co_return deskConflict(QStringLiteral("targetId"), QStringLiteral("merge_into_self"),
                               QStringLiteral("a contact cannot be merged into itself"));
    auto rTask = commit<ContactRecord>(
        actor.tenantId, [actor, sourceId, targetId](QSqlDatabase &db) -> Result<Committed<ContactRecord>> {
            // Lock in a fixed order so two opposite merges cannot deadlock.
            const bool sourceFirst = sourceId.toString() < targetId.toString();
            Result<ContactRecord> first =
                liveContact(db, actor.tenantId, sourceFirst ? sourceId : targetId,
                            sourceFirst ? QStringLiteral("sourceId") : QStringLiteral("targetId"),
                            sourceFirst ? QStringLiteral("source_merged") : QStringLiteral("target_merged"));
            if (!first.ok())
                return first.error();
            Result<ContactRecord> second =
                liveContact(db, actor.tenantId, sourceFirst ? targetId : sourceId,
                            sourceFirst ? QStringLiteral("targetId") : QStringLiteral("sourceId"),
                            sourceFirst ? QStringLiteral("target_merged") : QStringLiteral("source_merged"));
            if (!second.ok())
                return second.error();
            const ContactRecord sourceBefore = sourceFirst ? first.value() : second.value();
            const ContactRecord targetBefore = sourceFirst ? second.value() : first.value();

            if (Result<int> moved = IdentityRepository::moveAll(db, actor.tenantId, sourceId, targetId); !moved.ok())
                return moved.error();
            if (Result<int> moved = moveTicketsOnMerge(db, actor.tenantId, sourceId, targetId); !moved.ok())
                return moved.error();
            if (Status s = ContactRepository::markMerged(db, actor.tenantId, sourceId, targetId); !s.ok())
                return s.error();

            Result<ContactRecord> sourceAfter = ContactRepository::find(db, actor.tenantId, sourceId);
            if (!sourceAfter.ok())
                return sourceAfter.error();
            Result<ContactRecord> targetAfter = ContactRepository::find(db, actor.tenantId, targetId);
            if (!targetAfter.ok())
                return targetAfter.error();
            const QJsonObject before{{QStringLiteral("source"), auditJson(sourceBefore)},
                                     {QStringLiteral("target"), auditJson(targetBefore)}};
            const QJsonObject after{{QStringLiteral("source"), auditJson(sourceAfter.value())},
                                    {QStringLiteral("target"), auditJson(targetAfter.value())}};
            if (Status s = audit(db, actor, QStringLiteral("contacts.merge"), QStringLiteral("contact"), sourceId,
                                 before, after);
                !s.ok())
                return s.error();
            Committed<ContactRecord> out{targetAfter.value(), {}};
            if (Status s = announce(db, out.outbox, actor.tenantId, sourceAfter.value()); !s.ok())
                return s.error();
            if (Status s = announce(db, out.outbox, actor.tenantId, out.value); !s.ok())
                return s.error();
            return out;
        });
    Result<ContactRecord> r = co_await rTask;
    co_return r;
}

Result<FoundContact> findOrCreateContactIn(QSqlDatabase &db, const QUuid &tenantId, const QString &kind,
                                           const QString &value, const QUuid &connectionId, const QString &displayName,
                                           Outbox &outbox)
{
    Result<FoundContact> found =
        IdentityRepository::findOrCreateByIdentity(db, tenantId, kind, value, connectionId, displayName);
    if (!found.ok() || !found->created)
        return found;
    Result<ContactRecord> after = ContactRepository::find(db, tenantId, found->contactId);
    if (!after.ok())
        return after.error();
    const Actor system{tenantId, {}, {}};
    if (Status s = audit(db, system, QStringLiteral("contacts.create"), QStringLiteral("contact"), found->contactId,
                         std::nullopt, auditJson(after.value()));
        !s.ok())
        return s.error();
    if (Status s = announce(db, outbox, tenantId, after.value()); !s.ok())
        return s.error();
    return found;
}

QCoro::Task<Result<FoundContact>> ContactsService::findOrCreateByIdentity(QUuid tenantId, QString kind, QString value,
                                                                          QUuid connectionId, QString displayName)
{
    if (Status s = checkIdentity(kind, value); !s.ok())
        co_return s.error();
    auto rTask = commit<FoundContact>(
        tenantId,
        [tenantId, kind, value, connectionId, displayName](QSqlDatabase &db) -> Result<Committed<FoundContact>> {
            Committed<FoundContact> out{{}, {}};
            Result<FoundContact> found =
                findOrCreateContactIn(db, tenantId, kind, value, connectionId, displayName, out.outbox);
            if (!found.ok())
                return found.error();
            out.value = found.value();
            return out;
        });
    Result<FoundContact> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
