#include "server/desk/desk_validation.h"

#include "server/accounts/accounts_validation.h"
#include "server/desk/contact_repository.h"

namespace atende::server::desk {

using atende::core::Result;
using atende::core::Status;
using atende::server::accounts::invalidField;

namespace {

Status checkText(QString &text, const QString &field, qsizetype maxLength, bool required)
{
    text = text.trimmed();
    if (required && text.isEmpty())
        return invalidField(field, QStringLiteral("required"), QStringLiteral("%1 must not be empty").arg(field));
    if (text.size() > maxLength)
        return invalidField(field, QStringLiteral("too_long"),
                            QStringLiteral("%1 may have at most %2 characters").arg(field).arg(maxLength));
    return {};
}

Status checkTags(QStringList &tags)
{
    QStringList out;
    for (QString tag : tags) {
        tag = tag.trimmed();
        if (tag.isEmpty() || tag.size() > kMaxTagLength)
            return invalidField(QStringLiteral("tags"), QStringLiteral("invalid_tag"),
                                QStringLiteral("tags must have 1 to %1 characters").arg(kMaxTagLength));
        if (!out.contains(tag))
            out.append(tag);
    }
    if (out.size() > kMaxTags)
        return invalidField(QStringLiteral("tags"), QStringLiteral("too_many"),
                            QStringLiteral("a contact may have at most %1 tags").arg(kMaxTags));
    tags = out;
    return {};
}

Status checkCustomFields(const QMap<QString, QString> &fields)
{
    if (fields.size() > kMaxCustomFields)
        return invalidField(QStringLiteral("customFields"), QStringLiteral("too_many"),
                            QStringLiteral("a contact may have at most %1 custom fields").arg(kMaxCustomFields));
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.key().trimmed().isEmpty() || it.key().size() > kMaxCustomFieldKeyLength ||
            it.value().size() > kMaxCustomFieldValueLength)
            return invalidField(QStringLiteral("customFields"), QStringLiteral("invalid_custom_field"),
                                QStringLiteral("custom field names have 1 to %1 characters, values at most %2")
                                    .arg(kMaxCustomFieldKeyLength)
                                    .arg(kMaxCustomFieldValueLength));
    }
    return {};
}

} // namespace

Status checkPhone(QString &phone, const QString &field)
{
    QString digits;
    for (const QChar c : phone.trimmed()) {
        if (c.isDigit() && c.unicode() < 128)
            digits.append(c);
        else if (!QStringLiteral("+ -().").contains(c))
            return invalidField(field, QStringLiteral("invalid_phone"),
                                QStringLiteral("the phone number is not valid"));
    }
    if (digits.size() < 7 || digits.size() > 15 || digits.startsWith(QLatin1Char('0')))
        return invalidField(field, QStringLiteral("invalid_phone"),
                            QStringLiteral("the phone number must have 7 to 15 digits with the country code"));
    phone = digits;
    return {};
}

Status checkContactPatch(ContactPatch &patch, bool creating)
{
    if (creating && !patch.name)
        patch.name = QString();
    if (patch.name)
        if (Status s = checkText(*patch.name, QStringLiteral("name"), kMaxContactNameLength, true); !s.ok())
            return s;
    if (patch.phone && !patch.phone->trimmed().isEmpty())
        if (Status s = checkPhone(*patch.phone, QStringLiteral("phone")); !s.ok())
            return s;
    if (patch.phone && patch.phone->trimmed().isEmpty())
        patch.phone = QString();
    if (patch.email && !patch.email->trimmed().isEmpty())
        if (Status s = atende::server::accounts::checkEmail(*patch.email); !s.ok())
            return s;
    if (patch.email && patch.email->trimmed().isEmpty())
        patch.email = QString();
    if (patch.notes)
        if (Status s = checkText(*patch.notes, QStringLiteral("notes"), kMaxNotesLength, false); !s.ok())
            return s;
    if (patch.tags)
        if (Status s = checkTags(*patch.tags); !s.ok())
            return s;
    if (patch.customFields)
        if (Status s = checkCustomFields(*patch.customFields); !s.ok())
            return s;
    return {};
}

Status checkIdentity(const QString &kind, QString &value)
{
    static const QStringList kinds{QStringLiteral("wa_phone"), QStringLiteral("wa_lid"), QStringLiteral("email"),
                                   QStringLiteral("other")};
    if (!kinds.contains(kind))
        return invalidField(QStringLiteral("kind"), QStringLiteral("invalid_kind"),
                            QStringLiteral("kind must be wa_phone, wa_lid, email or other"));
    if (kind == QLatin1String("wa_phone"))
        return checkPhone(value, QStringLiteral("value"));
    if (kind == QLatin1String("email")) {
        if (Status s = atende::server::accounts::checkEmail(value); !s.ok())
            return invalidField(QStringLiteral("value"), QStringLiteral("invalid_email"), s.error().message);
        return {};
    }
    return checkText(value, QStringLiteral("value"), kMaxIdentityValueLength, true);
}

Result<ContactFilter> checkContactFilter(QString search, QString tag, const QString &after, quint32 limit)
{
    ContactFilter f;
    f.search = search.trimmed();
    f.tag = tag.trimmed();
    if (limit > quint32(kMaxPageSize))
        return invalidField(QStringLiteral("limit"), QStringLiteral("out_of_range"),
                            QStringLiteral("limit may be at most %1").arg(kMaxPageSize));
    f.limit = limit == 0 ? kDefaultPageSize : int(limit);
    if (!after.isEmpty()) {
        f.after = decodeCursor(after);
        if (!f.after)
            return invalidField(QStringLiteral("after"), QStringLiteral("invalid_cursor"),
                                QStringLiteral("after is not a cursor returned by contacts.list"));
    }
    return f;
}

Status checkConnectionPatch(ConnectionPatch &patch, bool creating)
{
    if (creating && !patch.name)
        patch.name = QString();
    if (patch.name)
        if (Status s = checkText(*patch.name, QStringLiteral("name"), kMaxContactNameLength, true); !s.ok())
            return s;
    if (creating) {
        const QString kind = patch.kind.value_or(QString());
        if (kind != QLatin1String("whatsapp") && kind != QLatin1String("test"))
            return invalidField(QStringLiteral("kind"), QStringLiteral("invalid_kind"),
                                QStringLiteral("kind must be whatsapp or test"));
    }
    return {};
}

} // namespace atende::server::desk
