// The embedded catalogues load, translate, and the checked-in .ts files are complete.

#include "app/core/localization.h"

#include <QCoreApplication>
#include <QFile>
#include <QTranslator>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

using atende::app::core::Localization;

namespace {
QString sourceRoot()
{
    const QString fromEnv = qEnvironmentVariable("ATENDE_SOURCE_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(ATENDE_TEST_SOURCE_ROOT) : fromEnv;
}

struct TsStats {
    int messages = 0;
    QStringList untranslated; // source texts with no finished translation
};

TsStats readTs(const QString &path)
{
    TsStats stats;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return stats;
    QXmlStreamReader xml(&file);
    QString source;
    while (!xml.atEnd()) {
        if (!xml.readNextStartElement())
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            ++stats.messages;
            // "unfinished", "vanished" or "obsolete" all mean: not shipped as translated.
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            // Plural messages keep their forms in <numerusform> children.
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (!type.isEmpty() || text.trimmed().isEmpty())
                stats.untranslated.append(source);
        }
    }
    return stats;
}
} // namespace

TEST(Translations, PortugueseCatalogueIsEmbeddedAndTranslates)
{
    QTranslator translator;
    ASSERT_TRUE(translator.load(QStringLiteral(":/i18n/atende_pt_BR.qm")));
    EXPECT_EQ(translator.language(), QStringLiteral("pt_BR"));
    EXPECT_EQ(translator.translate("atende::app::ui::ConnectionCard", "Connected"), QStringLiteral("Conectado"));
    EXPECT_EQ(translator.translate("atende::app::ui::ConnectionCard", "Connected to %1"),
              QStringLiteral("Conectado a %1"));
    EXPECT_EQ(translator.translate("atende::app::ui::ConnectionCard", "Trying again in %n second(s).", nullptr, 1),
              QStringLiteral("Tentando novamente em %n segundo."));
    EXPECT_EQ(translator.translate("atende::app::ui::ConnectionCard", "Trying again in %n second(s).", nullptr, 3),
              QStringLiteral("Tentando novamente em %n segundos."));
    EXPECT_EQ(translator.translate("atende::app::core::NetworkErrors", "Connection refused: is the server running?"),
              QStringLiteral("Conexão recusada: o servidor está em execução?"));
}

TEST(Translations, EnglishCatalogueIsEmbedded)
{
    QTranslator translator;
    ASSERT_TRUE(translator.load(QStringLiteral(":/i18n/atende_en.qm")));
    EXPECT_EQ(translator.translate("atende::app::ui::ConnectionCard", "Trying again in %n second(s).", nullptr, 1),
              QStringLiteral("Trying again in %n second."));
}

TEST(Translations, LocalizationPicksTheCatalogueForTheLocale)
{
    {
        Localization localization;
        EXPECT_TRUE(localization.install(QLocale(QStringLiteral("pt_BR"))));
        EXPECT_EQ(localization.catalogue(), QStringLiteral(":/i18n/atende_pt_BR.qm"));
        EXPECT_EQ(QCoreApplication::translate("atende::app::ui::ConnectionCard", "Try now"),
                  QStringLiteral("Tentar agora"));
    }
    EXPECT_EQ(QCoreApplication::translate("atende::app::ui::ConnectionCard", "Try now"), QStringLiteral("Try now"))
        << "the translator is removed with its Localization";
    {
        Localization localization; // any Portuguese falls back to Brazil's
        EXPECT_TRUE(localization.install(QLocale(QStringLiteral("pt_PT"))));
        EXPECT_EQ(localization.catalogue(), QStringLiteral(":/i18n/atende_pt_BR.qm"));
    }
    {
        Localization localization;
        EXPECT_TRUE(localization.install(QLocale(QStringLiteral("en_US"))));
        EXPECT_EQ(localization.catalogue(), QStringLiteral(":/i18n/atende_en.qm"));
    }
    {
        Localization localization; // no catalogue: the English source texts
        EXPECT_FALSE(localization.install(QLocale(QStringLiteral("ja_JP"))));
        EXPECT_TRUE(localization.catalogue().isEmpty());
    }
    QLocale::setDefault(QLocale::system());
}

TEST(Translations, CheckedInTsFilesAreComplete)
{
    for (const char *name : {"atende_pt_BR.ts", "atende_en.ts"}) {
        const TsStats stats = readTs(sourceRoot() + QStringLiteral("/translations/") + QLatin1String(name));
        EXPECT_GT(stats.messages, 40) << name;
        EXPECT_TRUE(stats.untranslated.isEmpty())
            << name << " has untranslated messages: " << stats.untranslated.join(QStringLiteral(" | ")).toStdString();
    }
}
