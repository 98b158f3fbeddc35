#pragma once
// The `atende.server.db` logging category (defined once, in db_executor.cpp). Declared at global scope,
// like its definition, so every file of the module can say qCWarning(lcDb).

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcDb)
