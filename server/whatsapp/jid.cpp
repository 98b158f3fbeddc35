#include "server/whatsapp/jid.h"

namespace atende::server::whatsapp {

namespace {

template <typename T> std::optional<T> parseNumber(QStringView text, T max)
{
    if (text.isEmpty())
        return std::nullopt;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const qulonglong v = text.toULongLong(&ok);
    if (!ok || v > max)
        return std::nullopt;
    return T(v);
}

} // namespace

Jid Jid::make(QString user, QString server, quint16 device)
{
    Jid jid;
    jid.user = std::move(user);
    jid.server = std::move(server);
    jid.device = device;
    return jid;
}

std::optional<Jid> Jid::parse(QStringView text)
{
    const qsizetype at = text.lastIndexOf(u'@');
    if (at < 0 || at == text.size() - 1)
        return std::nullopt;
    Jid jid;
    jid.server = text.mid(at + 1).toString();
    QStringView userPart = text.first(at);

    if (const qsizetype colon = userPart.lastIndexOf(u':'); colon >= 0) {
        const auto device = parseNumber<quint16>(userPart.mid(colon + 1), 0xFFFF);
        if (!device)
            return std::nullopt;
        jid.device = *device;
        userPart = userPart.first(colon);
    }
    if (jid.server == kInteropServer) {
        const qsizetype dash = userPart.indexOf(u'-');
        if (dash < 0)
            return std::nullopt;
        const auto integrator = parseNumber<quint16>(userPart.first(dash), 0xFFFF);
        if (!integrator)
            return std::nullopt;
        jid.integrator = *integrator;
        userPart = userPart.mid(dash + 1);
    } else if (jid.server == kUserServer) {
        // Legacy agent suffix ("user.agent"); phone numbers never contain a dot.
        if (const qsizetype dot = userPart.indexOf(u'.'); dot >= 0) {
            const auto agent = parseNumber<quint8>(userPart.mid(dot + 1), 0xFF);
            if (!agent)
                return std::nullopt;
            jid.agent = *agent;
            userPart = userPart.first(dot);
        }
    }
    jid.user = userPart.toString();
    return jid;
}

int Jid::domainType() const
{
    if (server == kUserServer)
        return agent;
    if (server == kLidServer)
        return 1;
    if (server == kHostedServer)
        return 128;
    if (server == kHostedLidServer)
        return 129;
    return -1;
}

bool Jid::isAdJid() const
{
    if (server == kHostedServer || server == kHostedLidServer)
        return true;
    if (server == kUserServer || server == kLidServer)
        return device > 0 || agent != 0;
    return false;
}

QString Jid::signalAddressName() const
{
    const int domain = domainType();
    if (domain <= 0)
        return user;
    return user + u'_' + QString::number(domain);
}

QString Jid::toString() const
{
    QString out;
    if (server == kInteropServer)
        out = QString::number(integrator) + u'-' + user;
    else
        out = user;
    if (agent != 0 && server == kUserServer)
        out += u'.' + QString::number(agent);
    if (device > 0 || server == kInteropServer)
        out += u':' + QString::number(device);
    return out + u'@' + server;
}

} // namespace atende::server::whatsapp
