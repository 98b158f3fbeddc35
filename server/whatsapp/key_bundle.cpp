#include "server/whatsapp/key_bundle.h"

#include "server/whatsapp/iq.h"
#include "server/whatsapp/stanza_util.h"

namespace atende::server::whatsapp {

using namespace stanza;

namespace {

constexpr qsizetype kKeySize = 32;
constexpr qsizetype kSignatureSize = 64;

QByteArray childBytes(const Node &node, QStringView tag)
{
    const Node *child = node.child(tag);
    return child && child->hasBytes() ? child->bytes() : QByteArray();
}

core::Error malformed(const QString &what)
{
    return fail(errc::kKeyBundleMalformed, what);
}

} // namespace

core::Result<Node> buildKeyBundleQuery(const QList<Jid> &devices)
{
    if (devices.isEmpty())
        return fail(errc::kStanzaInvalidInput, QStringLiteral("no devices to fetch bundles for"));
    std::vector<Node> users;
    for (const Jid &device : devices) {
        if (device.user.isEmpty() || device.server.isEmpty())
            return fail(errc::kStanzaInvalidInput, QStringLiteral("device JID without user or server"));
        users.emplace_back(
            QStringLiteral("user"),
            QList<Attribute>{{QStringLiteral("jid"), device}, {QStringLiteral("reason"), QStringLiteral("identity")}});
    }
    return makeIq(QStringLiteral("get"), QStringLiteral("encrypt"),
                  {Node(QStringLiteral("key"), {}, std::move(users))});
}

core::Result<PreKeyBundle> parsePreKeyBundle(const Node &node, bool withRegistration)
{
    PreKeyBundle b;
    if (withRegistration) {
        auto reg = fromBigEndian(childBytes(node, u"registration"), 4);
        if (!reg)
            return malformed(QStringLiteral("registration must be 4 bytes"));
        b.registrationId = *reg;
    }
    // <type> is the key type byte 0x05 (Curve25519); anything else is a key we cannot use.
    if (const Node *type = node.child(u"type"); type && type->bytes() != QByteArray(1, '\x05'))
        return malformed(QStringLiteral("key type must be 0x05"));
    b.identityKey = childBytes(node, u"identity");
    if (b.identityKey.size() != kKeySize)
        return malformed(QStringLiteral("identity must be 32 bytes"));
    const Node *skey = node.child(u"skey");
    if (!skey)
        return malformed(QStringLiteral("no signed prekey"));
    auto skeyId = fromBigEndian(childBytes(*skey, u"id"), 3);
    b.signedPreKey = childBytes(*skey, u"value");
    b.signedPreKeySignature = childBytes(*skey, u"signature");
    if (!skeyId || b.signedPreKey.size() != kKeySize || b.signedPreKeySignature.size() != kSignatureSize)
        return malformed(QStringLiteral("signed prekey needs a 3-byte id, 32-byte value and 64-byte signature"));
    b.signedPreKeyId = *skeyId;
    if (const Node *key = node.child(u"key")) {
        auto id = fromBigEndian(childBytes(*key, u"id"), 3);
        b.preKey = childBytes(*key, u"value");
        if (!id || b.preKey.size() != kKeySize)
            return malformed(QStringLiteral("one-time prekey needs a 3-byte id and a 32-byte value"));
        b.preKeyId = *id;
    }
    return b;
}

core::Result<KeyBundleResult> parseKeyBundleResult(const Node &iq)
{
    if (iq.tag != u"iq")
        return fail(errc::kStanzaWrongTag, QStringLiteral("expected an iq"));
    if (iq.attributeString(u"type") == u"error") {
        const Node *error = iq.child(u"error");
        return fail(
            errc::kStanzaIqError,
            QStringLiteral("key bundle iq failed: %1").arg(error ? error->attributeString(u"code") : QString()));
    }
    const Node *list = iq.child(u"list");
    if (!list)
        return malformed(QStringLiteral("no <list>"));
    KeyBundleResult result;
    if (!list->hasChildren())
        return result;
    for (const Node &user : list->children()) {
        if (user.tag != u"user")
            continue;
        const auto jid = user.attributeJid(u"jid");
        if (!jid)
            return malformed(QStringLiteral("user without jid"));
        if (const Node *error = user.child(u"error")) {
            result.failures.emplace_back(
                *jid, core::Error::make(errc::kStanzaIqError,
                                        QStringLiteral("%1 %2").arg(error->attributeString(u"code"),
                                                                    error->attributeString(u"text").left(64))));
            continue;
        }
        auto bundle = parsePreKeyBundle(user);
        if (!bundle)
            return bundle.error();
        bundle->device = *jid;
        result.bundles.push_back(std::move(bundle).value());
    }
    return result;
}

std::vector<Node> preKeyBundleChildren(const PreKeyBundle &b, bool withRegistration)
{
    std::vector<Node> out;
    if (withRegistration)
        out.push_back(bytesNode("registration", bigEndian(b.registrationId, 4)));
    out.push_back(bytesNode("type", QByteArray(1, '\x05')));
    out.push_back(bytesNode("identity", b.identityKey));
    if (b.preKeyId)
        out.push_back(
            Node(QStringLiteral("key"), {},
                 std::vector<Node>{bytesNode("id", bigEndian(*b.preKeyId, 3)), bytesNode("value", b.preKey)}));
    out.push_back(
        Node(QStringLiteral("skey"), {},
             std::vector<Node>{bytesNode("id", bigEndian(b.signedPreKeyId, 3)), bytesNode("value", b.signedPreKey),
                               bytesNode("signature", b.signedPreKeySignature)}));
    return out;
}

} // namespace atende::server::whatsapp
