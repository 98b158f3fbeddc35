#pragma once
// Input rules of the accounts operations. Every failure is invalid_argument with details {field, reason};
// reasons are stable: required, too_long, too_short, invalid_uuid, invalid_email, invalid_role,
// invalid_time_zone, invalid_language, invalid_color, invalid_availability, out_of_range.
// The normalising checks trim text and lower-case emails in place.

#include "common/core/result.h"
#include "server/accounts/account_types.h"

#include <QString>
#include <QUuid>

#include <string>

namespace atende::server::accounts {

inline constexpr qsizetype kMaxNameLength = 120;
inline constexpr qsizetype kMaxEmailLength = 320;
inline constexpr qsizetype kMinPasswordLength = 10;
inline constexpr qsizetype kMaxPauseReasonLength = 200;
inline constexpr qsizetype kMaxGreetingLength = 4000;
inline constexpr qsizetype kGeneratedPasswordLength = 20;
inline constexpr int kDefaultReopenWindowMinutes = 120;
inline constexpr int kMaxReopenWindowMinutes = 43200; // 30 days

atende::core::Error invalidField(const QString &field, const QString &reason, const QString &message);

// A UUID in canonical text form (braces allowed); anything else -> invalid_uuid.
atende::core::Result<QUuid> parseId(const std::string &text, const QString &field);
atende::core::Result<QList<QUuid>> parseIds(const QStringList &texts, const QString &field);

atende::core::Status checkName(QString &name, const QString &field);
atende::core::Status checkEmail(QString &email);
atende::core::Status checkRole(const QString &role);
atende::core::Status checkPassword(const QString &password, const QString &field);
atende::core::Status checkTenantPatch(TenantPatch &patch);
atende::core::Status checkUserPatch(UserPatch &patch);
atende::core::Status checkAvailability(Availability &availability);
atende::core::Status checkSectorPatch(SectorPatch &patch);

// A random password of kGeneratedPasswordLength characters from an unambiguous alphabet.
atende::core::Result<QString> generatePassword();

} // namespace atende::server::accounts
