#pragma once
// Input rules of the contacts and connections operations. Every failure is invalid_argument with details
// {field, reason}; reasons are stable: required, too_long, too_many, invalid_uuid, invalid_email,
// invalid_phone, invalid_tag, invalid_custom_field, invalid_kind, invalid_cursor, out_of_range.
// The normalising checks trim text, lower-case emails and reduce phones to E.164 digits in place.
// (The shared helpers invalidField, parseId and checkEmail come from server/accounts/accounts_validation.h.)

#include "common/core/result.h"
#include "server/desk/desk_types.h"

namespace atende::server::desk {

inline constexpr qsizetype kMaxContactNameLength = 120;
inline constexpr qsizetype kMaxNotesLength = 4000;
inline constexpr qsizetype kMaxTags = 50;
inline constexpr qsizetype kMaxTagLength = 50;
inline constexpr qsizetype kMaxCustomFields = 50;
inline constexpr qsizetype kMaxCustomFieldKeyLength = 64;
inline constexpr qsizetype kMaxCustomFieldValueLength = 1000;
inline constexpr qsizetype kMaxIdentityValueLength = 320;
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;

// "+55 (11) 98765-4321" -> "5511987654321"; 7 to 15 digits, no leading zero, else invalid_phone.
atende::core::Status checkPhone(QString &phone, const QString &field);
// create: name required; update: only the present fields are checked.
atende::core::Status checkContactPatch(ContactPatch &patch, bool creating);
// kind in wa_phone | wa_lid | email | other; wa_phone values become E.164 digits, emails lower case.
atende::core::Status checkIdentity(const QString &kind, QString &value);
// limit 0 -> kDefaultPageSize; above kMaxPageSize -> out_of_range; a bad cursor -> invalid_cursor.
atende::core::Result<ContactFilter> checkContactFilter(QString search, QString tag, const QString &after,
                                                       quint32 limit);
atende::core::Status checkConnectionPatch(ConnectionPatch &patch, bool creating);

} // namespace atende::server::desk
