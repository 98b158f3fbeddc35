// Signal address names for WhatsApp JIDs (SIGNAL-INTEROP.md trap 14) and the enc type names (trap 4).

#include "server/signal/address.h"
#include "server/signal/signal_account.h"

#include <gtest/gtest.h>

namespace atende::server::signal {
namespace {

std::optional<SignalAddress> forJid(const char *jid)
{
    const auto parsed = whatsapp::Jid::parse(QString::fromLatin1(jid));
    if (!parsed)
        return std::nullopt;
    return addressForJid(*parsed);
}

TEST(SignalAddress, PhoneNumberJidUsesTheUserAndDevice)
{
    EXPECT_EQ(forJid("15550000001:3@s.whatsapp.net"), (SignalAddress{QStringLiteral("15550000001"), 3}));
    EXPECT_EQ(forJid("15550000001@s.whatsapp.net"), (SignalAddress{QStringLiteral("15550000001"), 0}));
    EXPECT_EQ(forJid("15550000001:3@s.whatsapp.net")->toString(), QStringLiteral("15550000001.3"));
}

TEST(SignalAddress, LidAndHostedJidsCarryTheDomainInTheName)
{
    EXPECT_EQ(forJid("100000000000001:3@lid"), (SignalAddress{QStringLiteral("100000000000001_1"), 3}));
    EXPECT_EQ(forJid("100000000000001:3@lid")->toString(), QStringLiteral("100000000000001_1.3"));
    EXPECT_EQ(forJid("15550000001:99@hosted"), (SignalAddress{QStringLiteral("15550000001_128"), 99}));
    EXPECT_EQ(forJid("100000000000001:99@hosted.lid"), (SignalAddress{QStringLiteral("100000000000001_129"), 99}));
}

TEST(SignalAddress, JidsWithoutASignalIdentityHaveNoAddress)
{
    EXPECT_FALSE(forJid("120363000000000001@g.us"));
    EXPECT_FALSE(forJid("status@broadcast"));
    EXPECT_FALSE(forJid("@s.whatsapp.net"));
}

TEST(SignalAddress, StringFormRoundTripsAndRejectsJunk)
{
    const SignalAddress lid{QStringLiteral("100000000000001_1"), 3};
    EXPECT_EQ(SignalAddress::fromString(lid.toString()), lid);
    EXPECT_FALSE(SignalAddress::fromString(u"15550000001"));
    EXPECT_FALSE(SignalAddress::fromString(u".3"));
    EXPECT_FALSE(SignalAddress::fromString(u"15550000001.x"));
    EXPECT_FALSE(SignalAddress::fromString(u"15550000001.-1"));
}

TEST(SignalAddress, OrderingGroupsDevicesOfOneUser)
{
    const SignalAddress a{QStringLiteral("1555"), 2};
    const SignalAddress b{QStringLiteral("1555"), 10};
    const SignalAddress c{QStringLiteral("1556"), 0};
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    const SenderKeyName name{QStringLiteral("120363000000000001@g.us"), a};
    EXPECT_EQ(name.toString(), QStringLiteral("120363000000000001@g.us::1555::2"));
}

TEST(SignalAddress, EncTypeNames)
{
    for (EncType type : {EncType::PreKeyMessage, EncType::Message, EncType::SenderKeyMessage})
        EXPECT_EQ(parseEncType(QString(encTypeName(type))), type);
    EXPECT_EQ(encTypeName(EncType::PreKeyMessage), QLatin1String("pkmsg"));
    EXPECT_FALSE(parseEncType(u"plaintext"));
    EXPECT_FALSE(parseEncType(u"msmsg"));
    EXPECT_FALSE(parseEncType(u""));
}

} // namespace
} // namespace atende::server::signal
