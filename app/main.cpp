// atende: the desktop app. Parses the command line, builds the AppContext, shows the console.

#include "app/console/console_window.h"
#include "app/core/app_context.h"
#include "app/core/localization.h"
#include "app/core/startup_options.h"
#include "app/ui/app_icon.h"
#include "app/ui/theme.h"
#include "common/core/version.h"

#include <QApplication>
#include <QSettings>
#include <cstdio>

using namespace atende::app;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Atende"));
    QApplication::setApplicationName(QStringLiteral("atende"));
    QApplication::setApplicationDisplayName(QStringLiteral("Atende"));
    QApplication::setApplicationVersion(atende::core::versionString());
    QApplication::setDesktopFileName(QStringLiteral("atende"));
    QApplication::setWindowIcon(ui::appIcon());

    // Translation first, so that --help and error messages come out in the user's language.
    const QStringList arguments = QApplication::arguments();
    core::Localization localization;
    localization.install(core::StartupOptionsParser::requestedLocale(arguments));

    const QSettings settings;
    const core::StartupParse parsed =
        core::StartupOptionsParser::parse(arguments, QProcessEnvironment::systemEnvironment(),
                                          settings.value(QLatin1String(core::kServerUrlSettingsKey)).toString());
    switch (parsed.outcome) {
    case core::StartupParse::Outcome::ShowHelp:
    case core::StartupParse::Outcome::ShowVersion:
        std::fputs(qPrintable(parsed.text + QLatin1Char('\n')), stdout);
        return 0;
    case core::StartupParse::Outcome::Error:
        std::fputs(qPrintable(QStringLiteral("atende: %1\n").arg(parsed.text)), stderr);
        return 2;
    case core::StartupParse::Outcome::Run: break;
    }

    core::AppContext context(parsed.options);
    console::ConsoleWindow window(
        console::ConsoleDeps{context.api(), context.session(), context.sync(), context.directory()});
    window.setThemeMode(ui::Theme::modeFromName(parsed.options.theme));
    window.prepareSignIn(parsed.options.serverUrl, {});
    window.show();
    context.start();
    return QApplication::exec();
}
