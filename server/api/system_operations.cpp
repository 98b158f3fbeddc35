#include "server/api/system_operations.h"

#include "common/core/version.h"

#include "atende/api/v1/system.pb.h"

namespace atende::server::api {

namespace v1 = atende::api::v1;

void addSystemOperations(OperationTable &table, SystemInfo info)
{
    table.add(makeOperation<v1::PingRequest, v1::PingResponse>(
        QStringLiteral("system.ping"), "GET", QStringLiteral("/api/v1/system/ping"), QLatin1String(perm::kPublic),
        QStringLiteral("Round trip to the server; returns its clock."),
        [](CallContext, v1::PingRequest) -> QCoro::Task<atende::core::Result<v1::PingResponse>> {
            v1::PingResponse r;
            r.set_server_time(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
            co_return r;
        }));

    table.add(makeOperation<v1::ServerInfoRequest, v1::ServerInfoResponse>(
        QStringLiteral("system.info"), "GET", QStringLiteral("/api/v1/system/info"), QLatin1String(perm::kPublic),
        QStringLiteral("Version, instance and schema of this server."),
        [info](CallContext, v1::ServerInfoRequest) -> QCoro::Task<atende::core::Result<v1::ServerInfoResponse>> {
            v1::ServerInfoResponse r;
            r.set_version(atende::core::versionString().toStdString());
            r.set_instance_id(info.instanceId.toStdString());
            r.set_started_at(info.startedAt.toUTC().toString(Qt::ISODateWithMs).toStdString());
            r.set_uptime_seconds(info.startedAt.secsTo(QDateTime::currentDateTimeUtc()));
            r.set_schema_version(info.schemaVersion ? info.schemaVersion() : 0);
            co_return r;
        }));

    table.add(makeOperation<v1::EchoRequest, v1::EchoResponse>(
        QStringLiteral("system.echo"), "POST", QStringLiteral("/api/v1/system/echo"), QLatin1String(perm::kPublic),
        QStringLiteral("Returns the text, repeated; for testing clients."),
        [](CallContext, v1::EchoRequest req) -> QCoro::Task<atende::core::Result<v1::EchoResponse>> {
            const int repeat = req.repeat() == 0 ? 1 : req.repeat();
            if (repeat < 1 || repeat > 100)
                co_return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                                    QStringLiteral("repeat must be 1..100"),
                                                    QJsonObject{{QStringLiteral("field"), QStringLiteral("repeat")}});
            if (req.text().size() > 4096)
                co_return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                                    QStringLiteral("text must be at most 4096 bytes"),
                                                    QJsonObject{{QStringLiteral("field"), QStringLiteral("text")}});
            v1::EchoResponse r;
            std::string out;
            for (int i = 0; i < repeat; ++i)
                out += req.text();
            r.set_text(out);
            co_return r;
        }));
}

} // namespace atende::server::api
