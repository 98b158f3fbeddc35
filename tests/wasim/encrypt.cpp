// xmlns="encrypt" (PROTOCOL.md §6.3, §7.3, §12.1 item 7): prekey count, upload, digest, signed-prekey
// rotation and key bundles, which hand out (and delete) one one-time prekey each.
#include "server/whatsapp/crypto.h"
#include "tests/wasim/connection.h"
#include "tests/wasim/iq_util.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

#include <QCryptographicHash>

namespace atende::wasim {

using namespace server::whatsapp;

namespace {

constexpr qsizetype kLowPreKeyThreshold = 5;

QByteArray childBytes(const Node *node, QStringView tag)
{
    const Node *child = node ? node->child(tag) : nullptr;
    return child ? child->bytes() : QByteArray();
}

// <skey><id/><value/><signature/></skey> → (id, value, signature); false when malformed.
bool parseSignedPreKey(const Node *skey, quint32 &id, QByteArray &value, QByteArray &signature)
{
    const QByteArray idBytes = childBytes(skey, u"id");
    value = childBytes(skey, u"value");
    signature = childBytes(skey, u"signature");
    if (idBytes.size() != 3 || value.size() != 32 || signature.size() != 64)
        return false;
    id = fromBigEndian(idBytes);
    return true;
}

Node keyNode(quint32 id, const QByteArray &value)
{
    return Node(QStringLiteral("key"), {},
                std::vector<Node>{bytesNode("id", bigEndianBytes(id, 3)), bytesNode("value", value)});
}

Node signedKeyNode(const SimDevice &d)
{
    return Node(QStringLiteral("skey"), {},
                std::vector<Node>{bytesNode("id", bigEndianBytes(d.signedPreKeyId, 3)),
                                  bytesNode("value", d.signedPreKey), bytesNode("signature", d.signedPreKeySignature)});
}

} // namespace

std::vector<Node> Simulator::phoneBundle(const SimUser &user)
{
    // The phone (device 0) has Signal keys so that senders can encrypt for it as for the real network; its
    // copies are dropped by the relay. Identity = the account key (as on a real primary device); the signed
    // prekey is derived from it and signed afresh (XEdDSA signatures are randomised); no one-time prekeys.
    const QByteArray seed =
        QCryptographicHash::hash(user.account.privateKey + "wasim-phone-signed-prekey", QCryptographicHash::Sha256);
    const crypto::KeyPair signedPreKey = crypto::x25519KeyPair(seed).value();
    const QByteArray signature =
        m_signer.sign(user.account.privateKey, QByteArray(1, '\x05') + signedPreKey.publicKey).value();
    const quint32 registrationId = (user.rawId % 16380u) + 1;
    return {bytesNode("registration", bigEndianBytes(registrationId, 4)), bytesNode("type", QByteArray(1, '\x05')),
            bytesNode("identity", user.account.publicKey),
            Node(QStringLiteral("skey"), {},
                 std::vector<Node>{bytesNode("id", bigEndianBytes(1, 3)), bytesNode("value", signedPreKey.publicKey),
                                   bytesNode("signature", signature)})};
}

void Simulator::onEncryptIq(Connection &connection, const Node &iq)
{
    SimDevice *device = findDevice(connection.deviceKey());
    if (!device) {
        connection.sendReply(iqError(iq, 404, QStringLiteral("item-not-found")));
        return;
    }
    const bool isSet = iq.attributeString(u"type") == u"set";
    if (!isSet && iq.child(u"count")) {
        connection.sendReply(iqResult(
            iq, {Node(QStringLiteral("count"), {{QStringLiteral("value"), QString::number(device->preKeys.size())}})}));
        return;
    }
    if (isSet && iq.child(u"list")) {
        // Validate everything before storing anything: a half-applied upload would be worse than none.
        std::map<quint32, QByteArray> keys;
        for (const Node &key : iq.child(u"list")->hasChildren() ? iq.child(u"list")->children() : std::vector<Node>{}) {
            const QByteArray id = childBytes(&key, u"id");
            const QByteArray value = childBytes(&key, u"value");
            if (key.tag != u"key" || id.size() != 3 || value.size() != 32) {
                connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
                return;
            }
            keys[fromBigEndian(id)] = value;
        }
        quint32 skeyId = 0;
        QByteArray skey, skeySignature;
        const Node *skeyNode = iq.child(u"skey");
        if (skeyNode && !parseSignedPreKey(skeyNode, skeyId, skey, skeySignature)) {
            connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
            return;
        }
        const QByteArray identity = childBytes(&iq, u"identity");
        if (!identity.isEmpty() && identity != device->identityKey) {
            connection.sendReply(iqError(iq, 406, QStringLiteral("not-acceptable")));
            return;
        }
        for (auto &[id, value] : keys)
            device->preKeys.insert_or_assign(id, value);
        if (skeyNode) {
            device->signedPreKeyId = skeyId;
            device->signedPreKey = skey;
            device->signedPreKeySignature = skeySignature;
        }
        record(QStringLiteral("prekeys %1 %2").arg(device->key()).arg(device->preKeys.size()));
        markDirty();
        connection.sendReply(iqResult(iq));
        return;
    }
    if (isSet && iq.child(u"rotate")) {
        quint32 id = 0;
        QByteArray value, signature;
        if (!parseSignedPreKey(iq.child(u"rotate")->child(u"skey"), id, value, signature)) {
            connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
            return;
        }
        device->signedPreKeyId = id;
        device->signedPreKey = value;
        device->signedPreKeySignature = signature;
        markDirty();
        connection.sendReply(iqResult(iq));
        return;
    }
    if (!isSet && iq.child(u"digest")) {
        // Shape of WhatsApp's digest; the hash (SHA-1 over identity, signed prekey, signature and the
        // one-time prekey values) is our choice: neither reference client checks it (UNVERIFIED).
        std::vector<Node> ids;
        QCryptographicHash hash(QCryptographicHash::Sha1);
        hash.addData(device->identityKey);
        hash.addData(device->signedPreKey);
        hash.addData(device->signedPreKeySignature);
        for (const auto &[id, value] : device->preKeys) {
            ids.push_back(bytesNode("id", bigEndianBytes(id, 3)));
            hash.addData(value);
        }
        connection.sendReply(
            iqResult(iq, {Node(QStringLiteral("digest"), {},
                               std::vector<Node>{bytesNode("registration", bigEndianBytes(device->registrationId, 4)),
                                                 bytesNode("type", QByteArray(1, '\x05')),
                                                 bytesNode("identity", device->identityKey), signedKeyNode(*device),
                                                 Node(QStringLiteral("list"), {}, std::move(ids)),
                                                 bytesNode("hash", hash.result())})}));
        return;
    }
    if (!isSet && iq.child(u"key")) {
        std::vector<Node> users;
        QList<QString> lowDevices;
        for (const Node &request :
             iq.child(u"key")->hasChildren() ? iq.child(u"key")->children() : std::vector<Node>{}) {
            const auto jid = request.attributeJid(u"jid");
            if (request.tag != u"user" || !jid)
                continue;
            // PN or LID addressing (§7.8): both name the same device.
            const SimUser *owner = userForJid(*jid);
            SimDevice *target = owner ? findDevice(owner->phone + u':' + QString::number(jid->device)) : nullptr;
            Node user(QStringLiteral("user"), {{QStringLiteral("jid"), *jid}});
            if (!target && owner && jid->device == 0) {
                user.content = phoneBundle(*owner);
                users.push_back(std::move(user));
                continue;
            }
            if (!target) {
                user.content = std::vector<Node>{
                    Node(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("404")},
                                                   {QStringLiteral("text"), QStringLiteral("item-not-found")}})};
                users.push_back(std::move(user));
                continue;
            }
            std::vector<Node> parts{bytesNode("registration", bigEndianBytes(target->registrationId, 4)),
                                    bytesNode("type", QByteArray(1, '\x05')),
                                    bytesNode("identity", target->identityKey)};
            if (!target->preKeys.empty()) {
                auto first = target->preKeys.begin();
                parts.push_back(keyNode(first->first, first->second));
                target->preKeys.erase(first);
                markDirty();
                if (qsizetype(target->preKeys.size()) < kLowPreKeyThreshold)
                    lowDevices.append(target->key());
            }
            parts.push_back(signedKeyNode(*target));
            user.content = std::move(parts);
            users.push_back(std::move(user));
        }
        connection.sendReply(iqResult(iq, {Node(QStringLiteral("list"), {}, std::move(users))}));
        for (const QString &key : lowDevices) {
            const Node notification(QStringLiteral("notification"),
                                    {{QStringLiteral("from"), Jid::serverJid()},
                                     {QStringLiteral("type"), QStringLiteral("encrypt")},
                                     {QStringLiteral("id"), nextId()},
                                     {QStringLiteral("t"), QString::number(now())}},
                                    std::vector<Node>{Node(QStringLiteral("count"),
                                                           {{QStringLiteral("value"),
                                                             QString::number(m_devices.at(key).preKeys.size())}})});
            deliver(key, notification);
        }
        return;
    }
    connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
}

} // namespace atende::wasim
