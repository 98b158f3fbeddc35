#pragma once
// Small conversions between protobuf's std::string (UTF-8) / RFC 3339 text and Qt types.

#include <QDateTime>
#include <QString>
#include <string>

namespace atende::api::v1 {
class Contact;
}

namespace atende::app::core {

struct ContactInfo;

inline QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

inline std::string ss(const QString &s)
{
    return s.toStdString();
}

// RFC 3339 UTC text -> local QDateTime (invalid when empty).
inline QDateTime qtime(const std::string &s)
{
    if (s.empty())
        return {};
    return QDateTime::fromString(qs(s), Qt::ISODateWithMs).toLocalTime();
}

ContactInfo contactFromProto(const atende::api::v1::Contact &c);

} // namespace atende::app::core
