#include "server/core/config.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>
#include <QUuid>

#include <unistd.h>

namespace atende::server::core {

using atende::core::Error;
namespace errc = atende::core::errc;

const QList<ConfigKey> &configKeys()
{
    static const QList<ConfigKey> keys{
        {"config", "", "Path of a config file with \"key = value\" lines (only from env or command line)."},
        {"data_dir", "(auto)",
         "Where the server keeps its state (embedded PostgreSQL cluster, key file). "
         "Default: /var/lib/atende as root, else $XDG_DATA_HOME/atende-server."},
        {"database_url", "",
         "postgresql://user:pass@host:port/db — use this PostgreSQL instead of the embedded cluster."},
        {"database_workers", "4", "Database worker threads (one connection each)."},
        {"messaging_database_workers", "2",
         "Database worker threads of their own for inbound messages, outbound jobs and connectors."},
        {"postgres_bin_dir", "/usr/lib/postgresql/15/bin", "initdb/pg_ctl of the embedded cluster."},
        {"embedded_postgres_port", "0", "TCP port for the embedded cluster on 127.0.0.1; 0 = Unix socket only."},
        {"listen_address", "127.0.0.1", "Address of the HTTP/WebSocket listener."},
        {"port", "8080", "Port of the HTTP/WebSocket listener (0 = any free port)."},
        {"allow_remote", "false", "Allow a non-loopback listen_address without TLS."},
        {"tls_cert", "", "PEM certificate (chain) file; TLS is on when tls_cert and tls_key are set."},
        {"tls_key", "", "PEM private key file."},
        {"max_body_bytes", "1048576", "Largest accepted request body or WebSocket message."},
        {"shutdown_timeout_seconds", "8", "How long SIGTERM waits for requests in flight."},
        {"log_level", "info", "debug, info, warning or error."},
        {"log_format", "json", "json (one object per line) or text."},
        {"instance_id", "(auto)", "Name of this server instance; default: a random UUID per start."},
        {"access_token_minutes", "15", "Lifetime of access tokens (JWT)."},
        {"refresh_token_days", "30", "Lifetime of refresh tokens; each refresh issues a new one."},
        {"rate_limit_ip_burst", "300", "Requests a client address may make at once (token bucket size)."},
        {"rate_limit_ip_per_second", "100", "Sustained requests per second per client address; 0 = no limit."},
        {"rate_limit_user_burst", "120", "Requests a signed-in user or API token may make at once."},
        {"rate_limit_user_per_second", "20", "Sustained requests per second per user or API token; 0 = no limit."},
        {"login_free_failures_account", "5", "Failed logins of one account before growing back-off starts."},
        {"login_free_failures_ip", "20", "Failed logins from one address before growing back-off starts."},
        {"event_log_retention_hours", "72",
         "How long events are kept for clients that reconnect (sync.resume); older ones need a full resync."},
        {"master_key_file", "(auto)",
         "Master key file (32 bytes, mode 0600, created on first run) that wraps the encryption keys of "
         "stored secrets. Default: <data_dir>/master.key. Back it up: without it the secrets are lost."},
        {"master_key", "",
         "The master key as base64 (e.g. ATENDE_MASTER_KEY from a secret store); wins over master_key_file."},
        {"whatsapp_url", "wss://web.whatsapp.com/ws/chat",
         "WebSocket endpoint of WhatsApp (tests and the demo point it at atende-wasim)."},
        {"whatsapp_trust_root", "",
         "Public key (32 bytes, hex or base64) that must sign the Noise certificate chain; empty = WhatsApp's."},
        {"whatsapp_trust_root_serial", "0", "Serial of that trust root (used with whatsapp_trust_root)."},
    };
    return keys;
}

QString ServerConfig::envName(const QString &key)
{
    return QStringLiteral("ATENDE_") + key.toUpper();
}

namespace {

atende::core::Result<QMap<QString, QString>> readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error::make(errc::kInvalidArgument,
                           QStringLiteral("cannot read config file %1: %2").arg(path, f.errorString()));
    QMap<QString, QString> out;
    int lineNo = 0;
    while (!f.atEnd()) {
        ++lineNo;
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return Error::make(errc::kInvalidArgument,
                               QStringLiteral("%1:%2: expected \"key = value\"").arg(path).arg(lineNo));
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        out.insert(line.left(eq).trimmed(), value);
    }
    return out;
}

bool isKnown(const QString &key)
{
    for (const ConfigKey &k : configKeys())
        if (key == QLatin1String(k.key))
            return true;
    return false;
}

atende::core::Result<bool> toBool(const QString &key, const QString &v)
{
    const QString l = v.toLower();
    if (l == QLatin1String("true") || l == QLatin1String("1") || l == QLatin1String("yes"))
        return true;
    if (l == QLatin1String("false") || l == QLatin1String("0") || l == QLatin1String("no") || l.isEmpty())
        return false;
    return Error::make(errc::kInvalidArgument, QStringLiteral("%1 must be true or false").arg(key));
}

atende::core::Result<qint64> toInt(const QString &key, const QString &v, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    if (!ok || n < min || n > max)
        return Error::make(errc::kInvalidArgument,
                           QStringLiteral("%1 must be a number in %2..%3").arg(key).arg(min).arg(max));
    return n;
}

} // namespace

