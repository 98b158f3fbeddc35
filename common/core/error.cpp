#include "common/core/error.h"

namespace atende::core {

Error Error::make(const char *code, QString message, QJsonObject details)
{
    return Error{QString::fromLatin1(code), std::move(message), std::move(details)};
}

} // namespace atende::core
