// contacts.* operations and addDeskContactOperations().

#include "server/accounts/accounts_validation.h"
#include "server/desk/contact_repository.h"
#include "server/desk/contacts_operations.h"
#include "server/desk/desk_proto.h"
#include "server/desk/desk_validation.h"
#include "server/desk/operations_impl.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcDesk)

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Error;
using atende::core::Result;
using atende::server::accounts::parseId;
namespace errc = atende::core::errc;
using ContactTask = QCoro::Task<Result<v1::Contact>>;

Error deskServiceGone()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

Result<Actor> deskActorOf(const api::CallContext &ctx)
{
    Actor a;
    a.tenantId = QUuid::fromString(ctx.tenantId);
    a.userId = QUuid::fromString(ctx.userId);
    a.ip = ctx.peer.isNull() ? QString() : ctx.peer.toString();
    if (a.tenantId.isNull() || a.userId.isNull())
        return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
    return a;
}

void addDeskOperation(api::OperationTable &table, api::Operation op)
{
    const QString name = op.name;
    if (!table.add(std::move(op)))
        qCCritical(lcDesk) << "operation" << name << "was refused by the operation table";
}

namespace {

// The reply of every contact-returning operation.
Result<v1::Contact> contactReply(const Result<ContactRecord> &r)
{
    if (!r.ok())
        return r.error();
    return toProto(r.value());
}

void addReadOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addDeskOperation<v1::ListContactsRequest, v1::ListContactsResponse>(
        table, svc, QStringLiteral("contacts.list"), "GET", QStringLiteral("/api/v1/contacts"),
        api::perm::kContactsRead,
        QStringLiteral("Contacts by name; filters: search (name, phone, email), tag; keyset pages via after."),
        [](ContactsService &s, Actor actor,
           v1::ListContactsRequest req) -> QCoro::Task<Result<v1::ListContactsResponse>> {
            Result<ContactFilter> filter =
                checkContactFilter(QString::fromStdString(req.search()), QString::fromStdString(req.tag()),
                                   QString::fromStdString(req.after()), req.limit());
            if (!filter.ok())
                co_return filter.error();
            auto rTask = s.contacts(actor.tenantId, filter.value());
            Result<ContactPage> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::ListContactsResponse out;
            for (const ContactRecord &c : r->contacts)
                *out.add_contacts() = toProto(c);
            if (r->next)
                out.set_next_cursor(encodeCursor(*r->next).toStdString());
            co_return out;
        });

    addDeskOperation<v1::GetContactRequest, v1::Contact>(
        table, svc, QStringLiteral("contacts.get"), "GET", QStringLiteral("/api/v1/contacts/{id}"),
        api::perm::kContactsRead, QStringLiteral("One contact with its identities (merged ones name merged_into)."),
        [](ContactsService &s, Actor actor, v1::GetContactRequest req) -> ContactTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.contact(actor.tenantId, id.value());
            Result<ContactRecord> r = co_await rTask;
            co_return contactReply(r);
        });
}

void addWriteOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addDeskOperation<v1::CreateContactRequest, v1::Contact>(
        table, svc, QStringLiteral("contacts.create"), "POST", QStringLiteral("/api/v1/contacts"),
        api::perm::kContactsManage, QStringLiteral("Creates a contact (name required; phone as E.164)."),
        [](ContactsService &s, Actor actor, v1::CreateContactRequest req) -> ContactTask {
            auto rTask = s.createContact(actor, fromProto(req));
            Result<ContactRecord> r = co_await rTask;
            co_return contactReply(r);
        });

    addDeskOperation<v1::UpdateContactRequest, v1::Contact>(
        table, svc, QStringLiteral("contacts.update"), "PATCH", QStringLiteral("/api/v1/contacts/{id}"),
        api::perm::kContactsManage,
        QStringLiteral("Changes name, phone, email, notes, tags or custom fields of a contact."),
        [](ContactsService &s, Actor actor, v1::UpdateContactRequest req) -> ContactTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.updateContact(actor, id.value(), fromProto(req));
            Result<ContactRecord> r = co_await rTask;
            co_return contactReply(r);
        });

    addDeskOperation<v1::AddContactIdentityRequest, v1::Contact>(
        table, svc, QStringLiteral("contacts.add_identity"), "POST",
        QStringLiteral("/api/v1/contacts/{contact_id}/identities"), api::perm::kContactsManage,
        QStringLiteral("Adds an identity (wa_phone, wa_lid, email, other); unique per tenant."),
        [](ContactsService &s, Actor actor, v1::AddContactIdentityRequest req) -> ContactTask {
            Result<QUuid> id = parseId(req.contact_id(), QStringLiteral("contactId"));
            if (!id.ok())
                co_return id.error();
            IdentityRecord identity;
            identity.kind = QString::fromStdString(req.kind());
            identity.value = QString::fromStdString(req.value());
            if (!req.connection_id().empty()) {
                Result<QUuid> conn = parseId(req.connection_id(), QStringLiteral("connectionId"));
                if (!conn.ok())
                    co_return conn.error();
                identity.connectionId = conn.value();
            }
            auto rTask = s.addIdentity(actor, id.value(), identity);
            Result<ContactRecord> r = co_await rTask;
            co_return contactReply(r);
        });

    addDeskOperation<v1::RemoveContactIdentityRequest, v1::Contact>(
        table, svc, QStringLiteral("contacts.remove_identity"), "DELETE",
        QStringLiteral("/api/v1/contacts/{contact_id}/identities/{identity_id}"), api::perm::kContactsManage,
        QStringLiteral("Removes one identity of a contact."),
        [](ContactsService &s, Actor actor, v1::RemoveContactIdentityRequest req) -> ContactTask {
            Result<QUuid> id = parseId(req.contact_id(), QStringLiteral("contactId"));
            if (!id.ok())
                co_return id.error();
            Result<QUuid> identity = parseId(req.identity_id(), QStringLiteral("identityId"));
            if (!identity.ok())
                co_return identity.error();
            auto rTask = s.removeIdentity(actor, id.value(), identity.value());
            Result<ContactRecord> r = co_await rTask;
            co_return contactReply(r);
        });

    addDeskOperation<v1::MergeContactsRequest, v1::Contact>(
        table, svc, QStringLiteral("contacts.merge"), "POST", QStringLiteral("/api/v1/contacts/{source_id}/merge"),
        api::perm::kContactsManage,
        QStringLiteral("Merges the source contact into the target (identities and tickets move); returns the target."),
        [](ContactsService &s, Actor actor, v1::MergeContactsRequest req) -> ContactTask {
            Result<QUuid> source = parseId(req.source_id(), QStringLiteral("sourceId"));
            if (!source.ok())
                co_return source.error();
            Result<QUuid> target = parseId(req.target_id(), QStringLiteral("targetId"));
            if (!target.ok())
                co_return target.error();
            auto rTask = s.mergeContacts(actor, source.value(), target.value());
            Result<ContactRecord> r = co_await rTask;
            co_return contactReply(r);
        });
}

} // namespace

void addContactOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addReadOperations(table, svc);
    addWriteOperations(table, svc);
}

void addDeskContactOperations(api::OperationTable &table, ContactsService &service)
{
    const ServicePtr svc(&service);
    addContactOperations(table, svc);
    addConnectionOperations(table, svc);
}

} // namespace atende::server::desk