atende::core::Result<ServerConfig> ServerConfig::load(const QStringList &args, const QProcessEnvironment &env)
{
    QMap<QString, QString> values;
    for (const ConfigKey &k : configKeys())
        values.insert(QLatin1String(k.key), QLatin1String(k.defaultValue));

    QMap<QString, QString> cli;
    for (const QString &a : args) {
        if (!a.startsWith(QLatin1String("--")))
            return Error::make(errc::kInvalidArgument, QStringLiteral("unexpected argument %1 (see --help)").arg(a));
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        if (eq < 0)
            return Error::make(errc::kInvalidArgument, QStringLiteral("option %1 needs a value: --key=value").arg(a));
        const QString key = a.mid(2, eq - 2).replace(QLatin1Char('-'), QLatin1Char('_'));
        if (!isKnown(key))
            return Error::make(errc::kInvalidArgument, QStringLiteral("unknown option --%1 (see --help)").arg(key));
        cli.insert(key, a.mid(eq + 1));
    }

    QString file = cli.value(QStringLiteral("config"), env.value(envName(QStringLiteral("config"))));
    if (!file.isEmpty()) {
        auto fromFile = readFile(file);
        if (!fromFile.ok())
            return fromFile.error();
        for (auto it = fromFile->cbegin(); it != fromFile->cend(); ++it) {
            if (!isKnown(it.key()) || it.key() == QLatin1String("config"))
                return Error::make(errc::kInvalidArgument, QStringLiteral("%1: unknown key %2").arg(file, it.key()));
            values.insert(it.key(), it.value());
        }
    }
    for (const ConfigKey &k : configKeys()) {
        const QString e = envName(QLatin1String(k.key));
        if (env.contains(e))
            values.insert(QLatin1String(k.key), env.value(e));
    }
    for (auto it = cli.cbegin(); it != cli.cend(); ++it)
        values.insert(it.key(), it.value());

    ServerConfig c;
    c.dataDir = values.value(QStringLiteral("data_dir"));
    if (c.dataDir == QLatin1String("(auto)") || c.dataDir.isEmpty()) {
        c.dataDir = geteuid() == 0 ? QStringLiteral("/var/lib/atende")
                                   : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                                         QStringLiteral("/atende-server");
    }
    c.dataDir = QDir(c.dataDir).absolutePath();
    c.databaseUrl = values.value(QStringLiteral("database_url"));
    c.postgresBinDir = values.value(QStringLiteral("postgres_bin_dir"));
    c.listenAddress = values.value(QStringLiteral("listen_address"));
    c.tlsCert = values.value(QStringLiteral("tls_cert"));
    c.tlsKey = values.value(QStringLiteral("tls_key"));
    c.logLevel = values.value(QStringLiteral("log_level"));
    c.logFormat = values.value(QStringLiteral("log_format"));
    c.instanceId = values.value(QStringLiteral("instance_id"));
    c.masterKeyFile = values.value(QStringLiteral("master_key_file"));
    if (c.masterKeyFile == QLatin1String("(auto)") || c.masterKeyFile.isEmpty())
        c.masterKeyFile = c.dataDir + QStringLiteral("/master.key");
    c.masterKeyFile = QDir(c.masterKeyFile).absolutePath();
    c.masterKey = values.value(QStringLiteral("master_key"));
    if (c.instanceId == QLatin1String("(auto)") || c.instanceId.isEmpty())
        c.instanceId = QUuid::createUuid().toString(QUuid::WithoutBraces);

#define ATENDE_INT(field, key, lo, hi)                                                                                 \
    {                                                                                                                  \
        auto v = toInt(QStringLiteral(key), values.value(QStringLiteral(key)), lo, hi);                                \
        if (!v.ok())                                                                                                   \
            return v.error();                                                                                          \
        c.field = decltype(c.field)(v.value());                                                                        \
    }
    ATENDE_INT(databaseWorkers, "database_workers", 1, 64)
    ATENDE_INT(messagingDatabaseWorkers, "messaging_database_workers", 1, 64)
    ATENDE_INT(embeddedPostgresPort, "embedded_postgres_port", 0, 65535)
    ATENDE_INT(port, "port", 0, 65535)
    ATENDE_INT(maxBodyBytes, "max_body_bytes", 1024, 256LL * 1024 * 1024)
    ATENDE_INT(shutdownTimeoutSeconds, "shutdown_timeout_seconds", 1, 300)
    ATENDE_INT(accessTokenMinutes, "access_token_minutes", 1, 24 * 60)
    ATENDE_INT(refreshTokenDays, "refresh_token_days", 1, 365)
    ATENDE_INT(rateLimitIpBurst, "rate_limit_ip_burst", 1, 1000000)
    ATENDE_INT(rateLimitIpPerSecond, "rate_limit_ip_per_second", 0, 1000000)
    ATENDE_INT(rateLimitUserBurst, "rate_limit_user_burst", 1, 1000000)
    ATENDE_INT(rateLimitUserPerSecond, "rate_limit_user_per_second", 0, 1000000)
    ATENDE_INT(loginFreeFailuresAccount, "login_free_failures_account", 1, 1000)
    ATENDE_INT(loginFreeFailuresIp, "login_free_failures_ip", 1, 100000)
    ATENDE_INT(eventLogRetentionHours, "event_log_retention_hours", 1, 24 * 365)
    ATENDE_INT(whatsappTrustRootSerial, "whatsapp_trust_root_serial", 0, 0xFFFFFFFFLL)
#undef ATENDE_INT
    auto remote = toBool(QStringLiteral("allow_remote"), values.value(QStringLiteral("allow_remote")));
    if (!remote.ok())
        return remote.error();
    c.allowRemote = remote.value();

    const QHostAddress addr(c.listenAddress);
    if (addr.isNull())
        return Error::make(errc::kInvalidArgument,
                           QStringLiteral("listen_address %1 is not an IP address").arg(c.listenAddress));
    if (c.tlsCert.isEmpty() != c.tlsKey.isEmpty())
        return Error::make(errc::kInvalidArgument, QStringLiteral("set both tls_cert and tls_key, or neither"));
    if (!addr.isLoopback() && c.tlsCert.isEmpty() && !c.allowRemote)
        return Error::make(errc::kInvalidArgument,
                           QStringLiteral("refusing to listen on %1 without TLS; configure tls_cert/tls_key or set "
                                          "allow_remote=true (e.g. behind a TLS-terminating proxy)")
                               .arg(c.listenAddress));
    c.whatsappUrl = values.value(QStringLiteral("whatsapp_url"));
    const QUrl waUrl(c.whatsappUrl);
    if (!waUrl.isValid() || (waUrl.scheme() != QLatin1String("wss") && waUrl.scheme() != QLatin1String("ws")))
        return Error::make(errc::kInvalidArgument, QStringLiteral("whatsapp_url must be a ws:// or wss:// URL"));
    const QString root = values.value(QStringLiteral("whatsapp_trust_root")).trimmed();
    if (!root.isEmpty()) {
        static const QRegularExpression hex(QStringLiteral("^[0-9A-Fa-f]{64}$"));
        c.whatsappTrustRoot = hex.match(root).hasMatch()
                                  ? QByteArray::fromHex(root.toLatin1())
                                  : QByteArray::fromBase64(root.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (c.whatsappTrustRoot.size() != 32)
            return Error::make(errc::kInvalidArgument,
                               QStringLiteral("whatsapp_trust_root must be 32 bytes as hex or base64"));
    }
    if (c.logFormat != QLatin1String("json") && c.logFormat != QLatin1String("text"))
        return Error::make(errc::kInvalidArgument, QStringLiteral("log_format must be json or text"));
    return c;
}

QString ServerConfig::helpText()
{
    QString out =
        QStringLiteral("Usage: atende-server [--key=value ...]\n"
                       "       atende-server admin create-tenant --name=NAME --slug=SLUG [--key=value ...]\n"
                       "       atende-server admin create-user --tenant=SLUG --email=EMAIL --name=NAME\n"
                       "                     --role=admin|supervisor|agent [--password-stdin] [--key=value ...]\n"
                       "       atende-server admin rotate-master-key --new-key-file=PATH [--key=value ...]\n"
                       "       atende-server admin reset-password --email=EMAIL [--key=value ...]\n"
                       "       atende-server admin demo [--slug=demo] [--key=value ...]\n"
                       "       atende-server audit verify [--key=value ...]\n\n"
                       "Runs the Atende server. Configuration, lowest to highest precedence: defaults, config file,\n"
                       "ATENDE_* environment variables, --key=value options.\n\nKeys:\n");
    for (const ConfigKey &k : configKeys()) {
        out += QStringLiteral("  --%1  (env %2, default %3)\n      %4\n")
                   .arg(QLatin1String(k.key).toString().replace(QLatin1Char('_'), QLatin1Char('-')),
                        envName(QLatin1String(k.key)),
                        QLatin1String(k.defaultValue).isEmpty() ? QStringLiteral("empty")
                                                                : QLatin1String(k.defaultValue).toString(),
                        QLatin1String(k.help));
    }
    out += QStringLiteral("\nThe option names also accept underscores (--data_dir=...).\n");
    return out;
}

} // namespace atende::server::core
