#include "common/core/json_log.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>

#include <atomic>
#include <cstdio>

namespace atende::core {
namespace {

// The Qt message handler is a C function pointer, so its settings cannot be captured; these two atomics
// are the only process-wide state and are written once at start.
std::atomic<int> s_minLevel{QtInfoMsg};
std::atomic<bool> s_json{true};

int severity(QtMsgType t)
{
    switch (t) {
    case QtDebugMsg: return 0;
    case QtInfoMsg: return 1;
    case QtWarningMsg: return 2;
    case QtCriticalMsg: return 3;
    case QtFatalMsg: return 4;
    }
    return 1;
}

const char *levelName(QtMsgType t)
{
    switch (t) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    if (severity(type) < severity(QtMsgType(s_minLevel.load())))
        return;
    static QMutex mutex;
    QByteArray line;
    const QString ts = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const char *cat = ctx.category ? ctx.category : "default";
    if (s_json.load()) {
        QJsonObject o{{QStringLiteral("ts"), ts},
                      {QStringLiteral("level"), QString::fromLatin1(levelName(type))},
                      {QStringLiteral("cat"), QString::fromLatin1(cat)},
                      {QStringLiteral("msg"), msg}};
        line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    } else {
        line = ts.toUtf8() + ' ' + levelName(type) + ' ' + cat + ": " + msg.toUtf8();
    }
    line += '\n';
    QMutexLocker lock(&mutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void installLogHandler(LogFormat format, QtMsgType minLevel)
{
    s_json = format == LogFormat::Json;
    s_minLevel = minLevel;
    qInstallMessageHandler(handler);
}

QtMsgType parseLogLevel(const QString &name)
{
    const QString n = name.toLower();
    if (n == QLatin1String("debug"))
        return QtDebugMsg;
    if (n == QLatin1String("warning") || n == QLatin1String("warn"))
        return QtWarningMsg;
    if (n == QLatin1String("error") || n == QLatin1String("critical"))
        return QtCriticalMsg;
    return QtInfoMsg;
}

} // namespace atende::core
