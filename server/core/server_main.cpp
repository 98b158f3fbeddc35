#include "server/core/server_main.h"

#include "common/core/json_log.h"
#include "common/core/version.h"
#include "server/core/admin_commands.h"
#include "server/core/server_application.h"
#include "server/core/unix_signals.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>

Q_DECLARE_LOGGING_CATEGORY(lcCore)

namespace atende::server::core {

int serverMain(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("atende-server"));
    QCoreApplication::setApplicationVersion(atende::core::versionString());

    QStringList args = QCoreApplication::arguments().mid(1);
    if (isAdminCommand(args))
        return runAdminCommand(args);
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fputs(ServerConfig::helpText().toUtf8().constData(), stdout);
        return 0;
    }
    if (args.contains(QStringLiteral("--version"))) {
        std::printf("atende-server %s\n", qPrintable(atende::core::versionString()));
        return 0;
    }

    auto config = ServerConfig::load(args, QProcessEnvironment::systemEnvironment());
    if (!config.ok()) {
        std::fprintf(stderr, "atende-server: %s\n", qPrintable(config.error().message));
        return 2;
    }
    atende::core::installLogHandler(config->logFormat == QLatin1String("text") ? atende::core::LogFormat::Text
                                                                               : atende::core::LogFormat::Json,
                                    atende::core::parseLogLevel(config->logLevel));

    ServerApplication server(config.value());
    UnixSignals signals;
    int exitCode = 0;
    QObject::connect(&signals, &UnixSignals::terminateRequested, &server, [&server](int sig) {
        qCInfo(lcCore) << "received signal" << sig;
        server.shutdown();
    });
    QObject::connect(&server, &ServerApplication::stopped, &app, [&app, &exitCode] { app.exit(exitCode); });

    if (auto st = server.start(); !st.ok()) {
        qCCritical(lcCore).noquote() << "cannot start:" << st.error().message;
        exitCode = 1;
        server.shutdown();
        // shutdown() emits stopped() synchronously when nothing is in flight; make sure we return.
        return exitCode;
    }
    return app.exec();
}

} // namespace atende::server::core
