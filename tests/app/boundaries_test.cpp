// STYLE.md: app/ui depends on nothing else in app/, and app/core never sees widgets. The link graph
// enforces most of it; this catches header-only leaks (an enum, an inline function) too.

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <gtest/gtest.h>

namespace {
QString sourceRoot()
{
    const QString fromEnv = qEnvironmentVariable("ATENDE_SOURCE_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(ATENDE_TEST_SOURCE_ROOT) : fromEnv;
}

// "file: #include line" for every include in `folder` matching `forbidden`.
QStringList offendingIncludes(const QString &folder, const QRegularExpression &forbidden)
{
    QStringList offences;
    QDirIterator it(sourceRoot() + QLatin1Char('/') + folder, {QStringLiteral("*.h"), QStringLiteral("*.cpp")},
                    QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        ++files;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            if (line.startsWith(QLatin1String("#include")) && forbidden.match(line).hasMatch())
                offences.append(QStringLiteral("%1: %2").arg(path, line.trimmed()));
        }
    }
    if (files == 0)
        offences.append(QStringLiteral("no sources found under ") + folder);
    return offences;
}
} // namespace

TEST(Boundaries, UiIncludesNothingElseFromApp)
{
    const QStringList offences =
        offendingIncludes(QStringLiteral("app/ui"), QRegularExpression(QStringLiteral(R"("app/(?!ui/))")));
    EXPECT_TRUE(offences.isEmpty()) << offences.join(QLatin1Char('\n')).toStdString();
}

TEST(Boundaries, CoreIncludesNoWidgetsAndNoUi)
{
    const QStringList offences =
        offendingIncludes(QStringLiteral("app/core"),
                          QRegularExpression(QStringLiteral(R"("app/ui/|<QtWidgets|<Q(Widget|MainWindow|Label)>)")));
    EXPECT_TRUE(offences.isEmpty()) << offences.join(QLatin1Char('\n')).toStdString();
}

TEST(Boundaries, AppNeverIncludesTheServer)
{
    const QStringList offences =
        offendingIncludes(QStringLiteral("app"), QRegularExpression(QStringLiteral(R"("server/)")));
    EXPECT_TRUE(offences.isEmpty()) << offences.join(QLatin1Char('\n')).toStdString();
}

TEST(Boundaries, CoreIncludesNoModelsAndNoConsole)
{
    const QStringList offences =
        offendingIncludes(QStringLiteral("app/core"), QRegularExpression(QStringLiteral(R"("app/(models|console)/)")));
    EXPECT_TRUE(offences.isEmpty()) << offences.join(QLatin1Char('\n')).toStdString();
}

TEST(Boundaries, ModelsAreWidgetFree)
{
    // Models feed any view (and the tests' QAbstractItemModelTester); painting belongs to console/.
    const QStringList offences = offendingIncludes(
        QStringLiteral("app/models"),
        QRegularExpression(QStringLiteral(R"("app/(ui|console)/|<QtWidgets|<Q(Widget|ListView|StyledItemDelegate)>)")));
    EXPECT_TRUE(offences.isEmpty()) << offences.join(QLatin1Char('\n')).toStdString();
}
