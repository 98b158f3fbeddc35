#include "server/desk/contacts_service.h"

#include "server/api/event_hub.h"
#include "server/api/permissions.h"
#include "server/desk/contact_repository.h"
#include "server/desk/contacts_service_impl.h"
#include "server/desk/desk_proto.h"
#include "server/desk/desk_validation.h"

#include <QJsonObject>

Q_LOGGING_CATEGORY(lcDesk, "atende.server.desk")

namespace atende::server::desk {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

Error deskShuttingDown()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

Error deskReported(const Error &error, const char *what)
{
    if (error.code != QLatin1String(errc::kInternal))
        return error;
    qCWarning(lcDesk) << "desk" << what << "failed:" << error.message;
    return Error::make(errc::kInternal, QStringLiteral("internal error"));
}

Error deskConflict(const QString &field, const QString &reason, const QString &message)
{
    return Error::make(errc::kConflict, message,
                       QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("reason"), reason}});
}

ContactsService::ContactsService(db::DbExecutor &db, api::EventHub *hub, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
{}

void ContactsService::publish(const Outbox &outbox)
{
    if (!m_hub)
        return;
    for (const atende::server::accounts::PendingEvent &e : outbox.events)
        m_hub->publish(e.audience, e.event);
}

QCoro::Task<Result<ContactPage>> ContactsService::contacts(QUuid tenantId, ContactFilter filter)
{
    auto rTask = query<ContactPage>(
        tenantId, [tenantId, filter](QSqlDatabase &db) { return ContactRepository::list(db, tenantId, filter); });
    Result<ContactPage> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ContactRecord>> ContactsService::contact(QUuid tenantId, QUuid contactId)
{
    auto rTask = query<ContactRecord>(
        tenantId, [tenantId, contactId](QSqlDatabase &db) { return ContactRepository::find(db, tenantId, contactId); });
    Result<ContactRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ContactRecord>> ContactsService::createContact(Actor actor, ContactPatch patch)
{
    if (Status s = checkContactPatch(patch, true); !s.ok())
        co_return s.error();
    auto rTask =
        commit<ContactRecord>(actor.tenantId, [actor, patch](QSqlDatabase &db) -> Result<Committed<ContactRecord>> {
            ContactRecord c;
            c.name = patch.name.value_or(QString());
            c.phone = patch.phone.value_or(QString());
            c.email = patch.email.value_or(QString());
            c.notes = patch.notes.value_or(QString());
            c.tags = patch.tags.value_or(QStringList());
            c.customFields = patch.customFields.value_or(QMap<QString, QString>());
            Result<QUuid> id = ContactRepository::insert(db, actor.tenantId, c);
            if (!id.ok())
                return id.error();
            Result<ContactRecord> after = ContactRepository::find(db, actor.tenantId, id.value());
            if (!after.ok())
                return after.error();
            if (Status s = audit(db, actor, QStringLiteral("contacts.create"), QStringLiteral("contact"), id.value(),
                                 std::nullopt, auditJson(after.value()));
                !s.ok())
                return s.error();
            Committed<ContactRecord> out{after.value(), {}};
            if (Status s = out.outbox.add(db, actor.tenantId, api::perm::kContactsRead, contactChangedEvent(out.value));
                !s.ok())
                return s.error();
            return out;
        });
    Result<ContactRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ContactRecord>> ContactsService::updateContact(Actor actor, QUuid contactId, ContactPatch patch)
{
    if (Status s = checkContactPatch(patch, false); !s.ok())
        co_return s.error();
    auto rTask = commit<ContactRecord>(
        actor.tenantId, [actor, contactId, patch](QSqlDatabase &db) -> Result<Committed<ContactRecord>> {
            Result<ContactRecord> before = ContactRepository::find(db, actor.tenantId, contactId, true);
            if (!before.ok())
                return before.error();
            if (!before->mergedInto.isNull())
                return deskConflict(QStringLiteral("id"), QStringLiteral("contact_merged"),
                                    QStringLiteral("the contact was merged into another one"));
            ContactRecord c = before.value();
            c.name = patch.name.value_or(c.name);
            c.phone = patch.phone.value_or(c.phone);
            c.email = patch.email.value_or(c.email);
            c.notes = patch.notes.value_or(c.notes);
            c.tags = patch.tags.value_or(c.tags);
            c.customFields = patch.customFields.value_or(c.customFields);
            if (Status s = ContactRepository::update(db, actor.tenantId, c); !s.ok())
                return s.error();
            Result<ContactRecord> after = ContactRepository::find(db, actor.tenantId, contactId);
            if (!after.ok())
                return after.error();
            if (Status s = audit(db, actor, QStringLiteral("contacts.update"), QStringLiteral("contact"), contactId,
                                 auditJson(before.value()), auditJson(after.value()));
                !s.ok())
                return s.error();
            Committed<ContactRecord> out{after.value(), {}};
            if (Status s = out.outbox.add(db, actor.tenantId, api::perm::kContactsRead, contactChangedEvent(out.value));
                !s.ok())
                return s.error();
            return out;
        });
    Result<ContactRecord> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
