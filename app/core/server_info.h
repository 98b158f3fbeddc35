#pragma once
// What GET /api/v1/system/info says about a server (atende.api.v1.ServerInfoResponse in its
// canonical JSON form: lowerCamelCase names, int64 as a string).

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <optional>

namespace atende::app::core {

struct ServerInfo {
    QString version;
    QString instanceId;
    QDateTime startedAt;
    qint64 uptimeSeconds = -1;
    int schemaVersion = -1;

    bool isValid() const { return !version.isEmpty(); }
    // nullopt when the body is not a JSON object with a string "version".
    static std::optional<ServerInfo> fromJson(const QByteArray &body);

    friend bool operator==(const ServerInfo &, const ServerInfo &) = default;
};

} // namespace atende::app::core
