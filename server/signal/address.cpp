#include "server/signal/address.h"

namespace atende::server::signal {

namespace {

std::strong_ordering compareStrings(const QString &a, const QString &b)
{
    const int c = QString::compare(a, b);
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
}

} // namespace

QString SignalAddress::toString() const
{
    return name + u'.' + QString::number(device);
}

std::optional<SignalAddress> SignalAddress::fromString(QStringView text)
{
    const qsizetype dot = text.lastIndexOf(u'.');
    if (dot <= 0)
        return std::nullopt;
    bool ok = false;
    const int device = text.mid(dot + 1).toInt(&ok);
    if (!ok || device < 0)
        return std::nullopt;
    return SignalAddress{text.first(dot).toString(), device};
}

std::strong_ordering operator<=>(const SignalAddress &a, const SignalAddress &b)
{
    if (const auto c = compareStrings(a.name, b.name); c != 0)
        return c;
    return a.device <=> b.device;
}

std::optional<SignalAddress> addressForJid(const whatsapp::Jid &jid)
{
    // Only user servers carry Signal identities; domainType() is -1 for groups, broadcast, newsletters.
    if (jid.user.isEmpty() || jid.domainType() < 0)
        return std::nullopt;
    return SignalAddress{jid.signalAddressName(), jid.device};
}

QString SenderKeyName::toString() const
{
    return groupId + QLatin1String("::") + sender.name + QLatin1String("::") + QString::number(sender.device);
}

std::strong_ordering operator<=>(const SenderKeyName &a, const SenderKeyName &b)
{
    if (const auto c = compareStrings(a.groupId, b.groupId); c != 0)
        return c;
    return a.sender <=> b.sender;
}

} // namespace atende::server::signal
