#include "server/whatsapp/session_reasons.h"

#include <algorithm>
#include <cmath>

namespace atende::server::whatsapp {

QString streamErrorReason(const Node &streamError)
{
    const Node *conflict = streamError.child(u"conflict");
    if (conflict) {
        const QString type = conflict->attributeString(u"type");
        if (type == QLatin1String("device_removed"))
            return QString(reason::kDeviceRemoved);
        if (type == QLatin1String("replaced"))
            return QString(reason::kReplaced);
    }
    const QString code = streamError.attributeString(u"code");
    bool numeric = false;
    const int value = code.toInt(&numeric);
    if (!numeric)
        return QStringLiteral("stream_error_unknown");
    return QStringLiteral("stream_error_%1").arg(value);
}

QString failureReason(const Node &failure)
{
    bool numeric = false;
    const int value = failure.attributeString(u"reason").toInt(&numeric);
    return numeric ? QStringLiteral("failure_%1").arg(value) : QStringLiteral("failure_unknown");
}

ReconnectAction reconnectActionFor(QStringView code)
{
    if (code == reason::kStreamError515)
        return ReconnectAction::Immediately;
    if (code == reason::kDeviceRemoved || code == reason::kLoggedOut)
        return ReconnectAction::LogOut;
    if (code == reason::kReplaced || code == reason::kStopped || code == reason::kQrRefsExhausted)
        return ReconnectAction::Stop;
    if (code == reason::kCertInvalid || code == reason::kPairingRejected)
        return ReconnectAction::Fail;
    if (code.startsWith(u"stream_error_")) {
        // 401 without a device_removed conflict is still the server logging us out.
        if (code == u"stream_error_401")
            return ReconnectAction::LogOut;
        return ReconnectAction::Backoff; // 503, 500, unknown
    }
    if (code.startsWith(u"failure_")) {
        // §11.2: 401 logged out, 403 main device gone, 406 banned/unknown logout → the pairing is void.
        if (code == u"failure_401" || code == u"failure_403" || code == u"failure_406")
            return ReconnectAction::LogOut;
        if (code == u"failure_500" || code == u"failure_503")
            return ReconnectAction::Backoff;
        return ReconnectAction::Fail; // 400, 402, 405, 409, 415, 418, 501, unknown
    }
    return ReconnectAction::Backoff;
}

std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds initial, std::chrono::milliseconds max,
                                       double jitter, const std::function<double()> &unitRandom)
{
    const int exponent = std::clamp(attempt - 1, 0, 30);
    const double base = std::min(double(initial.count()) * std::ldexp(1.0, exponent), double(max.count()));
    const double factor = 1.0 + jitter * (2.0 * unitRandom() - 1.0);
    return std::chrono::milliseconds(qint64(std::llround(base * factor)));
}

} // namespace atende::server::whatsapp
