#include "server/desk/desk_proto.h"

#include <QJsonArray>

namespace atende::server::desk {

namespace v1 = atende::api::v1;

namespace {

std::string idText(const QUuid &id)
{
    return id.isNull() ? std::string() : id.toString(QUuid::WithoutBraces).toStdString();
}

QString idString(const QUuid &id)
{
    return id.isNull() ? QString() : id.toString(QUuid::WithoutBraces);
}

std::string timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

std::optional<QString> optionalText(bool present, const std::string &value)
{
    return present ? std::optional<QString>(QString::fromStdString(value)) : std::nullopt;
}

QStringList toStringList(const google::protobuf::RepeatedPtrField<std::string> &values)
{
    QStringList out;
    for (const std::string &v : values)
        out.append(QString::fromStdString(v));
    return out;
}

QMap<QString, QString> toMap(const google::protobuf::Map<std::string, std::string> &values)
{
    QMap<QString, QString> out;
    for (const auto &[k, v] : values)
        out.insert(QString::fromStdString(k), QString::fromStdString(v));
    return out;
}

} // namespace

v1::ContactIdentity toProto(const IdentityRecord &identity)
{
    v1::ContactIdentity i;
    i.set_id(idText(identity.id));
    i.set_kind(identity.kind.toStdString());
    i.set_value(identity.value.toStdString());
    i.set_connection_id(idText(identity.connectionId));
    return i;
}

v1::Contact toProto(const ContactRecord &contact)
{
    v1::Contact c;
    c.set_id(idText(contact.id));
    c.set_name(contact.name.toStdString());
    c.set_phone(contact.phone.toStdString());
    c.set_email(contact.email.toStdString());
    c.set_notes(contact.notes.toStdString());
    for (const QString &t : contact.tags)
        c.add_tags(t.toStdString());
    for (auto it = contact.customFields.begin(); it != contact.customFields.end(); ++it)
        (*c.mutable_custom_fields())[it.key().toStdString()] = it.value().toStdString();
    c.set_merged_into(idText(contact.mergedInto));
    for (const IdentityRecord &i : contact.identities)
        *c.add_identities() = toProto(i);
    c.set_created_at(timeText(contact.createdAt));
    c.set_updated_at(timeText(contact.updatedAt));
    return c;
}

v1::Connection toProto(const ConnectionRecord &connection)
{
    v1::Connection c;
    c.set_id(idText(connection.id));
    c.set_name(connection.name.toStdString());
    c.set_kind(connection.kind.toStdString());
    c.set_status(connection.status.toStdString());
    c.set_ignore_groups(connection.ignoreGroups);
    c.set_send_read_receipts(connection.sendReadReceipts);
    c.set_created_at(timeText(connection.createdAt));
    c.set_updated_at(timeText(connection.updatedAt));
    return c;
}

ContactPatch fromProto(const v1::CreateContactRequest &request)
{
    ContactPatch p;
    p.name = QString::fromStdString(request.name());
    p.phone = QString::fromStdString(request.phone());
    p.email = QString::fromStdString(request.email());
    p.notes = QString::fromStdString(request.notes());
    p.tags = toStringList(request.tags());
    p.customFields = toMap(request.custom_fields());
    return p;
}

ContactPatch fromProto(const v1::UpdateContactRequest &request)
{
    ContactPatch p;
    p.name = optionalText(request.has_name(), request.name());
    p.phone = optionalText(request.has_phone(), request.phone());
    p.email = optionalText(request.has_email(), request.email());
    p.notes = optionalText(request.has_notes(), request.notes());
    if (request.set_tags())
        p.tags = toStringList(request.tags());
    if (request.set_custom_fields())
        p.customFields = toMap(request.custom_fields());
    return p;
}

ConnectionPatch fromProto(const v1::CreateConnectionRequest &request)
{
    ConnectionPatch p;
    p.name = QString::fromStdString(request.name());
    p.kind = QString::fromStdString(request.kind());
    p.ignoreGroups = request.has_ignore_groups() ? request.ignore_groups() : true;
    p.sendReadReceipts = request.has_send_read_receipts() ? request.send_read_receipts() : true;
    return p;
}

ConnectionPatch fromProto(const v1::UpdateConnectionRequest &request)
{
    ConnectionPatch p;
    p.name = optionalText(request.has_name(), request.name());
    if (request.has_ignore_groups())
        p.ignoreGroups = request.ignore_groups();
    if (request.has_send_read_receipts())
        p.sendReadReceipts = request.send_read_receipts();
    return p;
}

QJsonObject auditJson(const IdentityRecord &identity)
{
    return QJsonObject{{QStringLiteral("id"), idString(identity.id)},
                       {QStringLiteral("kind"), identity.kind},
                       {QStringLiteral("value"), identity.value},
                       {QStringLiteral("connectionId"), idString(identity.connectionId)}};
}

QJsonObject auditJson(const ContactRecord &contact)
{
    QJsonObject fields;
    for (auto it = contact.customFields.begin(); it != contact.customFields.end(); ++it)
        fields.insert(it.key(), it.value());
    QJsonArray identities;
    for (const IdentityRecord &i : contact.identities)
        identities.append(auditJson(i));
    return QJsonObject{{QStringLiteral("id"), idString(contact.id)},
                       {QStringLiteral("name"), contact.name},
                       {QStringLiteral("phone"), contact.phone},
                       {QStringLiteral("email"), contact.email},
                       {QStringLiteral("notes"), contact.notes},
                       {QStringLiteral("tags"), QJsonArray::fromStringList(contact.tags)},
                       {QStringLiteral("customFields"), fields},
                       {QStringLiteral("mergedInto"), idString(contact.mergedInto)},
                       {QStringLiteral("identities"), identities}};
}

QJsonObject auditJson(const ConnectionRecord &connection)
{
    return QJsonObject{{QStringLiteral("name"), connection.name},
                       {QStringLiteral("kind"), connection.kind},
                       {QStringLiteral("status"), connection.status},
                       {QStringLiteral("ignoreGroups"), connection.ignoreGroups},
                       {QStringLiteral("sendReadReceipts"), connection.sendReadReceipts},
                       {QStringLiteral("deleted"), connection.deleted}};
}

v1::Event contactChangedEvent(const ContactRecord &contact)
{
    v1::Event e;
    *e.mutable_contact_changed()->mutable_contact() = toProto(contact);
    return e;
}

v1::Event connectionChangedEvent(const ConnectionRecord &connection, bool deleted)
{
    v1::Event e;
    *e.mutable_connection_changed()->mutable_connection() = toProto(connection);
    e.mutable_connection_changed()->set_deleted(deleted);
    return e;
}

} // namespace atende::server::desk
