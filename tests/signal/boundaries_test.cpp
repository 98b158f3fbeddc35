// The link graph of issue 6 (STYLE.md "boundaries are enforced"): server/signal may use server/whatsapp for
// key types, never the reverse (pairing and login must not need Signal), and neither reaches into the
// product modules above them.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <gtest/gtest.h>

namespace {

QStringList includesOf(const QString &folder)
{
    const QByteArray root = qgetenv("ATENDE_SOURCE_DIR");
    EXPECT_FALSE(root.isEmpty()) << "ATENDE_SOURCE_DIR is set by ctest";
    QStringList out;
    static const QRegularExpression include(QStringLiteral("^#include \"([^\"]+)\""),
                                            QRegularExpression::MultilineOption);
    QDirIterator it(QString::fromLocal8Bit(root) + u'/' + folder, {QStringLiteral("*.h"), QStringLiteral("*.cpp")},
                    QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QString text = QString::fromUtf8(file.readAll());
        for (auto match = include.globalMatch(text); match.hasNext();)
            out.append(it.fileName() + QStringLiteral(": ") + match.next().captured(1));
    }
    return out;
}

TEST(SignalBoundaries, WhatsappNeverIncludesSignal)
{
    const QStringList includes = includesOf(QStringLiteral("server/whatsapp"));
    EXPECT_FALSE(includes.isEmpty());
    for (const QString &line : includes)
        EXPECT_FALSE(line.contains(QLatin1String(": server/signal/"))) << line.toStdString();
}

TEST(SignalBoundaries, SignalUsesOnlyCommonWhatsappAndItself)
{
    const QStringList includes = includesOf(QStringLiteral("server/signal"));
    EXPECT_FALSE(includes.isEmpty());
    for (const QString &line : includes) {
        const QString path = line.section(QStringLiteral(": "), 1);
        EXPECT_TRUE(path.startsWith(QLatin1String("common/core/")) ||
                    path.startsWith(QLatin1String("server/whatsapp/")) ||
                    path.startsWith(QLatin1String("server/signal/")))
            << line.toStdString();
    }
}

} // namespace
