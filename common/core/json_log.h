#pragma once
// Structured logs: every qDebug/qInfo/qWarning/qCritical becomes one JSON object per line on stderr:
// {"ts":"2026-11-28T13:00:00.123Z","level":"info","cat":"atende.server.db","msg":"..."}.
// Messages must never contain message bodies, tokens or keys; log ids and sizes instead.

#include <QtGlobal>

namespace atende::core {

enum class LogFormat { Json, Text };

// Installs the process-wide Qt message handler. minLevel: QtDebugMsg, QtInfoMsg, QtWarningMsg, ...
void installLogHandler(LogFormat format, QtMsgType minLevel);

// Parses "debug" / "info" / "warning" / "error"; returns QtInfoMsg for anything else.
QtMsgType parseLogLevel(const QString &name);

} // namespace atende::core
