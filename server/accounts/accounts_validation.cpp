#include "server/accounts/accounts_validation.h"

#include "server/security/password_generator.h"

#include "server/security/password_hasher.h"
#include "server/tenancy/user_repository.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>

namespace atende::server::accounts {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

Error invalidField(const QString &field, const QString &reason, const QString &message)
{
    return Error::make(atende::core::errc::kInvalidArgument, message,
                       QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("reason"), reason}});
}

Result<QUuid> parseId(const std::string &text, const QString &field)
{
    const QString s = QString::fromStdString(text).trimmed();
    // QUuid::fromString accepts "{...}" and bare forms; anything else is the null uuid.
    const QUuid id = s.size() <= 38 ? QUuid::fromString(s) : QUuid();
    if (id.isNull())
        return invalidField(field, QStringLiteral("invalid_uuid"), QStringLiteral("%1 is not a valid id").arg(field));
    return id;
}

Result<QList<QUuid>> parseIds(const QStringList &texts, const QString &field)
{
    QList<QUuid> ids;
    for (const QString &t : texts) {
        Result<QUuid> id = parseId(t.toStdString(), field);
        if (!id.ok())
            return id.error();
        if (!ids.contains(id.value()))
            ids.append(id.value());
    }
    return ids;
}

Status checkName(QString &name, const QString &field)
{
    name = name.trimmed();
    if (name.isEmpty())
        return invalidField(field, QStringLiteral("required"), QStringLiteral("%1 must not be empty").arg(field));
    if (name.size() > kMaxNameLength)
        return invalidField(field, QStringLiteral("too_long"),
                            QStringLiteral("%1 may have at most %2 characters").arg(field).arg(kMaxNameLength));
    return {};
}

Status checkEmail(QString &email)
{
    email = email.trimmed().toLower();
    const qsizetype at = email.indexOf(QLatin1Char('@'));
    if (email.size() > kMaxEmailLength || at < 1 || at != email.lastIndexOf(QLatin1Char('@')) ||
        at == email.size() - 1 || email.contains(QLatin1Char(' ')))
        return invalidField(QStringLiteral("email"), QStringLiteral("invalid_email"),
                            QStringLiteral("the email address is not valid"));
    return {};
}

Status checkRole(const QString &role)
{
    if (!tenancy::UserRepository::roles().contains(role))
        return invalidField(QStringLiteral("role"), QStringLiteral("invalid_role"),
                            QStringLiteral("the role must be admin, supervisor or agent"));
    return {};
}

Status checkPassword(const QString &password, const QString &field)
{
    if (password.size() < kMinPasswordLength)
        return invalidField(field, QStringLiteral("too_short"),
                            QStringLiteral("the password must have at least %1 characters").arg(kMinPasswordLength));
    if (password.toUtf8().size() > security::PasswordHasher::kMaxPasswordBytes)
        return invalidField(field, QStringLiteral("too_long"), QStringLiteral("the password is too long"));
    return {};
}

Status checkTenantPatch(TenantPatch &patch)
{
    if (patch.name)
        if (Status s = checkName(*patch.name, QStringLiteral("name")); !s.ok())
            return s;
    if (patch.timeZone) {
        *patch.timeZone = patch.timeZone->trimmed();
        if (patch.timeZone->isEmpty() || patch.timeZone->size() > 64 ||
            !QTimeZone::isTimeZoneIdAvailable(patch.timeZone->toUtf8()))
            return invalidField(QStringLiteral("timeZone"), QStringLiteral("invalid_time_zone"),
                                QStringLiteral("the time zone must be an IANA name such as America/Sao_Paulo"));
    }
    if (patch.language && *patch.language != QLatin1String("pt_BR") && *patch.language != QLatin1String("en"))
        return invalidField(QStringLiteral("language"), QStringLiteral("invalid_language"),
                            QStringLiteral("the language must be pt_BR or en"));
    return {};
}

Status checkUserPatch(UserPatch &patch)
{
    if (patch.name)
        if (Status s = checkName(*patch.name, QStringLiteral("name")); !s.ok())
            return s;
    if (patch.email)
        if (Status s = checkEmail(*patch.email); !s.ok())
            return s;
    if (patch.role)
        if (Status s = checkRole(*patch.role); !s.ok())
            return s;
    return {};
}

Status checkAvailability(Availability &a)
{
    a.pauseReason = a.pauseReason.trimmed();
    if (a.state == QLatin1String("online") || a.state == QLatin1String("offline")) {
        a.pauseReason.clear();
        return {};
    }
    if (a.state != QLatin1String("paused"))
        return invalidField(QStringLiteral("availability"), QStringLiteral("invalid_availability"),
                            QStringLiteral("availability must be online, paused or offline"));
    if (a.pauseReason.isEmpty())
        return invalidField(QStringLiteral("pauseReason"), QStringLiteral("required"),
                            QStringLiteral("a pause needs a reason"));
    if (a.pauseReason.size() > kMaxPauseReasonLength)
        return invalidField(
            QStringLiteral("pauseReason"), QStringLiteral("too_long"),
            QStringLiteral("the pause reason may have at most %1 characters").arg(kMaxPauseReasonLength));
    return {};
}

Status checkSectorPatch(SectorPatch &patch)
{
    if (patch.name)
        if (Status s = checkName(*patch.name, QStringLiteral("name")); !s.ok())
            return s;
    if (patch.color) {
        static const QRegularExpression kColor(QStringLiteral("^#[0-9A-Fa-f]{6}$"));
        *patch.color = patch.color->trimmed();
        if (!patch.color->isEmpty() && !kColor.match(*patch.color).hasMatch())
            return invalidField(QStringLiteral("color"), QStringLiteral("invalid_color"),
                                QStringLiteral("the colour must look like #RRGGBB"));
    }
    if (patch.greeting && patch.greeting->size() > kMaxGreetingLength)
        return invalidField(QStringLiteral("greeting"), QStringLiteral("too_long"),
                            QStringLiteral("the greeting may have at most %1 characters").arg(kMaxGreetingLength));
    if (patch.reopenWindowMinutes &&
        (*patch.reopenWindowMinutes < 0 || *patch.reopenWindowMinutes > kMaxReopenWindowMinutes))
        return invalidField(
            QStringLiteral("reopenWindowMinutes"), QStringLiteral("out_of_range"),
            QStringLiteral("the reopen window must be between 0 and %1 minutes").arg(kMaxReopenWindowMinutes));
    return {};
}

Result<QString> generatePassword()
{
    return security::generatePassword(kGeneratedPasswordLength);
}

} // namespace atende::server::accounts
