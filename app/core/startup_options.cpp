#include "app/core/startup_options.h"

#include <QCommandLineParser>

namespace atende::app::core {

namespace {
QString languageArgument(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if ((a == QLatin1String("--lang") || a == QLatin1String("-lang")) && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (a.startsWith(QLatin1String("--lang=")))
            return a.mid(7);
    }
    return {};
}

// QLocale("xx_YY") quietly gives the C locale for names it does not know.
std::optional<QLocale> localeFromName(const QString &name)
{
    const QLocale locale(name);
    if (locale.language() == QLocale::C && name != QLatin1String("C"))
        return std::nullopt;
    return locale;
}
} // namespace

std::optional<QUrl> StartupOptionsParser::normalizeServerUrl(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    if (!trimmed.contains(QLatin1String("://")))
        trimmed.prepend(QLatin1String("http://"));
    QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return std::nullopt;
    url.setScheme(scheme);
    return url;
}

QLocale StartupOptionsParser::requestedLocale(const QStringList &arguments)
{
    const QString name = languageArgument(arguments);
    if (!name.isEmpty()) {
        if (const auto locale = localeFromName(name))
            return *locale;
    }
    return QLocale::system();
}

StartupParse StartupOptionsParser::parse(const QStringList &arguments, const QProcessEnvironment &environment,
                                         const QString &savedServerUrl)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Atende: customer service over WhatsApp."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption serverOption(QStringList{QStringLiteral("server"), QStringLiteral("s")},
                                          tr("Address of the Atende server (default: $%1, the saved setting, or %2).")
                                              .arg(QLatin1String(kServerUrlEnv), QLatin1String(kDefaultServerUrl)),
                                          tr("url"));
    const QCommandLineOption langOption(QStringList{QStringLiteral("lang")},
                                        tr("Language of the interface, for example pt_BR or en."), tr("locale"));
    const QCommandLineOption themeOption(QStringList{QStringLiteral("theme")},
                                         tr("Colour scheme: system, light or dark."), tr("theme"),
                                         QStringLiteral("system"));
    parser.addOption(serverOption);
    parser.addOption(langOption);
    parser.addOption(themeOption);

    StartupParse result;
    auto fail = [&result](const QString &message) {
        result.outcome = StartupParse::Outcome::Error;
        result.text = message;
        return result;
    };

    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(helpOption)) {
        result.outcome = StartupParse::Outcome::ShowHelp;
        result.text = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.outcome = StartupParse::Outcome::ShowVersion;
        result.text =
            QStringLiteral("%1 %2").arg(QCoreApplication::applicationName(), QCoreApplication::applicationVersion());
        return result;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(tr("Unexpected argument: %1").arg(parser.positionalArguments().constFirst()));

    // Server URL: the first source that has one wins; a bad one is an error, not a silent fallback.
    // (A broken saved setting is skipped: it must not keep the app from starting.)
    struct Source {
        QString value;
        QString origin;
        bool mustBeValid;
    };
    const Source sources[] = {
        {parser.isSet(serverOption) ? parser.value(serverOption) : QString(), QStringLiteral("command line"), true},
        {environment.value(QLatin1String(kServerUrlEnv)), QStringLiteral("environment"), true},
        {savedServerUrl, QStringLiteral("settings"), false},
        {QLatin1String(kDefaultServerUrl), QStringLiteral("default"), true},
    };
    for (const Source &source : sources) {
        if (source.value.trimmed().isEmpty())
            continue;
        const auto url = normalizeServerUrl(source.value);
        if (!url && !source.mustBeValid)
            continue;
        if (!url)
            return fail(tr("Not a valid server address (http or https): %1").arg(source.value));
        result.options.serverUrl = *url;
        result.options.serverUrlOrigin = source.origin;
        break;
    }

    if (parser.isSet(langOption)) {
        const auto locale = localeFromName(parser.value(langOption));
        if (!locale)
            return fail(tr("Unknown language: %1").arg(parser.value(langOption)));
        result.options.locale = *locale;
    } else {
        result.options.locale = QLocale::system();
    }

    const QString theme = parser.value(themeOption).toLower();
    if (theme != QLatin1String("system") && theme != QLatin1String("light") && theme != QLatin1String("dark"))
        return fail(tr("Unknown theme: %1 (use system, light or dark)").arg(parser.value(themeOption)));
    result.options.theme = theme;
    return result;
}

} // namespace atende::app::core
