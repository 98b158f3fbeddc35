#include "app/core/localization.h"

#include "app/core/logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>

namespace atende::app::core {

Localization::~Localization()
{
    uninstall();
}

void Localization::uninstall()
{
    if (m_app)
        QCoreApplication::removeTranslator(m_app.get());
    if (m_qt)
        QCoreApplication::removeTranslator(m_qt.get());
    m_app.reset();
    m_qt.reset();
    m_catalogue.clear();
}

bool Localization::install(const QLocale &locale)
{
    uninstall();
    QLocale::setDefault(locale);
    const QString directory = QLatin1String(kResourceDirectory);

    auto app = std::make_unique<QTranslator>();
    bool loaded = app->load(locale, QStringLiteral("atende"), QStringLiteral("_"), directory);
    if (!loaded && locale.language() == QLocale::Portuguese)
        loaded = app->load(QStringLiteral("atende_pt_BR"), directory);
    if (loaded) {
        m_catalogue = app->filePath();
        QCoreApplication::installTranslator(app.get());
        m_app = std::move(app);
    }

    // Qt's own strings (standard dialogs, shortcuts); the catalogue is optional on Linux distros.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        m_qt = std::move(qt);
    }

    qCInfo(lcCore) << "locale" << locale.name() << "catalogue"
                   << (m_catalogue.isEmpty() ? QStringLiteral("(source texts)") : m_catalogue);
    return loaded;
}

} // namespace atende::app::core
