#pragma once
// What `atende` was asked to do on its command line, environment and saved settings.
//
//   atende [--server URL] [--lang LOCALE] [--theme system|light|dark]
//
// The server URL comes from, in this order: --server, $ATENDE_SERVER_URL, the saved setting
// "server/url", http://127.0.0.1:8080. A URL without a scheme gets "http://".

#include <QCoreApplication>
#include <QLocale>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace atende::app::core {

inline constexpr char kServerUrlEnv[] = "ATENDE_SERVER_URL";
inline constexpr char kServerUrlSettingsKey[] = "server/url";
inline constexpr char kDefaultServerUrl[] = "http://127.0.0.1:8080";

struct StartupOptions {
    QUrl serverUrl;
    QString serverUrlOrigin; // "command line", "environment", "settings" or "default" (for the log)
    QLocale locale;
    QString theme = QStringLiteral("system"); // system | light | dark
};

struct StartupParse {
    enum class Outcome { Run, ShowHelp, ShowVersion, Error };
    Outcome outcome = Outcome::Run;
    StartupOptions options;
    QString text; // help text, version line or error message
};

class StartupOptionsParser {
    Q_DECLARE_TR_FUNCTIONS(atende::app::core::StartupOptionsParser)
public:
    // `arguments` includes the program name first, like QCoreApplication::arguments().
    static StartupParse parse(const QStringList &arguments, const QProcessEnvironment &environment,
                              const QString &savedServerUrl);
    // The locale asked for with --lang (valid or not), else the system's. Read before parse() so
    // that the translation is installed before any text (help, errors) is produced.
    static QLocale requestedLocale(const QStringList &arguments);
    // "host:port" -> "http://host:port"; nullopt unless http(s) with a host.
    static std::optional<QUrl> normalizeServerUrl(const QString &text);
};

} // namespace atende::app::core
