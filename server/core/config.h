#pragma once
// Server configuration. Sources, lowest to highest precedence:
//   1. built-in defaults
//   2. the config file (`--config FILE` or ATENDE_CONFIG), "key = value" lines, '#' comments
//   3. environment variables ATENDE_<KEY in upper case>, e.g. ATENDE_DATABASE_URL
//   4. command-line options --key=value
// Every key is declared once in kConfigKeys; `atende-server --help` prints that table.

#include "common/core/result.h"

#include <QByteArray>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace atende::server::core {

struct ConfigKey {
    const char *key;
    const char *defaultValue; // "" = empty; "(auto)" explained in help
    const char *help;
};

const QList<ConfigKey> &configKeys();

struct ServerConfig {
    QString dataDir;
    QString databaseUrl; // empty: embedded cluster
    int databaseWorkers = 4;
    // A pool of its own for inbound messages, outbound jobs and connectors, so that heavy API reads
    // (search, reports) never queue a customer's message behind them.
    int messagingDatabaseWorkers = 2;
    QString postgresBinDir;
    int embeddedPostgresPort = 0; // TCP port of the embedded cluster, 0 = Unix socket only
    QString listenAddress;
    int port = 8080;
    bool allowRemote = false;
    QString tlsCert;
    QString tlsKey;
    qint64 maxBodyBytes = 1024 * 1024;
    int shutdownTimeoutSeconds = 8;
    QString logLevel;
    QString logFormat;
    QString instanceId;
    int accessTokenMinutes = 15;
    int refreshTokenDays = 30;
    double rateLimitIpBurst = 300;
    double rateLimitIpPerSecond = 100;
    double rateLimitUserBurst = 120;
    double rateLimitUserPerSecond = 20;
    int loginFreeFailuresAccount = 5;
    int loginFreeFailuresIp = 20;
    int eventLogRetentionHours = 72;
    QString masterKeyFile;        // absolute; default <dataDir>/master.key
    QString masterKey;            // base64; when set it wins over masterKeyFile
    QString whatsappUrl;          // WebSocket endpoint of WhatsApp (or atende-wasim)
    QByteArray whatsappTrustRoot; // 32-byte Noise trust root; empty = WhatsApp's
    quint32 whatsappTrustRootSerial = 0;

    // Loads and validates. args are the --key=value options (without the program name).
    static atende::core::Result<ServerConfig> load(const QStringList &args, const QProcessEnvironment &env);
    static QString helpText();
    static QString envName(const QString &key);
};

} // namespace atende::server::core
