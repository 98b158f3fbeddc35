#pragma once
#include <QString>

namespace atende::core {
inline QString versionString()
{
    return QStringLiteral(ATENDE_VERSION);
}
} // namespace atende::core
