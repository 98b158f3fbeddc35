#include "server/security/phc_string.h"

#include "server/security/base64url.h"

#include <QList>

namespace atende::server::security {

namespace {

constexpr quint32 kMaxMemoryKiB = 1024 * 1024; // 1 GiB
constexpr quint32 kMaxIterations = 64;
constexpr quint32 kMaxParallelism = 16;
constexpr qsizetype kMinSaltBytes = 8;
constexpr qsizetype kMaxSaltBytes = 64;
constexpr qsizetype kMinHashBytes = 16;
constexpr qsizetype kMaxHashBytes = 64;
constexpr qsizetype kMaxTextLength = 512;

// "name=<decimal>" with no sign, no leading zero, at most 10 digits.
std::optional<quint32> parseParam(QByteArrayView field, QByteArrayView name)
{
    if (!field.startsWith(name) || field.size() <= name.size() || field.at(name.size()) != '=')
        return std::nullopt;
    const QByteArrayView digits = field.sliced(name.size() + 1);
    if (digits.isEmpty() || digits.size() > 10 || (digits.size() > 1 && digits.front() == '0'))
        return std::nullopt;
    quint64 value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + quint64(c - '0');
    }
    if (value > 0xffffffffu)
        return std::nullopt;
    return quint32(value);
}

} // namespace

std::optional<PhcArgon2id> PhcArgon2id::parse(QByteArrayView text)
{
    if (text.size() > kMaxTextLength || !text.startsWith("$"))
        return std::nullopt;
    // Leading '$' gives an empty first field: "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash.
    const QList<QByteArray> fields = text.toByteArray().split('$');
    if (fields.size() != 6 || fields.at(1) != "argon2id" || fields.at(2) != "v=19")
        return std::nullopt;
    const QList<QByteArray> params = fields.at(3).split(',');
    if (params.size() != 3)
        return std::nullopt;
    const auto m = parseParam(params.at(0), "m");
    const auto t = parseParam(params.at(1), "t");
    const auto p = parseParam(params.at(2), "p");
    if (!m || !t || !p)
        return std::nullopt;
    if (*p < 1 || *p > kMaxParallelism || *t < 1 || *t > kMaxIterations || *m < 8 * *p || *m > kMaxMemoryKiB)
        return std::nullopt;
    auto salt = base64NoPadDecode(fields.at(4));
    auto hash = base64NoPadDecode(fields.at(5));
    if (!salt || !hash || salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes ||
        hash->size() < kMinHashBytes || hash->size() > kMaxHashBytes)
        return std::nullopt;
    return PhcArgon2id{*m, *t, *p, std::move(*salt), std::move(*hash)};
}

QByteArray PhcArgon2id::format() const
{
    return QByteArrayLiteral("$argon2id$v=19$m=") + QByteArray::number(memoryKiB) + QByteArrayLiteral(",t=") +
           QByteArray::number(iterations) + QByteArrayLiteral(",p=") + QByteArray::number(parallelism) + '$' +
           base64NoPadEncode(salt) + '$' + base64NoPadEncode(hash);
}

} // namespace atende::server::security
