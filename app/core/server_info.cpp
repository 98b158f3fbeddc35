#include "app/core/server_info.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace atende::app::core {

namespace {
// Protobuf's JSON printer uses lowerCamelCase, its parser also accepts the proto field names;
// accept both so a hand-written server (or a script) is understood too.
QJsonValue field(const QJsonObject &object, QLatin1String camel, QLatin1String snake)
{
    const QJsonValue v = object.value(camel);
    return v.isUndefined() ? object.value(snake) : v;
}

// int64 arrives as a JSON string ("42"), int32 as a number; take either.
qint64 integer(const QJsonValue &value, qint64 fallback)
{
    if (value.isDouble())
        return static_cast<qint64>(value.toDouble());
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().toLongLong(&ok);
        return ok ? n : fallback;
    }
    return fallback;
}
} // namespace

std::optional<ServerInfo> ServerInfo::fromJson(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QJsonValue version = object.value(QLatin1String("version"));
    if (!version.isString() || version.toString().isEmpty())
        return std::nullopt;

    ServerInfo info;
    info.version = version.toString();
    info.instanceId = field(object, QLatin1String("instanceId"), QLatin1String("instance_id")).toString();
    info.startedAt = QDateTime::fromString(
        field(object, QLatin1String("startedAt"), QLatin1String("started_at")).toString(), Qt::ISODateWithMs);
    info.uptimeSeconds = integer(field(object, QLatin1String("uptimeSeconds"), QLatin1String("uptime_seconds")), -1);
    info.schemaVersion =
        static_cast<int>(integer(field(object, QLatin1String("schemaVersion"), QLatin1String("schema_version")), -1));
    return info;
}

} // namespace atende::app::core
